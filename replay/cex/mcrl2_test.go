package cex

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Bad mCRL2 traces are one-line errors naming the step.
func TestReadMCRL2Errors(t *testing.T) {
	tr := func(actions ...string) formal.Check {
		steps := []formal.TraceStep{{}}
		for _, a := range actions {
			steps = append(steps, formal.TraceStep{Action: a})
		}
		b, _ := json.Marshal(formal.MCRL2Trace{Steps: steps, Loop: -1})
		return formal.Check{Tool: "mcrl2", Config: vocab.BugNoDedup, Property: "P", Verdict: formal.Fail, Trace: b}
	}
	cases := []struct {
		check formal.Check
		want  string
	}{
		{tr("place"), "no setup"},
		{tr("setup(0, 0)", "teleport"), `step 2: unknown mCRL2 action "teleport"`},
		{tr("setup(0, 0)", "deliver(inventory, 1"), "unbalanced"},
		{tr("setup(0, 0)", "deliver(inventory, 1)"), "step 1 Deliver(\"inventory\", 1)"},
		{tr("setup(x, 0)"), "setup(x, 0)"},
		{tr("setup(0, 0)", "partition(nobody)"), "partition: want one of"},
	}
	for _, c := range cases {
		_, err := ReadMCRL2(c.check)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line containing %q", c.check.Trace, err, c.want)
		}
	}
}

// FuzzReadMCRL2: no input makes the reader panic; what it accepts has one
// more state than steps.
func FuzzReadMCRL2(f *testing.F) {
	f.Add([]byte(`{"steps":[{},{"action":"setup(1, 0)"},{"action":"place"},{"action":"deliver(inventory, 1)"}],"loop":-1}`))
	f.Add([]byte(`{"steps":[{},{"action":"setup(0, 0)"},{"action":"place"},{"action":"crash_orders"}],"loop":0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		cx, err := ReadMCRL2(formal.Check{Tool: "mcrl2", Config: vocab.BugAckBeforePersist, Property: "P", Verdict: formal.Fail, Trace: b})
		if err == nil && len(cx.States) != len(cx.Steps)+1 {
			t.Fatalf("%d states for %d steps", len(cx.States), len(cx.Steps))
		}
	})
}
