package difftest

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"pgregory.net/rapid"
)

// A built behaviour written as run files reads back through the history
// and trace readers and gets the same verdict: what the checkers judge
// here is what they judge in a run directory.
func TestWrittenBehaviourJudgedAlike(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		b := drawBehaviour(rt)
		built, err := Build(b, true)
		if err != nil {
			rt.Fatalf("build: %v", err)
		}
		dir := t.TempDir()
		if err := built.Write(dir); err != nil {
			rt.Fatalf("write: %v", err)
		}
		h, err := history.ReadFile(filepath.Join(dir, "history.jsonl"))
		if err != nil || h.Truncated {
			rt.Fatalf("read history: %v (truncated %v)", err, h.Truncated)
		}
		tr, truncated, err := trace.ReadFile(filepath.Join(dir, "trace.ndjson"))
		if err != nil || truncated {
			rt.Fatalf("read trace: %v (truncated %v)", err, truncated)
		}
		back := Built{Ops: h.Ops, Trace: tr}
		if back.Trace == nil {
			back.Trace = []trace.Event{}
		}
		want, got := Judge(built), Judge(back)
		if want.Valid != got.Valid || !slices.Equal(want.AnomalyTypes(), got.AnomalyTypes()) {
			rt.Fatalf("in memory %v %v, read back %v %v", want.Valid, want.AnomalyTypes(), got.Valid, got.AnomalyTypes())
		}
	})
}
