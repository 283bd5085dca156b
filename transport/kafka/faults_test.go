package kafka

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// fault opens (start) or closes a fault window on the loop, as the nemesis does.
func (tc *testCluster) fault(f, target string, start bool) {
	w := faults.Window{Fault: f, Target: target}
	done := false
	tc.loop.Post(func() {
		if start {
			tc.c.StartFault(w)
		} else {
			tc.c.StopFault(w)
		}
		done = true
	})
	tc.loop.Run(func() bool { return done }, 5*time.Second)
}

// offsetsSeen maps a record (an event ID, a sent value) to the offsets it
// was seen at: producer retries put one record at several.
type offsetsSeen map[string]map[int64]bool

func (o offsetsSeen) add(key string, off int64) {
	if o[key] == nil {
		o[key] = map[int64]bool{}
	}
	o[key][off] = true
}

// twice counts the records seen at more than one offset.
func (o offsetsSeen) twice() int {
	n := 0
	for _, offs := range o {
		if len(offs) > 1 {
			n++
		}
	}
	return n
}

// placeN places n orders o-1..o-n and waits for every reply.
func (tc *testCluster) placeN(n int) {
	tc.t.Helper()
	for i := 1; i <= n; i++ {
		r := tc.call(node.Command{Op: i, F: vocab.FPlace, Key: fmt.Sprintf("o-%d", i), Customer: "c-0", SKU: "s-0", Qty: 1, Amount: 10})
		if !r.OK {
			tc.t.Fatalf("place o-%d: %+v", i, r)
		}
	}
}

// handles counts a node's handle outcomes, and its appends per handled event.
func handles(events []trace.Event, svc string) (map[string]int, map[string]int) {
	outcomes, effects := map[string]int{}, map[string]int{}
	for _, e := range events {
		switch {
		case e.Node != svc:
		case e.Kind == trace.KindHandle:
			outcomes[e.Outcome]++
		case e.Kind == trace.KindAppend && e.Handled != nil:
			effects[e.Handled.ID]++
		}
	}
	return outcomes, effects
}

// Offsets are committed only after the effect: while the coordinator
// refuses the inventory's commits it still reserves stock, then it crashes;
// the restarted node reads again from the old committed offsets, gets the
// same events again, and dedup (recorded atomically with each effect)
// skips them: one effect per event, every saga ends.
// spec/tla/OrderSaga.tla: NoDuplicateEffect (a crash-restart redelivery).
func TestCrashBeforeCommitRedeliversAndDedupCatches(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	tc.setup()
	remove := tc.emb.FailCommits(tc.c.cfg.group(vocab.ServiceInventory))
	tc.placeN(5)
	// Wait until the inventory has handled all five OrderPlaced.
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, _ := handles(tc.trace(), vocab.ServiceInventory)
		if out[trace.OutcomeApplied] >= 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("inventory handled %v in 5s, want 5 applied", out)
		}
		tc.loop.Run(func() bool { return false }, 10*time.Millisecond)
	}
	tc.fault(vocab.FaultCrash, vocab.ServiceInventory, true)
	remove()
	tc.fault(vocab.FaultCrash, vocab.ServiceInventory, false)
	tc.settle()
	out, effects := handles(tc.trace(), vocab.ServiceInventory)
	if out[trace.OutcomeDuplicate] < 5 {
		t.Fatalf("inventory outcomes %v: want the 5 OrderPlaced redelivered and skipped as duplicates", out)
	}
	for id, n := range effects {
		if n > 1 {
			t.Fatalf("event %s has %d effects by the inventory, want 1", id, n)
		}
	}
	for i := 1; i <= 5; i++ {
		if s := tc.status(fmt.Sprintf("o-%d", i)); !vocab.Terminal(s) {
			t.Fatalf("o-%d status %s after settling, want terminal", i, s)
		}
	}
}

// A partitioned service fails fast: its publishes and commits return
// ErrPartitioned at once, and it catches up after the heal.
func TestPartitionFailsFastAndHeals(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	tc.setup()
	tc.settle()
	tc.fault(vocab.FaultPartition, vocab.ServicePayment, true)
	inc := tc.c.members[vocab.ServicePayment].cur.Load()
	start := time.Now()
	err := inc.Publish(vocab.TopicPayments, trace.Envelope{ID: "ev-x", Aggregate: "acct-c-9"})
	if !errors.Is(err, ErrPartitioned) || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("publish while partitioned: %v after %v, want ErrPartitioned at once", err, time.Since(start))
	}
	tc.placeN(3)
	tc.loop.Run(func() bool { return false }, 200*time.Millisecond)
	if s := tc.status("o-1"); vocab.Terminal(s) {
		t.Fatalf("o-1 is %s while payment is cut from the bus, want it waiting", s)
	}
	tc.fault(vocab.FaultPartition, vocab.ServicePayment, false)
	tc.settle()
	for i := 1; i <= 3; i++ {
		if s := tc.status(fmt.Sprintf("o-%d", i)); s != vocab.StatusCompleted {
			t.Fatalf("o-%d status %s after the heal, want completed", i, s)
		}
	}
}

// A duplicate window on a producing service makes the embedded broker
// apply produces and answer REQUEST_TIMED_OUT: the writer retries and the
// same event lands at two offsets; consumers skip the second copy.
func TestProducerRetryWritesDuplicates(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	tc.setup()
	tc.fault(vocab.FaultDuplicate, vocab.ServiceOrders, true)
	tc.placeN(20)
	// The relay does not hold the orders node: its publishes (and the
	// sagas' later ones) come after the places, so the window stays open
	// until everything settled.
	tc.settle()
	tc.fault(vocab.FaultDuplicate, vocab.ServiceOrders, false)
	offsets := offsetsSeen{} // event ID -> offsets delivered to the projector
	for _, e := range tc.trace() {
		if e.Kind == trace.KindDeliver && e.Node == vocab.ServiceProjector {
			offsets.add(e.Ref.ID, e.Offset)
		}
	}
	if offsets.twice() == 0 {
		t.Fatalf("no event of %d reached the projector from two offsets: want producer-retry duplicates", len(offsets))
	}
	_, effects := handles(tc.trace(), vocab.ServiceInventory)
	for id, n := range effects {
		if n > 1 {
			t.Fatalf("event %s has %d effects by the inventory, want 1", id, n)
		}
	}
}

// The commit-before-process bug loses an event through a real crash: the
// inventory commits an OrderPlaced's offset on receipt, crashes before its
// effect, and the restarted node resumes after it, so the order never
// leaves "placed". The correct system, crashed at the same point (its
// first commit), redelivers what it had not finished and completes.
// spec/tla/OrderSaga.tla: NoLostEvent (fails under the commit-before-process config).
func TestCommitBeforeProcessLosesEventOnCrash(t *testing.T) {
	for _, bug := range []bool{false, true} {
		t.Run(fmt.Sprintf("bug=%v", bug), func(t *testing.T) {
			tc := newTestCluster(t, false, node.Bugs{CommitBeforeProcess: bug})
			tc.setup()
			tc.settle()
			crashed := false
			tc.mu.Lock()
			tc.onTrace = func(e trace.Event) {
				if e.Kind == trace.KindCommit && e.Node == vocab.ServiceInventory && e.Topic == vocab.TopicOrders && !crashed {
					crashed = true // node goroutine; the loop reads it only after the crash
					tc.loop.Post(func() { tc.c.StartFault(faults.Window{Fault: vocab.FaultCrash, Target: vocab.ServiceInventory}) })
				}
			}
			tc.mu.Unlock()
			if r := tc.call(node.Command{Op: 1, F: vocab.FPlace, Key: "o-1", Customer: "c-0", SKU: "s-0", Qty: 1, Amount: 10}); !r.OK {
				t.Fatalf("place: %+v", r)
			}
			tc.loop.Run(func() bool { return tc.c.members[vocab.ServiceInventory].down.Load() }, 5*time.Second)
			tc.fault(vocab.FaultCrash, vocab.ServiceInventory, false)
			tc.settle()
			got := tc.status("o-1")
			switch {
			case bug && got != vocab.StatusPlaced:
				t.Fatalf("with the bug o-1 is %s, want stuck at placed (its OrderPlaced lost by the inventory)", got)
			case !bug && got != vocab.StatusCompleted:
				t.Fatalf("correct system: o-1 is %s, want completed", got)
			}
		})
	}
}
