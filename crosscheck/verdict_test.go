package crosscheck

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// checkVerdicts: for every property TLC checked on config name
// (spec/golden/tlc.json, formal's golden of real TLC runs), the Go model's
// verdict on its own graph is TLC's: an invariant fails iff some reachable
// state violates it (saga.Violations), Deadlock iff some state has no
// successor, EventuallyTerminal by saga.Graph.EventuallyTerminal under
// WF_vars(SystemNext).
func checkVerdicts(t *testing.T, checks []formal.Check, name string, gg *saga.Graph) {
	violated := map[string]bool{}
	for _, s := range gg.States {
		for _, v := range saga.Violations(gg.Config, s) {
			violated[v] = true
		}
	}
	violated["Deadlock"] = len(gg.Deadlocks()) > 0
	bad, err := gg.EventuallyTerminal()
	if err != nil {
		t.Fatal(err)
	}
	violated["EventuallyTerminal"] = len(bad) > 0
	n := 0
	for _, ch := range checks {
		if ch.Config != name {
			continue
		}
		n++
		if ch.Verdict != formal.Pass && ch.Verdict != formal.Fail {
			t.Errorf("%s: TLC verdict %q", ch.Property, ch.Verdict)
			continue
		}
		if got := violated[ch.Property]; got != (ch.Verdict == formal.Fail) {
			t.Errorf("%s: Go model violated=%v, TLC %s", ch.Property, got, ch.Verdict)
		}
	}
	if n == 0 {
		t.Fatalf("spec/golden/tlc.json has no checks for %s", name)
	}
}
