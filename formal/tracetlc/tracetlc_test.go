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

// TLC and the Go model agree on the same projected traces: a correct
// run's orders (accepted), and a no-compensation run's orders validated
// against the correct model (some rejected) and against no-compensation
// (accepted). Each case must include both verdicts.
func TestTLCAgreesWithGoModel(t *testing.T) {
	tlc := findTLC(t)
	o := harness.DefaultOptions()
	o.Seed, o.Nemesis, o.Bug = 1, vocab.Faults, vocab.BugNoCompensation
	o.Workload.Ops = 500
	rec, err := harness.RunSim(o)
	if err != nil {
		t.Fatal(err)
	}
	projs := tracemodel.Project(rec.Ops, rec.Trace, true)
	perVerdict := 3
	if testing.Short() {
		perVerdict = 1
	}
	seen := map[string]int{}
	for _, bug := range []string{"", vocab.BugNoCompensation} {
		for _, p := range projs {
			goV := tracemodel.Validate(bug, p)
			if goV.Unknown != "" {
				continue
			}
			want := Rejected
			if goV.Accepted {
				want = Accepted
			}
			if seen[bug+want] >= perVerdict {
				continue
			}
			seen[bug+want]++
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			got, err := Validate(ctx, tlc, "../../spec", bug, p)
			cancel()
			if err != nil {
				t.Fatalf("order %s, bug %q: %v", p.Order, bug, err)
			}
			if got != want {
				t.Fatalf("order %s, model %q: TLC %s, Go model %s (%s)", p.Order, bug, got, want, goV.Why)
			}
		}
	}
	if seen[Rejected] == 0 || seen[Accepted] == 0 || seen[vocab.BugNoCompensation+Accepted] == 0 {
		t.Fatalf("cases covered: %v (want accepted and rejected by the correct model)", seen)
	}
	t.Logf("agreed on %v", seen)
}
