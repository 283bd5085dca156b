package tracetlc

import (
	"context"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// findTLC returns TLC or skips the test with the reason.
func findTLC(t testing.TB) *formal.TLC {
	t.Helper()
	tlc, err := formal.FindTLC()
	if err != nil {
		t.Skipf("TLC not installed: %v", err)
	}
	return tlc
}

// simProjections runs one simulation with every fault and projects its
// trace per order.
func simProjections(t testing.TB, seed uint64, bug string, ops int) ([]*tracemodel.Projection, *harness.Recorded) {
	t.Helper()
	rec, err := harness.RunSim(harness.FaultOptions(seed, bug, ops))
	if err != nil {
		t.Fatalf("seed %d bug %q: %v", seed, bug, err)
	}
	return tracemodel.Project(rec.Ops, rec.Trace, true), rec
}

// validateAll runs TLC on a batch with the repository's spec.
func validateAll(t testing.TB, tlc *formal.TLC, bug string, ps []*tracemodel.Projection) Run {
	t.Helper()
	return validateIn(t, tlc, "../../spec", bug, ps)
}

// validateIn runs TLC on a batch with the spec in specDir, with a generous
// timeout.
func validateIn(t testing.TB, tlc *formal.TLC, specDir, bug string, ps []*tracemodel.Projection) Run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := ValidateAll(ctx, tlc, specDir, bug, ps)
	if err != nil {
		t.Fatalf("model %q: %v", bug, err)
	}
	return r
}

// agree fails unless TLC's result on p is the Go model's verdict v: the
// same verdict and, when rejected, the same first unmatched step.
func agree(t *testing.T, bug string, p *tracemodel.Projection, v tracemodel.Verdict, r Result) {
	t.Helper()
	switch {
	case r.Order != p.Order:
		t.Fatalf("TLC result for order %s where %s was expected", r.Order, p.Order)
	case v.Accepted && r.Verdict != Accepted:
		t.Fatalf("order %s, model %q: Go model accepts, TLC rejects at step %d (%+v)", p.Order, bug, r.Step, p.Steps[r.Step])
	case !v.Accepted && r.Verdict != Rejected:
		t.Fatalf("order %s, model %q: Go model rejects at step %d (%s), TLC accepts", p.Order, bug, v.Step, v.Why)
	case !v.Accepted && r.Step != v.Step:
		t.Fatalf("order %s, model %q: Go model rejects at step %d (%s), TLC at step %d", p.Order, bug, v.Step, v.Why, r.Step)
	}
}

// TLC and the Go model agree, order by order, on the projected traces of a
// no-compensation run validated in one TLC run per model: against the
// correct model (some orders rejected, at the same step by both) and
// against no-compensation (accepted). -short validates a few orders of
// each verdict, the full test every decided order.
func TestTLCAgreesWithGoModel(t *testing.T) {
	tlc := findTLC(t)
	projs, _ := simProjections(t, 1, vocab.BugNoCompensation, 500)
	perVerdict := len(projs)
	if testing.Short() {
		perVerdict = 2
	}
	seen := map[string]int{}
	for _, bug := range []string{"", vocab.BugNoCompensation} {
		var batch []*tracemodel.Projection
		var verdicts []tracemodel.Verdict
		for _, p := range projs {
			v := tracemodel.Validate(bug, p)
			key := bug + Accepted
			if v.Rejected() {
				key = bug + Rejected
			}
			if v.Unknown != "" || seen[key] >= perVerdict {
				continue
			}
			seen[key]++
			batch, verdicts = append(batch, p), append(verdicts, v)
		}
		r := validateAll(t, tlc, bug, batch)
		for i, p := range batch {
			agree(t, bug, p, verdicts[i], r.Results[i])
		}
	}
	if seen[Rejected] == 0 || seen[Accepted] == 0 || seen[vocab.BugNoCompensation+Accepted] == 0 {
		t.Fatalf("cases covered: %v (want accepted and rejected by the correct model)", seen)
	}
	t.Logf("agreed on %v", seen)
}
