package node

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

var placed1 = services.Data{Order: "o-1", Customer: "c-1", SKU: "s-1", Qty: 2, Amount: 20}

// inventoryWithStock is an inventory node whose s-1 holds stock units.
func inventoryWithStock(t *testing.T, bugs Bugs, stock int) *fixture {
	f := newFixture(t, testConfig(vocab.ServiceInventory, bugs))
	f.write(vocab.ServiceInventory, "sku-s-1", vocab.StockRestocked, 2, services.Data{SKU: "s-1", Qty: stock})
	return f
}

func (f *fixture) stock() (int, map[string]int) {
	f.t.Helper()
	s, _, err := f.n.load("sku-s-1", services.CurrentSchema)
	if err != nil {
		f.t.Fatal(err)
	}
	sku := s.(*services.SKU)
	return sku.Stock, sku.Reserved
}

func TestDeliveryAppliedOnceAndCommitted(t *testing.T) {
	f := inventoryWithStock(t, Bugs{}, 5)
	ev := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)

	f.n.Deliver(delivery(vocab.TopicOrders, 0, ev))
	if f.st.Version("sku-s-1") != 1 || len(f.env.commits) != 0 {
		t.Fatal("the effect and the commit must wait for the store round trip")
	}
	f.env.runFor(10 * time.Millisecond)

	if got := f.types("sku-s-1"); !reflect.DeepEqual(got, []string{vocab.StockRestocked, vocab.StockReserved}) {
		t.Fatalf("sku-s-1 = %v, want a reservation appended", got)
	}
	res := f.st.Read("sku-s-1", 2)[0]
	if res.CausationID != ev.ID || res.CorrelationID != "o-1" {
		t.Errorf("reservation causation %q correlation %q, want %q and o-1", res.CausationID, res.CorrelationID, ev.ID)
	}
	if !f.st.Handled(vocab.ServiceInventory, ev.ID) || f.st.Applied(vocab.ServiceInventory, "order-o-1") != 1 {
		t.Error("the dedup record was not written")
	}
	appends := f.traced("append")
	if len(appends) != 1 || appends[0].Handled == nil || appends[0].Handled.ID != ev.ID {
		t.Errorf("append trace = %+v, want one append handling %s", appends, ev.ID)
	}
	if got := f.outcomes(ev.ID); !reflect.DeepEqual(got, []string{"applied"}) {
		t.Errorf("outcomes = %v, want [applied]", got)
	}
	if want := []commitRec{{vocab.TopicOrders, 0, 1}}; !reflect.DeepEqual(f.env.commits, want) {
		t.Errorf("commits = %v, want %v", f.env.commits, want)
	}
}

func TestRedeliveredDuplicateIsSkipped(t *testing.T) {
	f := inventoryWithStock(t, Bugs{}, 5)
	ev := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	d := delivery(vocab.TopicOrders, 0, ev)

	// A redelivery while the first is in flight waits, then is a duplicate.
	f.n.Deliver(d)
	d.Dup = true
	f.n.Deliver(d)
	f.env.runFor(10 * time.Millisecond)
	// And one after it finished is a duplicate at once.
	f.n.Deliver(d)
	f.env.runFor(10 * time.Millisecond)

	if got, want := f.outcomes(ev.ID), []string{"deferred", "applied", "duplicate", "duplicate"}; !reflect.DeepEqual(got, want) {
		t.Errorf("outcomes = %v, want %v", got, want)
	}
	// The last one is recognised on receipt, without a store round trip.
	last := f.env.events[len(f.env.events)-1]
	if deliver := f.traced("deliver"); last.Outcome != "duplicate" || last.Time != deliver[len(deliver)-1].Time {
		t.Errorf("last duplicate traced at %d, delivered at %d: want the same instant", last.Time, deliver[len(deliver)-1].Time)
	}
	if v := f.st.Version("sku-s-1"); v != 2 {
		t.Errorf("sku-s-1 version %d, want 2: the duplicate made a second effect", v)
	}
	if n := len(f.traced("append")); n != 1 {
		t.Errorf("%d appends, want 1", n)
	}
	if stock, _ := f.stock(); stock != 3 {
		t.Errorf("stock %d, want 3", stock)
	}
	if want := []commitRec{{vocab.TopicOrders, 0, 1}}; !reflect.DeepEqual(f.env.commits, want) {
		t.Errorf("commits = %v, want %v (a duplicate of a committed offset commits nothing new)", f.env.commits, want)
	}
}

func TestNoDedupBugAppendsTwice(t *testing.T) {
	f := inventoryWithStock(t, Bugs{NoDedup: true}, 5)
	ev := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	d := delivery(vocab.TopicOrders, 0, ev)
	f.n.Deliver(d)
	f.env.runFor(10 * time.Millisecond)
	d.Dup = true
	f.n.Deliver(d)
	f.env.runFor(10 * time.Millisecond)

	if got := f.types("sku-s-1"); !reflect.DeepEqual(got, []string{vocab.StockRestocked, vocab.StockReserved, vocab.StockReserved}) {
		t.Errorf("sku-s-1 = %v, want the reservation twice (the bug)", got)
	}
	if stock, reserved := f.stock(); stock != 1 || reserved["o-1"] != 4 {
		t.Errorf("stock %d reserved %v, want 1 and o-1:4", stock, reserved)
	}
	if got := f.outcomes(ev.ID); !reflect.DeepEqual(got, []string{"applied", "applied"}) {
		t.Errorf("outcomes = %v, want [applied applied]", got)
	}
}

func TestOutOfOrderDeliveryIsDeferred(t *testing.T) {
	f := inventoryWithStock(t, Bugs{}, 5)
	v1 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	v2 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderCancelled, 2, placed1)

	f.n.Deliver(delivery(vocab.TopicOrders, 1, v2))
	f.env.runFor(10 * time.Millisecond)
	if got := f.outcomes(v2.ID); !reflect.DeepEqual(got, []string{"deferred"}) {
		t.Fatalf("v2 before v1: outcomes %v, want [deferred]", got)
	}
	if f.st.Version("sku-s-1") != 1 || len(f.env.commits) != 0 || f.st.Handled(vocab.ServiceInventory, v2.ID) {
		t.Fatal("a deferred delivery must have no effect, no dedup record and no commit")
	}

	f.n.Deliver(delivery(vocab.TopicOrders, 0, v1))
	f.env.runFor(10 * time.Millisecond)
	if got, want := f.types("sku-s-1"), []string{vocab.StockRestocked, vocab.StockReserved, vocab.StockReleased}; !reflect.DeepEqual(got, want) {
		t.Errorf("sku-s-1 = %v, want %v (v2 applied after v1)", got, want)
	}
	if got := f.outcomes(v2.ID); !reflect.DeepEqual(got, []string{"deferred", "applied"}) {
		t.Errorf("v2 outcomes = %v, want [deferred applied]", got)
	}
	if want := []commitRec{{vocab.TopicOrders, 0, 1}, {vocab.TopicOrders, 0, 2}}; !reflect.DeepEqual(f.env.commits, want) {
		t.Errorf("commits = %v, want %v", f.env.commits, want)
	}
	if stock, reserved := f.stock(); stock != 5 || len(reserved) != 0 {
		t.Errorf("stock %d reserved %v, want 5 and none", stock, reserved)
	}
}

func TestCommitOnlyOverContiguousPrefix(t *testing.T) {
	f := inventoryWithStock(t, Bugs{}, 5)
	a := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	o2 := placed1
	o2.Order = "o-2"
	b := f.write(vocab.ServiceOrders, "order-o-2", vocab.OrderPlaced, 2, o2)

	// Offset 1 (another aggregate) finishes first: offset 0 is still open.
	f.n.Deliver(delivery(vocab.TopicOrders, 1, b))
	f.env.runFor(10 * time.Millisecond)
	if got := f.outcomes(b.ID); !reflect.DeepEqual(got, []string{"applied"}) {
		t.Fatalf("offset 1 outcomes %v, want [applied]", got)
	}
	if len(f.env.commits) != 0 {
		t.Fatalf("commits %v before offset 0 finished, want none", f.env.commits)
	}
	f.n.Deliver(delivery(vocab.TopicOrders, 0, a))
	f.env.runFor(10 * time.Millisecond)
	if want := []commitRec{{vocab.TopicOrders, 0, 2}}; !reflect.DeepEqual(f.env.commits, want) {
		t.Errorf("commits = %v, want %v", f.env.commits, want)
	}
}

func TestFailedCommitIsRetriedByTheRelayTick(t *testing.T) {
	f := inventoryWithStock(t, Bugs{}, 5)
	ev := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	f.env.unreachable = true
	f.n.Deliver(delivery(vocab.TopicOrders, 0, ev))
	f.env.runFor(10 * time.Millisecond)
	if len(f.env.commits) != 0 || f.st.Version("sku-s-1") != 2 {
		t.Fatalf("while unreachable: commits %v version %d, want none and 2", f.env.commits, f.st.Version("sku-s-1"))
	}
	f.env.unreachable = false
	f.n.Start()
	f.env.runFor(5 * time.Millisecond)
	if f.env.committed[topicPartition{vocab.TopicOrders, 0}] != 1 {
		t.Errorf("commits %v, want the failed commit of 1 retried", f.env.commits)
	}
}

func TestUnorderedApplyBugAppliesVersion2First(t *testing.T) {
	f := inventoryWithStock(t, Bugs{UnorderedApply: true}, 5)
	v1 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	v2 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderCancelled, 2, placed1)

	f.n.Deliver(delivery(vocab.TopicOrders, 1, v2))
	f.env.runFor(10 * time.Millisecond)
	f.n.Deliver(delivery(vocab.TopicOrders, 0, v1))
	f.env.runFor(10 * time.Millisecond)

	var applied []string
	for _, e := range f.traced("handle") {
		if e.Outcome == "applied" {
			applied = append(applied, e.Ref.ID)
		}
	}
	if !reflect.DeepEqual(applied, []string{v2.ID, v1.ID}) {
		t.Errorf("applied order = %v, want [%s %s] (v2 first: the bug)", applied, v2.ID, v1.ID)
	}
	// The cancel found nothing to release, so the late reservation leaks.
	if got := f.types("sku-s-1"); !reflect.DeepEqual(got, []string{vocab.StockRestocked, vocab.StockReserved}) {
		t.Errorf("sku-s-1 = %v, want no release", got)
	}
}

func TestPoisonEventIsRetriedThenDeadLettered(t *testing.T) {
	f := inventoryWithStock(t, Bugs{}, 5)
	o41 := placed1
	o41.Order = "o-41"
	ev := f.write(vocab.ServiceOrders, "order-o-41", vocab.OrderPlaced, 3, o41)
	f.n.Deliver(delivery(vocab.TopicOrders, 0, ev))
	f.env.runFor(time.Second)

	attempts := f.cfg.AttemptsMax
	var want []string
	for range attempts - 1 {
		want = append(want, "retry")
	}
	want = append(want, "dlq")
	if got := f.outcomes(ev.ID); !reflect.DeepEqual(got, want) {
		t.Fatalf("outcomes = %v, want %v", got, want)
	}
	// Backoff: the k-th wait is base*2^(k-1), jittered into its upper half, capped.
	var times []time.Duration
	for _, e := range f.traced("handle") {
		times = append(times, time.Duration(e.Time))
	}
	for k := 1; k < len(times); k++ {
		gap := times[k] - times[k-1]
		hi := min(f.cfg.RetryBase<<(k-1), f.cfg.RetryCap)
		if gap < hi/2 || gap > hi {
			t.Errorf("wait before attempt %d = %v, want in [%v, %v]", k+1, gap, hi/2, hi)
		}
		if k > 1 && gap < times[k-1]-times[k-2] {
			t.Errorf("backoff shrank: %v after %v", gap, times[k-1]-times[k-2])
		}
	}

	dl := f.st.DeadLetters()
	if len(dl) != 1 || dl[0].Consumer != vocab.ServiceInventory || dl[0].Ref.ID != ev.ID || dl[0].Attempts != attempts ||
		!strings.Contains(dl[0].Error, services.ErrUnknownSchema.Error()) {
		t.Errorf("dead letters = %+v, want one for %s after %d attempts with the schema error", dl, ev.ID, attempts)
	}
	dlqs := f.traced("dlq")
	if len(dlqs) != 1 || dlqs[0].Ref.ID != ev.ID || dlqs[0].Error == "" {
		t.Errorf("dlq trace = %+v, want one for %s with its error", dlqs, ev.ID)
	}
	// The compensation rejects the order on sku-dlq so that the saga ends.
	rej := f.st.Read("sku-dlq", 1)
	if len(rej) != 1 || rej[0].Type != vocab.StockRejected || rej[0].CausationID != ev.ID || rej[0].CorrelationID != "o-41" {
		t.Fatalf("sku-dlq = %+v, want one StockRejected caused by %s for o-41", rej, ev.ID)
	}
	d, err := services.Decode(&rej[0], services.CurrentSchema)
	if err != nil || d.Order != "o-41" || !strings.HasPrefix(d.Reason, "dead-lettered: ") {
		t.Errorf("rejection data = %+v, %v, want order o-41, reason dead-lettered", d, err)
	}
	if f.st.Version("sku-s-1") != 1 {
		t.Error("the poison event touched the SKU")
	}
	if !f.st.Handled(vocab.ServiceInventory, ev.ID) || f.env.committed[topicPartition{vocab.TopicOrders, 0}] != 1 {
		t.Error("a dead-lettered event must be recorded as handled and committed past")
	}
	// Once dead-lettered, a redelivery is a duplicate: no second rejection.
	f.n.Deliver(delivery(vocab.TopicOrders, 0, ev))
	f.env.runFor(time.Second)
	if n := f.st.Version("sku-dlq"); n != 1 {
		t.Errorf("sku-dlq version %d after a redelivery, want 1", n)
	}
	// The dead-letter stream is append-only: a second poison event lands after the first.
	o82 := placed1
	o82.Order = "o-82"
	ev2 := f.write(vocab.ServiceOrders, "order-o-82", vocab.OrderPlaced, 3, o82)
	f.n.Deliver(delivery(vocab.TopicOrders, 1, ev2))
	f.env.runFor(time.Second)
	if rej := f.st.Read("sku-dlq", 1); len(rej) != 2 || rej[1].CorrelationID != "o-82" {
		t.Errorf("sku-dlq = %+v, want a second rejection for o-82", rej)
	}
}

func TestProjectorWritesTheReadModel(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceProjector, Bugs{}))
	v1 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	v2 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderReserved, 2, placed1)
	f.n.Deliver(delivery(vocab.TopicOrders, 0, v1))
	f.n.Deliver(delivery(vocab.TopicOrders, 1, v2))
	f.env.runFor(10 * time.Millisecond)
	if row, ok := f.st.Projection("o-1"); !ok || row != (store.Projected{Status: vocab.StatusReserved, Version: 2}) {
		t.Errorf("projection = %+v %v, want reserved@2", row, ok)
	}
	r := f.do(Command{F: vocab.FReadProjection, Key: "o-1"})
	f.env.runFor(10 * time.Millisecond)
	if *r == nil || !(*r).OK || (*r).Status != vocab.StatusReserved {
		t.Errorf("read-projection = %+v, want ok reserved", *r)
	}
	// A redelivered v1 is a duplicate and does not roll the row back.
	f.n.Deliver(delivery(vocab.TopicOrders, 0, v1))
	f.env.runFor(10 * time.Millisecond)
	if got := f.outcomes(v1.ID); !reflect.DeepEqual(got, []string{"applied", "duplicate"}) {
		t.Errorf("v1 outcomes = %v, want [applied duplicate]", got)
	}
	if row, _ := f.st.Projection("o-1"); row.Status != vocab.StatusReserved {
		t.Errorf("projection after a redelivery = %+v, want reserved", row)
	}
}

func TestDeferredDeliveriesApplyInVersionOrder(t *testing.T) {
	f := inventoryWithStock(t, Bugs{}, 5)
	v1 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	v2 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderReserved, 2, placed1)
	v3 := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderCancelled, 2, placed1)
	f.n.Deliver(delivery(vocab.TopicOrders, 2, v3))
	f.n.Deliver(delivery(vocab.TopicOrders, 1, v2))
	f.env.runFor(10 * time.Millisecond)
	f.n.Deliver(delivery(vocab.TopicOrders, 0, v1))
	f.env.runFor(50 * time.Millisecond)

	var applied []int
	for _, e := range f.traced(trace.KindHandle) {
		if e.Outcome == "applied" {
			applied = append(applied, e.Ref.Version)
		}
	}
	if !reflect.DeepEqual(applied, []int{1, 2, 3}) {
		t.Errorf("applied versions %v, want [1 2 3]", applied)
	}
	if got, want := f.types("sku-s-1"), []string{vocab.StockRestocked, vocab.StockReserved, vocab.StockReleased}; !reflect.DeepEqual(got, want) {
		t.Errorf("sku-s-1 = %v, want %v", got, want)
	}
	if c := f.env.committed[topicPartition{vocab.TopicOrders, 0}]; c != 3 {
		t.Errorf("committed %d, want 3", c)
	}
}

// A conflict on the target stream is retried however often it happens: an
// event is never left stranded, uncommitted, after ConflictRetriesMax
// conflicts (that stranded events on a hot SKU under a long backlog:
// lost-event and saga-stuck in a correct run with 50 clients).
func TestConflictingDeliveryIsRetriedUntilApplied(t *testing.T) {
	cfg := testConfig(vocab.ServiceInventory, Bugs{})
	cfg.ConflictRetriesMax = 0 // even commands' limit does not apply to events
	f := newFixture(t, cfg)
	f.write(vocab.ServiceInventory, "sku-s-1", vocab.StockRestocked, 2, services.Data{SKU: "s-1", Qty: 5})
	ev := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)

	f.n.Deliver(delivery(vocab.TopicOrders, 0, ev))
	// A restock lands between the node's read and its append: a conflict.
	f.write(vocab.ServiceInventory, "sku-s-1", vocab.StockRestocked, 2, services.Data{SKU: "s-1", Qty: 1})
	f.env.runFor(time.Second)

	if len(f.traced("conflict")) == 0 {
		t.Fatal("no conflict happened: the test does not exercise the retry")
	}
	if got := f.types("sku-s-1"); !reflect.DeepEqual(got, []string{vocab.StockRestocked, vocab.StockRestocked, vocab.StockReserved}) {
		t.Fatalf("sku-s-1 = %v, want the reservation appended after the conflict", got)
	}
	if len(f.env.commits) == 0 {
		t.Error("the offset was never committed")
	}
}
