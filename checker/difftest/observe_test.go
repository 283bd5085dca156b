package difftest

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The client's observations, replayed in the model's order, catch what
// LinearizableRead's Known(o) forgets (found by TestCheckersAgreeWithModel).
func TestObservationsAgree(t *testing.T) {
	L := func(n string, a ...string) saga.Label { return saga.Label{Name: n, Args: a} }
	cases := []struct {
		name string
		b    Behaviour
		want bool
	}{
		{"cancel refused as not-found after an acknowledged place", Behaviour{Bug: vocab.BugAckBeforePersist, Orders: 1,
			Steps: []saga.Label{L("Place", "o-1"), L("CancelDecide", "o-1"), L("Flush", "o-1")}}, false},
		{"stale read after a cancel refused on a rejected order", Behaviour{Bug: vocab.BugStaleRead, Orders: 1,
			Steps: []saga.Label{L("Place", "o-1"), L("Deliver", "projector", "1"), L("Deliver", "inventory", "1"),
				L("OrdersDecide", "2"), L("OrdersAppend"), L("CancelDecide", "o-1"), L("ReadStrong", "o-1")}}, false},
		{"the same without the bug", Behaviour{Bug: saga.BugNone, Orders: 1,
			Steps: []saga.Label{L("Place", "o-1"), L("Deliver", "inventory", "1"), L("OrdersDecide", "2"), L("OrdersAppend"),
				L("CancelDecide", "o-1"), L("ReadStrong", "o-1")}}, true},
	}
	for _, c := range cases {
		states, err := c.b.States()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		model, _ := ModelAnomalies(c.b.Config(), c.b.Steps, states)
		if got := observationsAgree(c.b.Config(), c.b.Steps, states); got != c.want {
			t.Errorf("%s: observations agree = %v, want %v (model anomalies %v)", c.name, got, c.want, model)
		}
		// The strong-read invariant alone misses the first two.
		for _, s := range states {
			if !saga.LinearizableRead(c.b.Config(), s) {
				t.Errorf("%s: LinearizableRead itself is false: not the case this test is about", c.name)
				break
			}
		}
	}
}
