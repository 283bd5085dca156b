package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// mcrl2Of writes a TLC counterexample as the mCRL2 trace of the same path
// (labels as saga.Label.String prints them, which is mCRL2's form).
func mcrl2Of(t *testing.T, c formal.Check) formal.Check {
	t.Helper()
	cx, err := ReadTLC(c)
	if err != nil {
		t.Fatal(err)
	}
	tr := formal.MCRL2Trace{Property: c.Property, Loop: -1, Steps: []formal.TraceStep{{},
		{Action: fmt.Sprintf("setup(%d, %d)", cx.States[0].Stock0, cx.States[0].Bal0)}}}
	for _, l := range cx.Steps {
		tr.Steps = append(tr.Steps, formal.TraceStep{Action: l.String()})
	}
	tr.Steps = append(tr.Steps, formal.TraceStep{Action: "violated(" + c.Property + ")"})
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	return formal.Check{Tool: "mcrl2", Config: c.Config, Property: c.Property, Verdict: formal.Fail, Trace: b}
}

// The same path written as an mCRL2 trace gives the same schedule as TLC's.
func TestFromMCRL2MatchesFromTLC(t *testing.T) {
	for _, bug := range vocab.Bugs {
		c := goldenCheck(t, bug)
		want, err := FromTLC(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := FromMCRL2(mcrl2Of(t, c))
		if err != nil {
			t.Fatalf("%s: %v", bug, err)
		}
		if !reflect.DeepEqual(got.Ops, want.Ops) || !reflect.DeepEqual(got.Faults, want.Faults) ||
			got.Stock != want.Stock || got.Balance != want.Balance || got.Bug != want.Bug || !reflect.DeepEqual(got.Steps, want.Steps) {
			t.Errorf("%s: mCRL2 schedule %+v, TLC's %+v", bug, got, want)
		}
	}
}

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

// When spec/golden/mcrl2.json exists, every bug config's mCRL2
// counterexample of its expected property reproduces in the simulator too.
func TestReplayMCRL2Golden(t *testing.T) {
	g, err := formal.ReadGolden(filepath.Join(specDir(t), "golden", "mcrl2.json"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("spec/golden/mcrl2.json not written yet (mCRL2 runs): nothing to replay")
	}
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, bug := range vocab.Bugs {
		prop := goldenCheck(t, bug).Property
		for _, c := range g.Checks {
			if c.Config != bug || c.Property != prop || c.Verdict != formal.Fail || len(c.Trace) == 0 {
				continue
			}
			n++
			s, err := FromMCRL2(c)
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			out, err := Run(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("mCRL2 %s/%s: seed %d after %d; anomalies %v", bug, prop, out.Seed, out.Tried, out.Anomalies)
			if !out.Reproduced {
				t.Errorf("mCRL2 %s/%s: not reproduced in %d seeds (%v)", bug, prop, out.Tried, out.Anomalies)
			}
		}
	}
	if n == 0 {
		t.Skip("spec/golden/mcrl2.json has no counterexample of a bug config's expected property yet")
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
