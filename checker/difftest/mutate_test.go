package difftest

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
	"pgregory.net/rapid"
)

// allowedWith lists what else a mutation may rightly make the checkers
// report: a dropped handle leaves the stream's next handle by that node
// without its predecessor (causal-violation).
var allowedWith = map[string][]string{MutationDrop: {vocab.AnomalyCausalViolation}}

// Mutated traces of correct behaviours: the checkers report the anomaly the
// mutation makes by construction (and nothing unrelated), and the trace
// validator accepts the mutated trace as a behaviour of the correct model
// exactly when the mutation makes no anomaly.
func TestMutatedTraces(t *testing.T) {
	ran := map[string]int{}
	rapid.Check(t, func(rt *rapid.T) {
		t := rt
		b := drawBehaviourOf(t, []string{saga.BugNone})
		built, err := Build(b, true)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		kind := rapid.SampledFrom([]string{MutationDrop, MutationDuplicate, MutationReorder}).Draw(t, "mutation")
		targets := Targets(built.Trace, kind)
		if len(targets) == 0 {
			t.Skip("no target")
		}
		m := Mutation{Kind: kind, At: rapid.SampledFrom(targets).Draw(t, "at")}
		b.Mutation = &m
		checkMutated(t, b, built)
		ran[kind]++
	})
	t.Logf("mutated behaviours checked: %v", ran)
	for _, k := range []string{MutationDrop, MutationDuplicate, MutationReorder} {
		if ran[k] == 0 {
			t.Errorf("no behaviour was mutated by %s", k)
		}
	}
}

func checkMutated(t tb, b Behaviour, built Built) {
	t.Helper()
	m := *b.Mutation
	fail := func(format string, args ...any) {
		t.Helper()
		saveFound(t, b, "-"+m.Kind)
		t.Fatalf(format, args...)
	}
	events, err := Mutate(built.Trace, m)
	if err != nil {
		t.Fatalf("%v", err)
	}
	cs := checker.Properties()
	rep := checker.Run(&checker.Input{Ops: built.Ops, Trace: events}, cs)
	want := Expected(built.Trace, m)
	found := rep.AnomalyTypes()
	ok := want == ""
	for _, a := range found {
		switch {
		case a == want && want != "":
			ok = true
		case !contains(allowedWith[m.Kind], a):
			fail("%s at %d: checkers report %s, not made by the mutation (found %v)\nsteps %s", m.Kind, m.At, a, found, labels(b.Steps))
		}
	}
	if !ok {
		fail("%s at %d: want %s, checkers report %v\nsteps %s", m.Kind, m.At, want, found, labels(b.Steps))
	}
	if CrossOrder(built.Trace, m) {
		return // per-order trace validation cannot see this order (CrossOrder)
	}
	if sum := tracemodel.Run("", built.Ops, events, true); (sum.Result == "accepted") != (want == "") {
		fail("%s at %d: the correct model's verdict on the mutated trace is %s, the mutation makes %q, the checkers report %v\nsteps %s",
			m.Kind, m.At, sum.Result, want, found, labels(b.Steps))
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
