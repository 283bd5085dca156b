package difftest

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"pgregory.net/rapid"
)

// bugOf is the tracemodel bug name of a config ("" for the correct one).
func bugOf(b Behaviour) string {
	if b.Bug == saga.BugNone {
		return ""
	}
	return b.Bug
}

// The built history and trace are a behaviour of the model they came
// from: checker/tracemodel (trace validation) accepts them with the
// behaviour's bug switch. This checks Build against the trace validator's
// reading of the system's traces.
func TestBuiltTracesAreAcceptedByTheirModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := drawBehaviour(t)
		built, err := Build(b, true)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		sum := tracemodel.Run(bugOf(b), built.Ops, built.Trace, true)
		if sum.Result != "accepted" {
			var why []string
			for _, r := range sum.Rejected {
				why = append(why, r.Detail())
			}
			t.Fatalf("%s: trace model %s: %v %v\nsteps %s", b.Bug, sum.Result, why, sum.Unknown, labels(b.Steps))
		}
	})
}
