package difftest

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/replay/cex"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// propertyAnomaly is the anomaly a TLA+ property names (spec/README.md).
func propertyAnomaly(prop string) string {
	if prop == "EventuallyTerminal" {
		return vocab.AnomalySagaStuck // after the final phase: quiet and not terminal
	}
	for _, inv := range saga.Invariants {
		if inv.Name == prop {
			return inv.Anomaly
		}
	}
	return ""
}

// fromCounterexample is a counterexample as a behaviour of this package's
// configs, ended by a final phase of system steps (the first enabled one,
// each time) until the model is quiet.
func fromCounterexample(t *testing.T, cx cex.Counterexample) Behaviour {
	t.Helper()
	b := Behaviour{Bug: cx.Model.Bug, Orders: 1, Steps: slices.Clone(cx.Steps)}
	cfg := b.Config()
	s0 := cx.States[0]
	b.Init = slices.IndexFunc(saga.InitStates(cfg), func(s saga.State) bool { return s.Stock0 == s0.Stock0 && s.Bal0 == s0.Bal0 })
	states, err := b.States()
	if err != nil {
		t.Fatalf("%s/%s: %v", cx.Config, cx.Property, err)
	}
	s := states[len(states)-1]
	for range finalMax {
		if s.Quiet(cfg) {
			break
		}
		steps := filter(saga.Successors(cfg, s), IsSystem)
		b.Steps = append(b.Steps, steps[0].Label)
		s = steps[0].To
	}
	return b
}

// Every counterexample TLC found (spec/golden/tlc.json), run to its end,
// violates the property TLC names in the Go model too, and the checkers
// agree with the model on it.
func TestTLCCounterexamplesAgree(t *testing.T) {
	checks, err := cex.Failed(filepath.Join("..", "..", "spec"), "tlc")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range checks {
		cx, err := cex.ReadTLC(c)
		if err != nil {
			t.Fatal(err)
		}
		b := fromCounterexample(t, cx)
		states, _ := b.States()
		model, err := ModelAnomalies(b.Config(), b.Steps, states)
		if err != nil {
			t.Fatal(err)
		}
		if a := propertyAnomaly(c.Property); !slices.Contains(model, a) {
			t.Errorf("%s/%s: the model's anomalies %v lack %s", c.Config, c.Property, model, a)
		}
		check(t, b)
		n++
	}
	if n < len(vocab.Bugs) {
		t.Fatalf("only %d counterexamples", n)
	}
	t.Logf("%d TLC counterexamples checked", n)
}
