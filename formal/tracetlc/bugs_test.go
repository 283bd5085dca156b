package tracetlc

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// For every bug switch, on the first seed whose trace shows the bug (the Go
// model rejects some order against the correct model), TLC and the Go model
// agree order by order (verdict and first rejected step) against the
// correct model and against the bug's model; every order the correct model
// rejects is accepted by the bug's. The batch is up to 20 rejected orders
// and up to 10 accepted ones: two TLC runs per bug. Not in -short
// (TestTLCAgreesWithGoModel covers no-compensation there).
func TestTLCAgreesOnEveryBug(t *testing.T) {
	tlc := findTLC(t)
	if testing.Short() {
		t.Skip("every bug: not in -short")
	}
	const seedsMax = 12
	for _, bug := range vocab.Bugs {
		var batch []*tracemodel.Projection
		var seed uint64
		for seed = 1; seed <= seedsMax && batch == nil; seed++ {
			projs, _ := simProjections(t, seed, bug, 500)
			accepted := 0
			var rejected []*tracemodel.Projection
			for _, p := range projs {
				switch v := tracemodel.Validate("", p); {
				case v.Rejected() && len(rejected) < 20:
					rejected = append(rejected, p)
				case v.Accepted && accepted < 10:
					accepted++
					batch = append(batch, p)
				}
			}
			batch = append(batch, rejected...)
			if len(rejected) == 0 {
				batch = nil // the bug did not show in this seed's trace
			}
		}
		if batch == nil {
			t.Fatalf("bug %s: no seed in 1..%d shows the bug in its trace", bug, seedsMax)
		}
		for _, model := range []string{"", bug} {
			r := validateAll(t, tlc, model, batch)
			rejected := 0
			for i, p := range batch {
				agree(t, model, p, tracemodel.Validate(model, p), r.Results[i])
				if r.Results[i].Verdict == Rejected {
					rejected++
				}
			}
			if model == bug && rejected > 0 {
				t.Fatalf("bug %s (seed %d): TLC rejects %d orders against the bug's model", bug, seed-1, rejected)
			}
			t.Logf("bug %s (seed %d), model %q: %d orders agree, %d rejected; %d TLC states",
				bug, seed-1, model, len(batch), rejected, r.States)
		}
	}
}
