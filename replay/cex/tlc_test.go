package cex

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// goldenCheck returns the committed TLC check of a config's expected property.
func goldenCheck(t testing.TB, config string) formal.Check {
	t.Helper()
	c, err := Expected(filepath.Join("..", "..", "spec"), "tlc", config)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Bad counterexamples are one-line errors naming the check and the step.
func TestReadTLCErrors(t *testing.T) {
	good := goldenCheck(t, vocab.BugNoDedup)
	var tr tlcTrace
	if err := json.Unmarshal(good.Trace, &tr); err != nil {
		t.Fatal(err)
	}
	var acts []json.RawMessage
	for _, a := range tr.Counterexample.Action {
		b, _ := json.Marshal(a)
		acts = append(acts, b)
	}
	// A step whose printed state the model cannot reach: with no stock
	// the inventory rejects, it cannot reserve.
	tampered := strings.Replace(string(acts[1]), `"StockRejected"`, `"StockReserved"`, 1)
	bad := func(actions ...json.RawMessage) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"counterexample": map[string]any{"action": actions}})
		return b
	}
	renamed := strings.Replace(string(acts[1]), `"Deliver"`, `"Flush"`, 1)
	cases := []struct {
		name  string
		check formal.Check
		want  string
	}{
		{"pass verdict", formal.Check{Tool: "tlc", Config: "correct", Property: "TypeOK", Verdict: formal.Pass}, "no counterexample"},
		{"not json", formal.Check{Tool: "tlc", Config: "no-dedup", Verdict: formal.Fail, Trace: json.RawMessage(`[1`)}, "trace"},
		{"no actions", formal.Check{Tool: "tlc", Config: "no-dedup", Verdict: formal.Fail, Trace: bad()}, "no actions"},
		{"short action", formal.Check{Tool: "tlc", Config: "no-dedup", Verdict: formal.Fail, Trace: bad(json.RawMessage(`[1, 2]`))}, "action 1"},
		{"unknown bug", formal.Check{Tool: "tlc", Config: "no-such-bug", Verdict: formal.Fail, Trace: good.Trace}, "unknown bug"},
		{"unreachable step", formal.Check{Tool: "tlc", Config: "no-dedup", Verdict: formal.Fail,
			Trace: bad(acts[0], json.RawMessage(tampered))}, "action 2 (Deliver): the model has no such step"},
		{"out of order", formal.Check{Tool: "tlc", Config: "no-dedup", Verdict: formal.Fail,
			Trace: bad(acts[0], acts[0])}, "action 2 starts in state 1"},
		{"wrong action name", formal.Check{Tool: "tlc", Config: "no-dedup", Verdict: formal.Fail,
			Trace: bad(acts[0], json.RawMessage(renamed))}, "action 2 (Flush)"},
	}
	for _, c := range cases {
		_, err := ReadTLC(c.check)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line containing %q", c.name, err, c.want)
		}
	}
}

// The wrapper actions TLC prints without arguments get them back from the
// model: no-dedup's counterexample is Place, the inventory's delivery of
// event 1, its duplicate and the second delivery.
func TestReadTLCRecoversArguments(t *testing.T) {
	cx, err := ReadTLC(goldenCheck(t, vocab.BugNoDedup))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range cx.Steps {
		got = append(got, l.TLA())
	}
	want := `Place("o-1") Deliver("inventory", 1) Duplicate("inventory", 1) Deliver("inventory", 1)`
	if strings.Join(got, " ") != want {
		t.Fatalf("steps %v, want %s", got, want)
	}
	if cx.Loop != -1 || cx.Model.Bug != vocab.BugNoDedup {
		t.Fatalf("loop %d bug %q", cx.Loop, cx.Model.Bug)
	}
}

// FuzzReadTLC: no input makes the reader panic; what it accepts has one
// more state than steps.
func FuzzReadTLC(f *testing.F) {
	// Compact seeds: the fuzzer slows to a crawl on the indented ones.
	for _, bug := range []string{vocab.BugNoDedup, vocab.BugAckBeforePersist, vocab.BugUnorderedApply} {
		var b bytes.Buffer
		if err := json.Compact(&b, goldenCheck(f, bug).Trace); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte(`{"counterexample":{"action":[[[1,{}],{"name":"Place"},[2,{}]]]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		cx, err := ReadTLC(formal.Check{Tool: "tlc", Config: vocab.BugNoDedup, Property: "P", Verdict: formal.Fail, Trace: b})
		if err == nil && len(cx.States) != len(cx.Steps)+1 {
			t.Fatalf("%d states for %d steps", len(cx.States), len(cx.Steps))
		}
	})
}

// A liveness counterexample is a lasso: its back edge must stutter or be a
// model step; one back to the initial state is neither.
func TestReadTLCLasso(t *testing.T) {
	checks, err := Failed(filepath.Join("..", "..", "spec"), "tlc")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		if c.Property != "EventuallyTerminal" {
			continue
		}
		cx, err := ReadTLC(c)
		if err != nil {
			t.Fatal(err)
		}
		if cx.Loop < 0 || cx.Loop >= len(cx.States) {
			t.Fatalf("%s: loop %d of %d states", c.Config, cx.Loop, len(cx.States))
		}
		var tr tlcTrace
		if err := json.Unmarshal(c.Trace, &tr); err != nil {
			t.Fatal(err)
		}
		acts := tr.Counterexample.Action
		acts[len(acts)-1][2] = acts[0][0] // back to [1, initial state]
		b, _ := json.Marshal(map[string]any{"counterexample": map[string]any{"action": acts}})
		bad := c
		bad.Trace = b
		if _, err := ReadTLC(bad); err == nil || !strings.Contains(err.Error(), "back edge") {
			t.Errorf("%s: a back edge to the initial state: error %v, want the back edge named", c.Config, err)
		}
		return
	}
	t.Fatal("no EventuallyTerminal counterexample in the golden")
}
