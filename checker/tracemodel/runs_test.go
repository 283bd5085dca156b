package tracemodel_test

import (
	"slices"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// simRun runs one simulation with every fault.
func simRun(t testing.TB, seed uint64, bug string, ops int) *harness.Recorded {
	t.Helper()
	rec, err := harness.RunSim(harness.FaultOptions(seed, bug, ops))
	if err != nil {
		t.Fatalf("seed %d bug %q: %v", seed, bug, err)
	}
	return rec
}

// The correct system's traces are behaviours of the correct model: every
// order accepted, none unknown.
func TestCorrectRunsAccepted(t *testing.T) {
	seeds := uint64(6)
	if testing.Short() {
		seeds = 2
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		rec := simRun(t, seed, "", 500)
		sum := tracemodel.Run("", rec.Ops, rec.Trace, true)
		if sum.Result != "accepted" || sum.Accepted != sum.Orders || sum.Orders == 0 {
			t.Fatalf("seed %d: %s (rejected %v)", seed, sum.Note(), sum.Rejected)
		}
		r := tracemodel.New().Check(&checker.Input{Ops: rec.Ops, Trace: rec.Trace})
		if r.Valid != checker.Valid {
			t.Fatalf("seed %d: checker %v: %s", seed, r.Valid, r.Note)
		}
	}
}

// bugSeedsMax bounds the seeds searched for one where a bug shows in the trace.
const bugSeedsMax = 12

// A --bug run's trace is accepted by that bug's model and rejected by the
// correct model, on the first seed where the bug shows in the trace; every
// order the correct model rejects is accepted by the bug's model, which the
// diagnosis names.
func TestBugRunsAcceptedByTheirModelOnly(t *testing.T) {
	for _, bug := range vocab.Bugs {
		t.Run(bug, func(t *testing.T) {
			t.Parallel()
			for seed := uint64(1); seed <= bugSeedsMax; seed++ {
				rec := simRun(t, seed, bug, 500)
				correct := tracemodel.Run("", rec.Ops, rec.Trace, true)
				if len(correct.Rejected) == 0 {
					continue // the bug did not show in this seed's trace
				}
				own := tracemodel.Run(bug, rec.Ops, rec.Trace, true)
				if len(own.Rejected) > 0 {
					t.Fatalf("seed %d: the %s model rejects %d orders, first: %s", seed, bug, len(own.Rejected), own.Rejected[0].Detail())
				}
				if own.Accepted == 0 {
					t.Fatalf("seed %d: the %s model accepts no order: %s", seed, bug, own.Note())
				}
				for _, r := range correct.Rejected {
					if !slices.Contains(r.AcceptedBy, bug) {
						t.Fatalf("seed %d: order %s rejected by the correct model and not accepted by %s: %s", seed, r.Order, bug, r.Detail())
					}
				}
				t.Logf("seed %d: correct model rejects %d of %d orders; %s model: %s", seed, len(correct.Rejected), correct.Orders, bug, own.Note())
				return
			}
			t.Fatalf("no seed in 1..%d shows --bug %s in its trace", bugSeedsMax, bug)
		})
	}
}

// The checker reports a rejection as anomaly trace-rejected naming the
// order and the trace event.
func TestCheckerNamesTheRejectedEvent(t *testing.T) {
	rec := simRun(t, 1, vocab.BugAckBeforePersist, 200)
	r := tracemodel.New().Check(&checker.Input{Ops: rec.Ops, Trace: rec.Trace})
	if r.Valid != checker.Invalid || len(r.Anomalies) == 0 {
		t.Fatalf("ack-before-persist run: %v %s", r.Valid, r.Note)
	}
	a := r.Anomalies[0]
	if a.Type != vocab.AnomalyTraceRejected || a.Key == "" || len(a.Ops) == 0 {
		t.Fatalf("anomaly %+v", a)
	}
	for _, want := range []string{"trace event", "(ack", "accepted by the model with bug ack-before-persist"} {
		if !contains(a.Detail, want) {
			t.Fatalf("detail %q lacks %q", a.Detail, want)
		}
	}
}
