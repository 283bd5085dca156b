package node

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func placeCmd(op int, key string) Command {
	return Command{Op: op, F: vocab.FPlace, Key: key, Customer: "c-1", SKU: "s-1", Qty: 2, Amount: 20}
}

// index returns the position in the trace of the first event of kind for op, -1 if none.
func (f *fixture) index(kind string, op int) int {
	for i, e := range f.env.events {
		if e.Kind == kind && e.Op != nil && *e.Op == op {
			return i
		}
	}
	return -1
}

func TestPlaceAppendsOrderPlacedAndRepliesOK(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	r := f.do(placeCmd(3, "o-1"))
	if *r != nil {
		t.Fatal("place replied before the store round trip")
	}
	f.env.runFor(10 * time.Millisecond)
	if *r == nil || !(*r).OK {
		t.Fatalf("reply = %+v, want ok", *r)
	}
	evs := f.st.Read("order-o-1", 1)
	if len(evs) != 1 || evs[0].Type != vocab.OrderPlaced || evs[0].CausationID != "op-3" || evs[0].CorrelationID != "o-1" ||
		evs[0].SchemaVersion != services.CurrentSchema {
		t.Fatalf("order-o-1 = %+v, want one OrderPlaced at schema 2 caused by op-3", evs)
	}
	d, err := services.Decode(&evs[0], 3)
	if err != nil || d != placed1 {
		t.Errorf("OrderPlaced data = %+v, %v, want %+v", d, err, placed1)
	}
	app, ack := f.index(trace.KindAppend, 3), f.index(trace.KindAck, 3)
	if app < 0 || ack < 0 || app > ack {
		t.Errorf("trace append at %d, ack at %d: want the append first, both tagged op 3", app, ack)
	}
}

func TestPlaceRejectedCommandsWriteNothing(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	bad := placeCmd(1, "o-1")
	bad.Qty = 0
	r := f.do(bad)
	if *r == nil || (*r).OK || !strings.HasPrefix((*r).Error, vocab.ErrInvalid+": ") {
		t.Errorf("qty 0: reply %+v, want a synchronous invalid failure", *r)
	}
	first := f.do(placeCmd(2, "o-1"))
	f.env.runFor(10 * time.Millisecond)
	dup := f.do(placeCmd(3, "o-1"))
	f.env.runFor(10 * time.Millisecond)
	if *first == nil || !(*first).OK {
		t.Fatalf("first place: %+v", *first)
	}
	if *dup == nil || (*dup).OK || (*dup).Error != vocab.ErrDuplicateID {
		t.Errorf("second place of o-1: %+v, want fail %s", *dup, vocab.ErrDuplicateID)
	}
	if v := f.st.Version("order-o-1"); v != 1 {
		t.Errorf("order-o-1 version %d, want 1", v)
	}
	if f.index(trace.KindAck, 1) >= 0 || f.index(trace.KindAck, 3) >= 0 {
		t.Error("a failed command was traced as acknowledged")
	}
}

func TestConcurrentPlacesOfOneIDOnlyOneWins(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	a, b := f.do(placeCmd(1, "o-1")), f.do(placeCmd(2, "o-1"))
	f.env.runFor(10 * time.Millisecond)
	if *a == nil || *b == nil || !(*a).OK || (*b).OK || (*b).Error != vocab.ErrDuplicateID {
		t.Errorf("replies %+v and %+v, want ok then duplicate-id", *a, *b)
	}
	if len(f.traced(trace.KindConflict)) != 1 || f.st.Version("order-o-1") != 1 {
		t.Error("the losing place must conflict and write nothing")
	}
}

func TestAckBeforePersistBugRepliesBeforeTheAppend(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{AckBeforePersist: true}))
	f.n.Start()
	r := f.do(placeCmd(5, "o-1"))
	if *r == nil || !(*r).OK {
		t.Fatalf("reply %+v, want ok at once (the bug)", *r)
	}
	if f.st.Version("order-o-1") != 0 || !f.n.Busy() {
		t.Fatal("with ack-before-persist the order is not yet written and the node is busy")
	}
	f.env.runFor(f.cfg.WriteBehind / 2)
	if f.st.Version("order-o-1") != 0 {
		t.Fatal("the write-behind buffer was flushed before WriteBehind passed")
	}
	f.env.runFor(f.cfg.WriteBehind/2 + 5*time.Millisecond)
	if f.st.Version("order-o-1") != 1 {
		t.Fatal("the write-behind buffer was never flushed")
	}
	ack, app := f.index(trace.KindAck, 5), -1
	for i, e := range f.env.events {
		if e.Kind == trace.KindAppend {
			app = i
			break
		}
	}
	if ack < 0 || app < 0 || ack > app {
		t.Errorf("ack at %d, append at %d: want the ack first", ack, app)
	}
}

// reservedDelivery writes StockReserved for o-1 as the inventory would and
// returns its delivery to the orders service.
func reservedDelivery(f *fixture) Delivery {
	ev := f.write(vocab.ServiceInventory, "sku-s-1", vocab.StockReserved, 2,
		services.Data{Order: "o-1", SKU: "s-1", Qty: 2})
	return delivery(vocab.TopicInventory, 0, ev)
}

func TestCancelRacingConsumerAppendRetriesOnConflict(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	// Both decide on version 1; the consumer's append is scheduled first.
	f.n.Deliver(reservedDelivery(f))
	r := f.do(Command{Op: 7, F: vocab.FCancel, Key: "o-1"})
	f.env.runFor(200 * time.Millisecond)

	conflicts := f.traced(trace.KindConflict)
	if len(conflicts) != 1 || conflicts[0].Stream != "order-o-1" || conflicts[0].Expected != 1 || conflicts[0].Actual != 2 {
		t.Errorf("conflicts = %+v, want one on order-o-1 expected 1 actual 2", conflicts)
	}
	if *r == nil || !(*r).OK {
		t.Fatalf("cancel reply = %+v, want ok after the retry", *r)
	}
	want := []string{vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderCancelled}
	if got := f.types("order-o-1"); !reflect.DeepEqual(got, want) {
		t.Errorf("order-o-1 = %v, want %v", got, want)
	}
	if c := f.st.Read("order-o-1", 3)[0]; c.CausationID != "op-7" || c.CorrelationID != "o-1" {
		t.Errorf("cancel causation %q correlation %q, want op-7 and o-1", c.CausationID, c.CorrelationID)
	}
}

func TestConsumerRacingCancelRetriesAndIgnores(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	// Now the cancel's append is scheduled first: the consumer conflicts,
	// decides again on the cancelled order, and ignores the reservation.
	r := f.do(Command{Op: 7, F: vocab.FCancel, Key: "o-1"})
	d := reservedDelivery(f)
	f.n.Deliver(d)
	f.env.runFor(200 * time.Millisecond)

	if *r == nil || !(*r).OK {
		t.Fatalf("cancel reply = %+v, want ok", *r)
	}
	if n := len(f.traced(trace.KindConflict)); n != 1 {
		t.Errorf("%d conflicts, want 1", n)
	}
	if got := f.types("order-o-1"); !reflect.DeepEqual(got, []string{vocab.OrderPlaced, vocab.OrderCancelled}) {
		t.Errorf("order-o-1 = %v, want placed then cancelled only", got)
	}
	if got := f.outcomes(d.Event.ID); !reflect.DeepEqual(got, []string{"applied"}) || !f.st.Handled(vocab.ServiceOrders, d.Event.ID) {
		t.Errorf("outcomes %v, want the ignored event handled (applied) and recorded", got)
	}
}

func TestCancelRefusals(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	nf := f.do(Command{Op: 1, F: vocab.FCancel, Key: "o-9"})
	f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderPlaced, 2, placed1)
	f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderRejected, 2, placed1)
	nc := f.do(Command{Op: 2, F: vocab.FCancel, Key: "o-1"})
	f.env.runFor(10 * time.Millisecond)
	if *nf == nil || (*nf).Error != vocab.ErrNotFound {
		t.Errorf("cancel of an unknown order: %+v, want %s", *nf, vocab.ErrNotFound)
	}
	if *nc == nil || (*nc).Error != vocab.ErrNotCancellable {
		t.Errorf("cancel of a rejected order: %+v, want %s", *nc, vocab.ErrNotCancellable)
	}
	if f.st.Version("order-o-1") != 2 || f.st.Version("order-o-9") != 0 {
		t.Error("a refused cancel wrote")
	}
}

func TestRelayPublishesOutboxInOrderAndResumes(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	f.n.Start()
	f.do(placeCmd(1, "o-1"))
	f.do(placeCmd(2, "o-2"))
	f.env.runFor(10 * time.Millisecond)
	if len(f.env.published) != 2 || f.env.published[0].topic != vocab.TopicOrders ||
		f.env.published[0].ev.Aggregate != "order-o-1" || f.env.published[1].ev.Aggregate != "order-o-2" {
		t.Fatalf("published = %+v, want o-1 then o-2 on orders", f.env.published)
	}
	if c := f.st.OutboxCursor(vocab.ServiceOrders); c != 2 {
		t.Errorf("durable relay cursor = %d, want 2", c)
	}
	// While the bus is unreachable nothing is lost: it goes out afterwards.
	f.env.unreachable = true
	f.do(placeCmd(3, "o-3"))
	f.env.runFor(10 * time.Millisecond)
	if len(f.env.published) != 2 {
		t.Fatalf("published while unreachable: %+v", f.env.published)
	}
	f.env.unreachable = false
	f.env.runFor(200 * time.Millisecond)
	if len(f.env.published) != 3 || f.env.published[2].ev.Aggregate != "order-o-3" {
		t.Errorf("after reconnecting: published %d events, want o-3 third", len(f.env.published))
	}
	if f.n.Busy() {
		t.Error("node still busy with its outbox relayed")
	}
}

func TestReadsAndSetupCommands(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServicePayment, Bugs{}))
	dep := f.do(Command{Op: 1, F: vocab.FDeposit, Key: "c-1", Amount: 70})
	f.env.runFor(10 * time.Millisecond)
	bal := f.do(Command{Op: 2, F: vocab.FReadBalance, Key: "c-1"})
	unknown := f.do(Command{Op: 3, F: "frobnicate", Key: "c-1"})
	f.env.runFor(10 * time.Millisecond)
	if *dep == nil || !(*dep).OK {
		t.Fatalf("deposit: %+v", *dep)
	}
	if *bal == nil || (*bal).Balance == nil || *(*bal).Balance != 70 {
		t.Errorf("read-balance = %+v, want 70", *bal)
	}
	if *unknown == nil || (*unknown).OK || !strings.HasPrefix((*unknown).Error, vocab.ErrInvalid) {
		t.Errorf("unknown op: %+v, want an invalid failure", *unknown)
	}
	if ServiceFor(vocab.FReadBalance) != vocab.ServicePayment || ServiceFor(vocab.FRestock) != vocab.ServiceInventory ||
		ServiceFor(vocab.FCancel) != vocab.ServiceOrders {
		t.Error("ServiceFor routes an operation to the wrong service")
	}
}

func TestRelayResumesFromTheDurableCursor(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	f.n.Start()
	f.do(placeCmd(1, "o-1"))
	for i := 0; i < 100 && len(f.env.published) == 0; i++ {
		f.env.runFor(100 * time.Microsecond)
	}
	if len(f.env.published) != 1 || f.st.OutboxCursor(vocab.ServiceOrders) != 0 {
		t.Fatalf("published %d, cursor %d: want the publish before the cursor write",
			len(f.env.published), f.st.OutboxCursor(vocab.ServiceOrders))
	}
	// Crash there (the old env never runs again): the next incarnation
	// publishes o-1 again, at least once.
	restart := func() *fakeEnv {
		env := newFakeEnv(2)
		New(f.cfg, env, f.st).Start()
		env.runFor(20 * time.Millisecond)
		return env
	}
	if env := restart(); len(env.published) != 1 || env.published[0].ev.Aggregate != "order-o-1" {
		t.Errorf("after a crash before the cursor write: published %+v, want o-1 again", env.published)
	}
	if c := f.st.OutboxCursor(vocab.ServiceOrders); c != 1 {
		t.Fatalf("cursor %d, want 1", c)
	}
	// Once the cursor is durable, a restart publishes nothing again.
	if env := restart(); len(env.published) != 0 {
		t.Errorf("a restart past the durable cursor republished %+v", env.published)
	}
}
