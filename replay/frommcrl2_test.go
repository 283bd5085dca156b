package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/replay/cex"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// mcrl2Of writes a TLC counterexample as the mCRL2 trace of the same path
// (labels as saga.Label.String prints them, which is mCRL2's form).
func mcrl2Of(t *testing.T, c formal.Check) formal.Check {
	t.Helper()
	cx, err := cex.ReadTLC(c)
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
