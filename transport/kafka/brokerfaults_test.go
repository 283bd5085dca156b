package kafka

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// A broker removed from the embedded cluster (kfake RemoveNode) and re-added
// on its port (AddNode) by a crash@broker window: while it is out, the
// cluster has one broker less and orders still complete on the others;
// after it is back, the cluster has all its brokers and nothing was lost.
// Every other broker fault opens and closes on a broker too, each window
// traced with its two edges.
func TestBrokerWindows(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	tc.setup()
	targets := tc.c.BrokerTargets()
	if len(targets) != 3 {
		t.Fatalf("broker targets %v, want 3", targets)
	}
	victim := targets[1]
	crash := faults.Window{Fault: vocab.FaultCrash, Target: victim}
	tc.fault(crash.Fault, crash.Target, true)
	if n := len(tc.emb.Addrs()); n != 2 {
		t.Fatalf("%d brokers listen during crash@%s, want 2", n, victim)
	}
	tc.placeN(5)
	tc.fault(crash.Fault, crash.Target, false)
	if n := len(tc.emb.Addrs()); n != 3 {
		t.Fatalf("%d brokers listen after crash@%s, want 3", n, victim)
	}
	for _, f := range []string{vocab.FaultPartition, vocab.FaultDelay, vocab.FaultDuplicate, vocab.FaultReorder} {
		tc.fault(f, victim, true)
		tc.loop.Run(func() bool { return false }, 50*time.Millisecond)
		tc.fault(f, victim, false)
	}
	tc.settle()
	for i := 1; i <= 5; i++ {
		if s := tc.status(fmt.Sprintf("o-%d", i)); !vocab.Terminal(s) {
			t.Fatalf("o-%d status %s after the broker came back, want terminal", i, s)
		}
	}
	edges := map[string]int{}
	for _, e := range tc.trace() {
		if e.Kind == trace.KindFault && e.Target == victim {
			edges[e.Fault]++
		}
	}
	for _, f := range vocab.Faults {
		if edges[f] != 2 {
			t.Fatalf("trace edges on %s: %v, want start and stop of each fault", victim, edges)
		}
	}
}

// duplicate@broker-N on every broker makes them apply produces and answer
// REQUEST_TIMED_OUT: the writers retry, and the log history shows a send's
// value at two offsets (Jepsen's duplicate), as the log checker tolerates.
func TestBrokerProduceTimeoutsMakeProducersRetry(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	tc.setup()
	for _, b := range tc.c.BrokerTargets() {
		tc.fault(vocab.FaultDuplicate, b, true)
	}
	tc.placeN(10)
	// The sagas' own publishes come after the places (the relay does not
	// hold the orders node): the window stays open until they settled.
	tc.settle()
	for _, b := range tc.c.BrokerTargets() {
		tc.fault(vocab.FaultDuplicate, b, false)
	}
	// Idle readers record their last polls after pollEvery without records.
	tc.loop.Run(func() bool { return false }, 4*pollEvery)
	at := offsetsSeen{} // key/value -> offsets polled
	for _, op := range tc.c.LogHistory().Ops {
		for _, m := range op.Value {
			for k, es := range m.Polled {
				for _, e := range es {
					at.add(fmt.Sprintf("%s/%d", k, e.Value), e.Offset)
				}
			}
		}
	}
	if at.twice() == 0 {
		t.Fatalf("no sent value was polled at two offsets (%d values polled): want producer retries after timeouts", len(at))
	}
}

// BrokerSchedule draws only the faults asked for, on brokers, within the
// horizon, and never two broker crashes at once.
func TestBrokerSchedule(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	s := tc.c.BrokerSchedule(rand.New(rand.NewPCG(1, 1)), []string{vocab.FaultCrash, vocab.FaultDelay}, 10*time.Second, 100*time.Millisecond)
	if len(s) < 20 {
		t.Fatalf("%d windows in 10s at a 100ms gap", len(s))
	}
	var crashUntil time.Duration
	for _, w := range s {
		if w.Fault != vocab.FaultCrash && w.Fault != vocab.FaultDelay || tc.c.brokers[w.Target] == nil || w.Start >= 10*time.Second {
			t.Fatalf("window %v", w)
		}
		if w.Fault == vocab.FaultCrash {
			if w.Start < crashUntil {
				t.Fatalf("crash %v overlaps the previous one (until %v)", w, crashUntil)
			}
			crashUntil = w.Stop
		}
	}
	if s := tc.c.BrokerSchedule(rand.New(rand.NewPCG(1, 1)), []string{vocab.FaultCrash}, time.Second, 0); s != nil {
		t.Fatalf("gap 0: %v", s)
	}
}
