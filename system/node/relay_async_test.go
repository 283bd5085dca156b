package node

import (
	"reflect"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// asyncEnv is a fakeEnv whose publishes complete when the test says so:
// each PublishAsync call waits in flight until ack.
type asyncEnv struct {
	*fakeEnv
	flight []asyncBatch
}

type asyncBatch struct {
	aggs []string
	done func(int)
}

func (e *asyncEnv) PublishAsync(topics []string, evs []trace.Envelope, done func(int)) {
	b := asyncBatch{done: done}
	for i := range evs {
		if topics[i] != vocab.TopicOf(evs[i].Aggregate) {
			panic("asyncEnv: topic of " + evs[i].Aggregate)
		}
		b.aggs = append(b.aggs, evs[i].Aggregate)
	}
	e.flight = append(e.flight, b)
}

// ack completes the oldest batch in flight with sent acknowledged, as a
// step of the node a moment later.
func (e *asyncEnv) ack(t *testing.T, sent int) []string {
	t.Helper()
	if len(e.flight) == 0 {
		t.Fatal("no batch in flight")
	}
	b := e.flight[0]
	e.flight = e.flight[1:]
	e.After(0, func() { b.done(sent) })
	return b.aggs
}

// The relay over an AsyncPublisher keeps one batch in flight, does not
// hold the node meanwhile, and republishes what a batch left
// unacknowledged, in order.
func TestAsyncRelayKeepsOneBatchInFlightAndRepublishesTheRest(t *testing.T) {
	env := &asyncEnv{fakeEnv: newFakeEnv(1)}
	f := newFixture(t, testConfig(vocab.ServiceOrders, Bugs{}))
	f.env = env.fakeEnv
	f.n = New(f.cfg, env, f.st)
	f.n.Start()
	f.do(placeCmd(1, "o-1"))
	f.env.runFor(10 * time.Millisecond)
	if len(env.flight) != 1 || !reflect.DeepEqual(env.flight[0].aggs, []string{"order-o-1"}) {
		t.Fatalf("in flight: %+v, want one batch of o-1", env.flight)
	}
	// The node serves commands while the batch is in flight, and sends no
	// second batch before the first is answered.
	r2, r3 := f.do(placeCmd(2, "o-2")), f.do(placeCmd(3, "o-3"))
	f.env.runFor(10 * time.Millisecond)
	if *r2 == nil || !(*r2).OK || *r3 == nil || !(*r3).OK {
		t.Fatalf("places during a publish: %v %v, want both ok", *r2, *r3)
	}
	if len(env.flight) != 1 {
		t.Fatalf("%d batches in flight, want 1", len(env.flight))
	}
	env.ack(t, 1)
	f.env.runFor(10 * time.Millisecond)
	if len(env.flight) != 1 || !reflect.DeepEqual(env.flight[0].aggs, []string{"order-o-2", "order-o-3"}) {
		t.Fatalf("after the first ack: %+v, want o-2 and o-3", env.flight)
	}
	// Only o-2 acknowledged: o-3 goes out again, alone, after a backoff.
	env.ack(t, 1)
	f.env.runFor(200 * time.Millisecond)
	if len(env.flight) != 1 || !reflect.DeepEqual(env.flight[0].aggs, []string{"order-o-3"}) {
		t.Fatalf("after a partial ack: %+v, want o-3 again", env.flight)
	}
	if !f.n.Busy() {
		t.Error("node not busy with o-3 unacknowledged")
	}
	env.ack(t, 1)
	f.env.runFor(10 * time.Millisecond)
	if c := f.st.OutboxCursor(vocab.ServiceOrders); c != 3 || f.n.Busy() || len(env.flight) != 0 {
		t.Errorf("cursor %d, busy %v, in flight %d: want 3, false, 0", c, f.n.Busy(), len(env.flight))
	}
}
