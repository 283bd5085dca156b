package sim

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// testCluster is a seeded cluster whose trace the test keeps. Every
// OrderPlaced is written at schema 2 so that sagas end without the DLQ.
type testCluster struct {
	t      *testing.T
	loop   *Loop
	c      *Cluster
	events []trace.Event
	// onTrace, when set, sees each trace event as it is recorded.
	onTrace func(trace.Event)
}

func newTestCluster(t *testing.T, seed uint64, cfg Config) *testCluster {
	tc := &testCluster{t: t, loop: &Loop{}}
	nodeCfg := func(svc string) node.Config {
		nc := node.DefaultConfig(svc, node.Bugs{})
		nc.LegacyEvery, nc.FutureEvery = 0, 0
		return nc
	}
	tc.c = NewCluster(tc.loop, rand.New(rand.NewPCG(seed, seed)), cfg, nodeCfg, func(e trace.Event) {
		tc.events = append(tc.events, e)
		if tc.onTrace != nil {
			tc.onTrace(e)
		}
	})
	return tc
}

// invoke sends a command and returns where its reply will be.
func (tc *testCluster) invoke(cmd node.Command) **node.Reply {
	got := new(*node.Reply)
	tc.c.Invoke(cmd, func(r node.Reply) { *got = &r })
	return got
}

// settle runs until the cluster is quiet, failing the test after a bound.
func (tc *testCluster) settle() {
	tc.t.Helper()
	if !tc.loop.RunUntil(tc.loop.Now()+5*time.Second, tc.c.Quiet) {
		tc.t.Fatalf("cluster not quiet at %v", tc.loop.Now())
	}
}

// await runs until a reply came, failing the test after a bound. Quiet
// does not see client requests in flight, so settle alone cannot wait for them.
func (tc *testCluster) await(r **node.Reply) *node.Reply {
	tc.t.Helper()
	if !tc.loop.RunUntil(tc.loop.Now()+time.Second, func() bool { return *r != nil }) {
		tc.t.Fatalf("no reply by %v", tc.loop.Now())
	}
	return *r
}

// setup credits c-1 and stocks s-1, then waits for quiet.
func (tc *testCluster) setup() {
	tc.t.Helper()
	dep := tc.invoke(node.Command{F: vocab.FDeposit, Key: "c-1", Amount: 1000})
	res := tc.invoke(node.Command{F: vocab.FRestock, Key: "s-1", Qty: 100})
	if d, r := tc.await(dep), tc.await(res); !d.OK || !r.OK {
		tc.t.Fatalf("setup replies %+v %+v", d, r)
	}
	tc.settle()
}

func (tc *testCluster) place(op int, key string) **node.Reply {
	return tc.invoke(node.Command{Op: op, F: vocab.FPlace, Key: key, Customer: "c-1", SKU: "s-1", Qty: 2, Amount: 20})
}

func (tc *testCluster) readStatus(key string) string {
	tc.t.Helper()
	return tc.await(tc.invoke(node.Command{F: vocab.FReadStrong, Key: key})).Status
}

// outcomes returns one node's handle outcomes for events of a type.
func (tc *testCluster) outcomes(svc, typ string) []string {
	var out []string
	for _, e := range tc.events {
		if e.Kind == trace.KindHandle && e.Node == svc && e.Ref.Type == typ {
			out = append(out, e.Outcome)
		}
	}
	return out
}

func window(fault, target string) faults.Window { return faults.Window{Fault: fault, Target: target} }

func TestClusterRunsTheSagaToCompletion(t *testing.T) {
	tc := newTestCluster(t, 1, DefaultConfig())
	tc.setup()
	if r := tc.await(tc.place(1, "o-1")); !r.OK {
		t.Fatalf("place reply %+v", r)
	}
	tc.settle()
	if got := tc.readStatus("o-1"); got != vocab.StatusCompleted {
		t.Errorf("o-1 status %q, want completed", got)
	}
	if row, ok := tc.c.Store().Projection("o-1"); !ok || row.Status != vocab.StatusCompleted {
		t.Errorf("projection %+v %v, want completed", row, ok)
	}
}

func TestCrashDropsInflightDeliveriesAndRestartRereads(t *testing.T) {
	cfg := DefaultConfig()
	// Deliveries take longer than a poll: there is a window with one in flight.
	cfg.NetLatencyMin, cfg.NetLatencyMax = 5*ms, 5*ms
	tc := newTestCluster(t, 2, cfg)
	tc.setup()
	inv := tc.c.members[vocab.ServiceInventory]
	gp := groupPartition{vocab.ServiceInventory, vocab.TopicOrders, tc.c.bus.PartitionOf("order-o-1")}

	var crashedAt time.Duration
	var fetchedAtCrash int64
	tc.onTrace = func(e trace.Event) {
		if e.Kind == trace.KindPublish && e.Ref.Type == vocab.OrderPlaced && crashedAt == 0 {
			crashedAt = tc.loop.Now() + 3*ms // polled (≤ 1ms), not yet arrived (5ms)
			tc.loop.After(3*ms, func() {
				fetchedAtCrash = tc.c.bus.fetched[gp]
				tc.c.StartFault(window(vocab.FaultCrash, vocab.ServiceInventory))
			})
			tc.loop.After(20*ms, func() {
				tc.c.StopFault(window(vocab.FaultCrash, vocab.ServiceInventory))
				if tc.c.bus.fetched[gp] != tc.c.bus.committed[gp] {
					t.Errorf("after restart fetch = %d, want the committed offset %d", tc.c.bus.fetched[gp], tc.c.bus.committed[gp])
				}
			})
		}
	}
	committedBefore := tc.c.bus.committed[gp]
	tc.await(tc.place(1, "o-1"))
	tc.loop.RunUntil(tc.loop.Now()+30*ms, func() bool { return false }) // past the restart
	tc.settle()

	if crashedAt == 0 || inv.inc != 3 {
		t.Fatalf("scenario did not run: crashed at %v, incarnation %d", crashedAt, inv.inc)
	}
	if fetchedAtCrash != committedBefore+1 {
		t.Fatalf("at the crash inventory had fetched to %d, want %d (the order in flight)", fetchedAtCrash, committedBefore+1)
	}
	var delivered []time.Duration
	for _, e := range tc.events {
		if e.Kind == trace.KindDeliver && e.Node == vocab.ServiceInventory && e.Ref.Type == vocab.OrderPlaced {
			delivered = append(delivered, time.Duration(e.Time))
		}
	}
	if len(delivered) != 1 || delivered[0] < crashedAt {
		t.Errorf("OrderPlaced delivered to inventory at %v, want once, after the crash at %v (the first was dropped)", delivered, crashedAt)
	}
	if got := tc.readStatus("o-1"); got != vocab.StatusCompleted {
		t.Errorf("o-1 status %q after the crash, want completed", got)
	}
}

func TestRestartedNodeRereadsUncommittedAsDuplicates(t *testing.T) {
	tc := newTestCluster(t, 3, DefaultConfig())
	tc.setup()
	// Cut inventory off the bus as soon as the order reaches it: the
	// reservation is written (the store is reachable) but its offset commit
	// fails. Crash it there, heal, restart: it re-reads the order.
	done := false
	tc.onTrace = func(e trace.Event) {
		if e.Kind == trace.KindDeliver && e.Node == vocab.ServiceInventory && e.Ref.Type == vocab.OrderPlaced && !done {
			done = true
			tc.loop.After(0, func() { tc.c.StartFault(window(vocab.FaultPartition, vocab.ServiceInventory)) })
			tc.loop.After(20*ms, func() {
				tc.c.StartFault(window(vocab.FaultCrash, vocab.ServiceInventory))
				tc.c.StopFault(window(vocab.FaultPartition, vocab.ServiceInventory))
				tc.c.StopFault(window(vocab.FaultCrash, vocab.ServiceInventory))
			})
		}
	}
	tc.await(tc.place(1, "o-1"))
	tc.loop.RunUntil(tc.loop.Now()+30*ms, func() bool { return false }) // past the restart
	tc.settle()

	if got := tc.outcomes(vocab.ServiceInventory, vocab.OrderPlaced); !reflect.DeepEqual(got, []string{"applied", "duplicate"}) {
		t.Errorf("inventory outcomes for OrderPlaced = %v, want [applied duplicate]", got)
	}
	var reserves int
	for _, e := range tc.c.Store().Read("sku-s-1", 1) {
		if e.Type == vocab.StockReserved {
			reserves++
		}
	}
	if reserves != 1 {
		t.Errorf("%d reservations, want 1: the re-read must be deduplicated", reserves)
	}
	if got := tc.readStatus("o-1"); got != vocab.StatusCompleted {
		t.Errorf("o-1 status %q, want completed", got)
	}
}

func TestPartitionMakesPublishAndCommitFail(t *testing.T) {
	tc := newTestCluster(t, 4, DefaultConfig())
	m := tc.c.members[vocab.ServiceOrders]
	env := &simEnv{c: tc.c, m: m, inc: m.inc, rng: rand.New(rand.NewPCG(9, 9))}
	ev := trace.Envelope{ID: "ev-x", Aggregate: "order-o-9", Version: 1, Type: vocab.OrderPlaced}

	tc.c.StartFault(window(vocab.FaultPartition, vocab.ServiceOrders))
	if err := env.Publish(vocab.TopicOrders, ev); !errors.Is(err, ErrUnreachable) {
		t.Errorf("Publish while partitioned: err = %v, want ErrUnreachable", err)
	}
	if err := env.Commit(vocab.TopicInventory, 0, 7); !errors.Is(err, ErrUnreachable) {
		t.Errorf("Commit while partitioned: err = %v, want ErrUnreachable", err)
	}
	if tc.c.Bus().Records() != 0 || env.Committed(vocab.TopicInventory, 0) != 0 {
		t.Error("a partitioned node reached the bus")
	}
	// The store is not partitioned: a place is acknowledged, but published
	// only after the partition heals.
	r := tc.place(1, "o-1")
	tc.loop.RunUntil(50*ms, func() bool { return false })
	if *r == nil || !(*r).OK || tc.c.Store().Version("order-o-1") != 1 || tc.c.Bus().Records() != 0 {
		t.Fatalf("while partitioned: reply %+v, records %d", *r, tc.c.Bus().Records())
	}
	if tc.c.Quiet() {
		t.Error("a partitioned cluster reported quiet")
	}
	tc.c.StopFault(window(vocab.FaultPartition, vocab.ServiceOrders))
	tc.loop.RunUntil(tc.loop.Now()+50*ms, func() bool { return false })
	if tc.c.Bus().Records() == 0 {
		t.Error("after healing the outbox was not relayed")
	}
	before := tc.c.Bus().Records()
	if err := env.Publish(vocab.TopicOrders, ev); err != nil || tc.c.Bus().Records() != before+1 {
		t.Errorf("Publish after healing: %v, records %d → %d", err, before, tc.c.Bus().Records())
	}
}

func TestCrashedServiceNeverReplies(t *testing.T) {
	tc := newTestCluster(t, 5, DefaultConfig())
	tc.c.StartFault(window(vocab.FaultCrash, vocab.ServiceOrders))
	r := tc.place(1, "o-1")
	tc.loop.RunUntil(100*ms, func() bool { return false })
	if *r != nil || tc.c.Store().Version("order-o-1") != 0 {
		t.Errorf("a crashed service replied %+v or wrote", *r)
	}
}

func TestSameSeedSameTrace(t *testing.T) {
	run := func() []trace.Event {
		tc := newTestCluster(t, 6, DefaultConfig())
		tc.setup()
		tc.c.StartFault(window(vocab.FaultDuplicate, vocab.ServiceInventory))
		tc.await(tc.place(1, "o-1"))
		tc.await(tc.place(2, "o-2"))
		tc.loop.RunUntil(tc.loop.Now()+30*ms, func() bool { return false })
		tc.c.StopFault(window(vocab.FaultDuplicate, vocab.ServiceInventory))
		tc.settle()
		return tc.events
	}
	a, b := run(), run()
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs of one seed differ: %d and %d trace events", len(a), len(b))
	}
}

func TestPartitionedConsumerCatchesUpAfterHeal(t *testing.T) {
	tc := newTestCluster(t, 7, DefaultConfig())
	tc.setup()
	tc.c.StartFault(window(vocab.FaultPartition, vocab.ServiceInventory))
	tc.await(tc.place(1, "o-1"))
	tc.loop.RunUntil(tc.loop.Now()+50*ms, func() bool { return false })
	if got := tc.outcomes(vocab.ServiceInventory, vocab.OrderPlaced); len(got) != 0 {
		t.Fatalf("a partitioned consumer handled %v", got)
	}
	if got := tc.readStatus("o-1"); got != vocab.StatusPlaced {
		t.Fatalf("o-1 %q while inventory is cut off, want placed", got)
	}
	// Nothing new is published after the heal: the heal itself must resume fetching.
	tc.c.StopFault(window(vocab.FaultPartition, vocab.ServiceInventory))
	tc.settle()
	if got := tc.readStatus("o-1"); got != vocab.StatusCompleted {
		t.Errorf("o-1 %q after the heal, want completed", got)
	}
}
