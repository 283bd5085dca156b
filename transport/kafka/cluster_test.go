package kafka

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/realtime"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// testCluster is a Cluster on a fresh embedded broker, or on the brokers of
// BrokersEnv when real is true, with the trace kept for assertions.
type testCluster struct {
	t    *testing.T
	loop *realtime.Loop
	c    *Cluster
	emb  *Embedded // nil on a real cluster

	mu     sync.Mutex
	events []trace.Event
	// onTrace, when set, sees each event as it is recorded, on the
	// recording node's goroutine (post to the loop to act on it).
	onTrace func(trace.Event)
}

var runSeq int

func newTestCluster(t *testing.T, real bool, bugs node.Bugs) *testCluster {
	t.Helper()
	var brokers []string
	var emb *Embedded
	if real {
		env := os.Getenv(BrokersEnv)
		if env == "" {
			t.Skipf("no real Kafka: set %s=host:port,... to run this test against one", BrokersEnv)
		}
		brokers = strings.Split(env, ",")
	} else {
		var err error
		emb, err = StartEmbedded(3, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(emb.Close)
		brokers = emb.Addrs()
	}
	runSeq++
	tc := &testCluster{t: t, loop: realtime.New(), emb: emb}
	cfg := DefaultConfig(brokers, fmt.Sprintf("jl-test-%d-%d.", time.Now().UnixNano(), runSeq))
	nodeCfg := func(svc string) node.Config {
		nc := node.DefaultConfig(svc, bugs)
		nc.LegacyEvery, nc.FutureEvery = 0, 0
		return nc
	}
	c, err := NewCluster(cfg, tc.loop, rand.New(rand.NewPCG(3, 4)), nodeCfg, func(e trace.Event) {
		tc.mu.Lock()
		tc.events = append(tc.events, e)
		hook := tc.onTrace
		tc.mu.Unlock()
		if hook != nil {
			hook(e)
		}
	}, emb)
	if err != nil {
		t.Fatal(err)
	}
	tc.c = c
	t.Cleanup(func() { c.Close(); tc.loop.Close() })
	return tc
}

// call invokes a command and runs the loop until its reply, failing after a bound.
func (tc *testCluster) call(cmd node.Command) node.Reply {
	tc.t.Helper()
	var got *node.Reply
	tc.loop.Post(func() { tc.c.Invoke(cmd, func(r node.Reply) { got = &r }) })
	if !tc.loop.Run(func() bool { return got != nil }, 5*time.Second) {
		tc.t.Fatalf("%s %s: no reply in 5s", cmd.F, cmd.Key)
	}
	return *got
}

// settle runs the loop until the cluster is quiet, failing after 15s.
func (tc *testCluster) settle() {
	tc.t.Helper()
	tc.settleWithin(15 * time.Second)
}

// settleWithin runs the loop until the cluster is quiet, failing after max.
func (tc *testCluster) settleWithin(max time.Duration) {
	tc.t.Helper()
	quiet := false
	var poll func()
	poll = func() {
		if tc.c.Quiet() {
			quiet = true
			return
		}
		tc.loop.After(10*time.Millisecond, poll)
	}
	tc.loop.Post(poll)
	if !tc.loop.Run(func() bool { return quiet }, max) {
		tc.t.Fatalf("cluster not quiet after %v\n%s", max, tc.c.debugState())
	}
}

// trace returns a copy of the trace so far.
func (tc *testCluster) trace() []trace.Event {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return append([]trace.Event(nil), tc.events...)
}

// setup deposits and restocks enough for a few orders.
func (tc *testCluster) setup() {
	tc.t.Helper()
	if r := tc.call(node.Command{F: vocab.FDeposit, Key: "c-0", Amount: 1000}); !r.OK {
		tc.t.Fatalf("deposit: %+v", r)
	}
	if r := tc.call(node.Command{F: vocab.FRestock, Key: "s-0", Qty: 50}); !r.OK {
		tc.t.Fatalf("restock: %+v", r)
	}
}

func (tc *testCluster) status(order string) string {
	tc.t.Helper()
	r := tc.call(node.Command{F: vocab.FReadStrong, Key: order})
	if !r.OK {
		tc.t.Fatalf("read %s: %+v", order, r)
	}
	return r.Status
}

// One order's saga runs to completion over the embedded brokers: each
// event published once, delivered to every subscriber, handled and committed.
func TestOneSagaOverEmbeddedKafka(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	tc.setup()
	if r := tc.call(node.Command{Op: 1, F: vocab.FPlace, Key: "o-1", Customer: "c-0", SKU: "s-0", Qty: 2, Amount: 30}); !r.OK {
		t.Fatalf("place: %+v", r)
	}
	tc.settle()
	if s := tc.status("o-1"); s != vocab.StatusCompleted {
		t.Fatalf("o-1 status %s, want completed", s)
	}
	counts := map[string]int{}
	for _, e := range tc.trace() {
		counts[e.Kind]++
	}
	if counts[trace.KindPublish] == 0 || counts[trace.KindDeliver] < counts[trace.KindPublish] || counts[trace.KindCommit] == 0 {
		t.Fatalf("trace kinds %v: want publishes, at least as many deliveries, and commits", counts)
	}
}
