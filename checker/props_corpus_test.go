package checker

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The saved corpus: checker/testdata/props/<checker>_<verdict>_<what>.* —
// a history (.history.jsonl), a trace when the case has one (.trace.ndjson),
// and the checker's expected result (.want.json), a golden file. The test
// reads them through the real readers, so they are also inputs for
// `jepsen-lite check`. They are written from the builders below by
//
//	go test ./checker/ -run TestPropsSavedCorpus -props-rewrite
//
// (commit a rewrite only when you understand its diff).
var propsRewrite = flag.Bool("props-rewrite", false, "rewrite checker/testdata/props from the builders")

const propsCorpusDir = "testdata/props"

// savedCase is one saved corpus case.
type savedCase struct {
	name  string // <checker>_<verdict>_<what>
	input func() *Input
}

func savedCases() []savedCase {
	bent := func(bend func(f *fixture)) func() *Input {
		return func() *Input { f := newFixture(nil); bend(f); return f.input() }
	}
	var cases []savedCase
	for _, c := range Properties() {
		cases = append(cases, savedCase{c.Name() + "_valid_one-completed-order", func() *Input { return newFixture(nil).input() }})
	}
	return append(cases,
		savedCase{"exactly-once_invalid_no-dedup-second-reservation", bent(func(f *fixture) {
			f.t.handleAll(f.t.store(vocab.ServiceInventory, &f.placed, -1, "sku-s-1", "o-1", vocab.StockReserved)...)
		})},
		savedCase{"conservation_invalid_stock-not-taken", bent(func(f *fixture) { *f.value(f.stock).Stock = 10 })},
		savedCase{"terminal_invalid_cancelled-after-completed", bent(func(f *fixture) {
			f.t.handleAll(f.t.store(vocab.ServiceOrders, nil, -1, "order-o-1", "o-1", vocab.OrderCancelled)...)
		})},
		savedCase{"saga-termination_invalid_stuck-reserved", bent(func(f *fixture) { f.value(f.strong).Status = vocab.StatusReserved })},
		savedCase{"saga-termination_unknown_timeout", bent(func(f *fixture) { f.h.ops[f.final].Value.Edge = vocab.EdgeTimeout })},
		savedCase{"no-lost-command_invalid_place-lost", bent(func(f *fixture) { f.value(f.strong).Status = vocab.StatusNone })},
		savedCase{"no-lost-event_invalid_projector-missed-completed", bent(func(f *fixture) {
			i := len(f.t.evs) - 1 // the projector's handle of OrderCompleted is the last event
			f.t.evs = f.t.evs[:i]
		})},
		savedCase{"projection_invalid_projection-behind", bent(func(f *fixture) { f.value(f.proj).Status = vocab.StatusShipped })},
	)
}

func TestPropsSavedCorpus(t *testing.T) {
	if *propsRewrite {
		writeSavedCorpus(t)
	}
	wants, err := filepath.Glob(filepath.Join(propsCorpusDir, "*.want.json"))
	if err != nil || len(wants) == 0 {
		t.Fatalf("no saved corpus in %s (%v): run with -props-rewrite", propsCorpusDir, err)
	}
	byName := map[string]Checker{}
	for _, c := range Properties() {
		byName[c.Name()] = c
	}
	for _, want := range wants {
		base := strings.TrimSuffix(want, ".want.json")
		name := filepath.Base(base)
		t.Run(name, func(t *testing.T) {
			parts := strings.SplitN(name, "_", 3)
			c := byName[parts[0]]
			if len(parts) != 3 || c == nil {
				t.Fatalf("%s: not <checker>_<verdict>_<what>", name)
			}
			in := readSavedInput(t, base)
			got, err := json.MarshalIndent(c.Check(in), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			wantB, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(wantB)) {
				t.Errorf("result differs from %s:\n%s", want, got)
			}
			var r struct{ Valid Validity }
			if err := json.Unmarshal(got, &r); err != nil || r.Valid.String() != parts[1] {
				t.Errorf("verdict %v, the name says %s", r.Valid, parts[1])
			}
		})
	}
}

// readSavedInput reads a case's history and, if present, its trace.
func readSavedInput(t *testing.T, base string) *Input {
	t.Helper()
	h, err := history.ReadFile(base + ".history.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	in := &Input{Ops: h.Ops, HistoryTruncated: h.Truncated}
	if _, err := os.Stat(base + ".trace.ndjson"); err == nil {
		evs, truncated, err := trace.ReadFile(base + ".trace.ndjson")
		if err != nil {
			t.Fatal(err)
		}
		in.Trace, in.TraceTruncated = evs, truncated
	}
	return in
}

// writeSavedCorpus writes every saved case with the real writers and its
// current result as the golden.
func writeSavedCorpus(t *testing.T) {
	if err := os.MkdirAll(propsCorpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	byName := map[string]Checker{}
	for _, c := range Properties() {
		byName[c.Name()] = c
	}
	for _, c := range savedCases() {
		base := filepath.Join(propsCorpusDir, c.name)
		in := c.input()
		hw, err := history.Create(base+".history.jsonl", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range in.Ops {
			if _, err := hw.Append(op); err != nil {
				t.Fatal(err)
			}
		}
		if err := hw.Close(); err != nil {
			t.Fatal(err)
		}
		if in.Trace != nil {
			tw, err := trace.Create(base+".trace.ndjson", 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range in.Trace {
				if err := tw.Append(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := tw.Close(); err != nil {
				t.Fatal(err)
			}
		}
		got, err := json.MarshalIndent(byName[strings.SplitN(c.name, "_", 2)[0]].Check(readSavedInput(t, base)), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(base+".want.json", append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
