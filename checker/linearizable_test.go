package checker

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// linCorpusBudget is the Timeout of corpus checks: the small files finish in
// microseconds, the unknown- one needs 2^25 steps.
const linCorpusBudget = 100 * time.Millisecond

// linCorpusBadKeys names the failing orders of the invalid- files (default o-1).
var linCorpusBadKeys = map[string][]string{
	"invalid-one-of-two-orders": {"o-2"},
}

// linCorpusStale names the files stale-read must flag, with the order; it
// must call every other file valid (and can never flag a valid- one, see
// StaleRead).
var linCorpusStale = map[string]string{
	"invalid-read-none-after-place":             "o-1",
	"invalid-status-backwards":                  "o-1",
	"invalid-read-after-cancel":                 "o-1",
	"invalid-one-of-two-orders":                 "o-2",
	"unknown-info-cancels-then-impossible-read": "o-1",
}

func linCorpus(t *testing.T) map[string][]history.Op {
	t.Helper()
	files, err := filepath.Glob("testdata/linearizable/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	out := map[string][]history.Op{}
	for _, f := range files {
		h, err := history.ReadFile(f)
		if err != nil || h.Truncated {
			t.Fatalf("%s: %v (truncated %v)", f, err, h.Truncated)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".jsonl")] = h.Ops
	}
	return out
}

func linWant(name string) Validity {
	switch {
	case strings.HasPrefix(name, "valid-"):
		return Valid
	case strings.HasPrefix(name, "invalid-"):
		return Invalid
	}
	return Unknown
}

func TestLinearizableCorpus(t *testing.T) {
	for name, ops := range linCorpus(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			c := NewLinearizable()
			c.Timeout = linCorpusBudget
			res := c.Check(&Input{Ops: ops, OutDir: dir})
			want := linWant(name)
			if res.Valid != want {
				t.Fatalf("verdict %v, want %v: %s %+v", res.Valid, want, res.Note, res.Anomalies)
			}
			wantKeys := linCorpusBadKeys[name]
			if want == Invalid && wantKeys == nil {
				wantKeys = []string{"o-1"}
			}
			var keys, wantFiles []string
			for _, a := range res.Anomalies {
				keys = append(keys, a.Key)
				wantFiles = append(wantFiles, "linearizable-"+a.Key+".html")
				if a.Type != vocab.AnomalyNonlinearizable || a.Detail == "" || len(a.Ops) == 0 {
					t.Errorf("anomaly %+v", a)
				}
				for _, i := range a.Ops {
					if i < 0 || i >= len(ops) || ops[i].Key != a.Key {
						t.Errorf("anomaly op %d is not an op of %s", i, a.Key)
					}
				}
				t.Logf("%s: %s", a.Key, a.Detail)
			}
			if !slices.Equal(keys, wantKeys) {
				t.Errorf("anomaly keys %v, want %v", keys, wantKeys)
			}
			linCheckFiles(t, dir, res.Files, wantFiles)
			if want == Unknown && !strings.Contains(res.Note, linWhyTimeout) {
				t.Errorf("unknown note %q does not name the time budget", res.Note)
			}
		})
	}
}

// linCheckFiles checks that exactly want were written into dir, non-empty.
func linCheckFiles(t *testing.T, dir string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("Result.Files %v, want %v", got, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if fi, err := e.Info(); err != nil || fi.Size() < 1000 {
			t.Errorf("%s is empty or unreadable: %v", e.Name(), err)
		}
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("files in the output directory %v, want %v", names, want)
	}
}

// The unpartitioned search must agree with the partitioned one.
func TestLinearizableUnpartitionedCorpus(t *testing.T) {
	for name, ops := range linCorpus(t) {
		t.Run(name, func(t *testing.T) {
			c := NewLinearizable()
			c.Partitioned = false
			c.Timeout = linCorpusBudget
			if res := c.Check(&Input{Ops: ops, OutDir: t.TempDir()}); res.Valid != linWant(name) {
				t.Fatalf("verdict %v, want %v: %s", res.Valid, linWant(name), res.Note)
			}
		})
	}
}

func TestStaleReadCorpus(t *testing.T) {
	for name, ops := range linCorpus(t) {
		t.Run(name, func(t *testing.T) {
			res := NewStaleRead().Check(&Input{Ops: ops})
			want := Valid
			if linCorpusStale[name] != "" {
				want = Invalid
			}
			if res.Valid != want {
				t.Fatalf("verdict %v, want %v: %+v", res.Valid, want, res.Anomalies)
			}
			for _, a := range res.Anomalies {
				if a.Type != vocab.AnomalyStaleRead || len(a.Ops) != 3 || a.Key != linCorpusStale[name] {
					t.Errorf("anomaly %+v", a)
				}
				// A's completion, R's invoke, R's completion: A done before R began.
				w, rInv, rComp := ops[a.Ops[0]], ops[a.Ops[1]], ops[a.Ops[2]]
				if w.Type != vocab.TypeOK || rInv.Type != vocab.TypeInvoke || rComp.F != vocab.FReadStrong ||
					w.Time >= rInv.Time {
					t.Errorf("anomaly ops %v do not show a completed op before a read", a.Ops)
				}
				t.Log(a.Detail)
			}
		})
	}
}

func TestLinearizableTimeoutIsUnknown(t *testing.T) {
	ops := linCorpus(t)["valid-final-reads"]
	c := NewLinearizable()
	c.Timeout = time.Nanosecond
	res := c.Check(&Input{Ops: ops, OutDir: t.TempDir()})
	if res.Valid != Unknown || !strings.Contains(res.Note, "3 unknown") || len(res.Files) != 0 {
		t.Fatalf("got %v %q %v, want unknown for the 3 orders", res.Valid, res.Note, res.Files)
	}
}

// The unknown- corpus file makes porcupine cache millions of steps: with a
// 1 MiB bound the guard stops it long before the time budget.
func TestLinearizableMemoryBoundIsUnknown(t *testing.T) {
	ops := linCorpus(t)["unknown-info-cancels-then-impossible-read"]
	c := NewLinearizable()
	c.Timeout = time.Minute
	c.HeapGrowthMax = 1 << 20
	res := c.Check(&Input{Ops: ops})
	if res.Valid != Unknown || !strings.Contains(res.Note, linWhyMemory) {
		t.Fatalf("got %v %q, want unknown at the memory bound", res.Valid, res.Note)
	}
}

func TestLinearizableNothingToCheck(t *testing.T) {
	res := NewLinearizable().Check(&Input{})
	if res.Valid != Valid || res.Note == "" {
		t.Fatalf("got %v %q", res.Valid, res.Note)
	}
}

// One order with many ops: the anomaly lists at most linAnomalyOpsMax
// indices, the stuck read's among them, and says so.
func TestLinearizableAnomalyOpsCapped(t *testing.T) {
	var ops []history.Op
	add := func(typ, f, status string, p int, tm int64) {
		op := history.Op{Index: len(ops), Type: typ, Process: p, F: f, Key: "o-1", Time: tm}
		if status != "" {
			op.Value = &history.Value{Status: status}
		}
		ops = append(ops, op)
	}
	add(vocab.TypeInvoke, vocab.FPlace, "", 0, 0)
	add(vocab.TypeOK, vocab.FPlace, "", 0, 1)
	for i := range 40 {
		add(vocab.TypeInvoke, vocab.FReadStrong, "", 1, int64(10+10*i))
		add(vocab.TypeOK, vocab.FReadStrong, vocab.StatusCharged, 1, int64(15+10*i))
	}
	add(vocab.TypeInvoke, vocab.FReadStrong, "", 2, 1000)
	add(vocab.TypeOK, vocab.FReadStrong, vocab.StatusPlaced, 2, 1001)
	res := NewLinearizable().Check(&Input{Ops: ops})
	if res.Valid != Invalid || len(res.Anomalies) != 1 {
		t.Fatalf("got %v %+v", res.Valid, res.Anomalies)
	}
	a := res.Anomalies[0]
	if len(a.Ops) != linAnomalyOpsMax || !slices.Contains(a.Ops, len(ops)-1) ||
		!strings.Contains(a.Detail, "listing 50 of 84") || !strings.Contains(a.Detail, "read-strong → placed") {
		t.Fatalf("anomaly %+v", a)
	}
}

// A generated linearizable history passes both checkers; the same history
// with one read turned stale fails both, on that order.
func TestLinearizableGenerated(t *testing.T) {
	ops := linGenHistory(rand.New(rand.NewPCG(7, 7)), linGenConfig{events: 20_000, orders: 200, procs: 50, window: 20})
	kinds := map[string]int{}
	for _, op := range ops {
		kinds[op.F+" "+op.Type]++
	}
	t.Logf("generated %d events: %v", len(ops), kinds)
	for _, k := range []string{"place info", "cancel ok", "cancel info", "cancel fail", "read-strong info"} {
		if kinds[k] == 0 {
			t.Errorf("generated history has no %s", k)
		}
	}
	for _, c := range []Checker{NewLinearizable(), NewStaleRead()} {
		if res := c.Check(&Input{Ops: ops}); res.Valid != Valid {
			t.Fatalf("%s: %v %s %+v", c.Name(), res.Valid, res.Note, res.Anomalies[:min(3, len(res.Anomalies))])
		}
	}
	// Make the last ok read of some placed order return none.
	bad := slices.Clone(ops)
	i := slices.IndexFunc(bad, func(op history.Op) bool {
		return op.Index > len(bad)/2 && op.F == vocab.FReadStrong && op.Type == vocab.TypeOK &&
			op.Value.Status == vocab.StatusCompleted
	})
	bad[i].Value = &history.Value{Status: vocab.StatusNone}
	for _, c := range []Checker{NewLinearizable(), NewStaleRead()} {
		res := c.Check(&Input{Ops: bad})
		if res.Valid != Invalid || len(res.Anomalies) != 1 || res.Anomalies[0].Key != bad[i].Key ||
			!slices.Contains(res.Anomalies[0].Ops, i) {
			t.Fatalf("%s: %v %+v, want one anomaly on %s naming op %d", c.Name(), res.Valid, res.Anomalies, bad[i].Key, i)
		}
	}
}

// StaleRead must never flag a history Linearizable accepts (its soundness
// argument, see StaleRead), checked on small generated one-order histories,
// half of them with one read's status changed at random.
func TestStaleReadNeverFlagsLinearizable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	count := map[Validity]int{}
	for i := range 3000 {
		cfg := linGenConfig{events: 2 * (2 + rng.IntN(10)), orders: 1, procs: 1 + rng.IntN(4), window: 1}
		ops := linGenHistory(rng, cfg)
		if rng.IntN(2) == 0 {
			reads := slices.DeleteFunc(slices.Clone(ops), func(op history.Op) bool {
				return op.F != vocab.FReadStrong || op.Type != vocab.TypeOK
			})
			if len(reads) > 0 {
				r := reads[rng.IntN(len(reads))].Index
				ops[r].Value = &history.Value{Status: vocab.Statuses[rng.IntN(len(vocab.Statuses))]}
			}
		}
		lin := NewLinearizable().Check(&Input{Ops: ops})
		stale := NewStaleRead().Check(&Input{Ops: ops})
		count[lin.Valid]++
		if lin.Valid == Valid && stale.Valid != Valid {
			t.Fatalf("history %d is linearizable but stale-read flags %+v:\n%+v", i, stale.Anomalies, ops)
		}
	}
	if count[Valid] < 500 || count[Invalid] < 500 {
		t.Fatalf("generated histories too one-sided: %v", count)
	}
	t.Logf("verdicts: %v", count)
}
