package kafka

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// pollEvery bounds how long a reader waits for a record before it looks
// at its rewind requests again, and so how long a poll lasts.
const pollEvery = 50 * time.Millisecond

// subscriptions are the logical topics a service consumes.
func subscriptions(svc string) []string { return vocab.Subscriptions[svc] }

// consume reads one partition for one incarnation, from offset from on,
// and hands each record to the node as a Delivery, in offset order (or,
// during a reorder window, each after a random delay). It ends with the
// incarnation.
func (inc *incarnation) consume(tp topicPart, from int64, rng *rand.Rand) {
	defer inc.readers.Done()
	m := inc.m
	r := kafkago.NewReader(kafkago.ReaderConfig{
		Brokers: m.c.cfg.Brokers, Topic: m.c.cfg.topic(tp.topic), Partition: tp.partition, Dialer: m.dialer,
		MinBytes: 1, MaxBytes: 1 << 20, MaxWait: m.c.cfg.FetchWait, QueueCapacity: 64,
		ReadBackoffMin: 5 * time.Millisecond, ReadBackoffMax: 100 * time.Millisecond, ReadLagInterval: -1,
	})
	defer r.Close()
	if err := r.SetOffset(from); err != nil {
		return // closed: cannot happen before the first fetch
	}
	high := int64(-1) // highest offset handed to the node by this incarnation
	rewound := m.rewinds.Load()
	polled := pollLog{l: m.c.log, proc: m.c.log.process(), key: logKey(tp)}
	defer polled.flush()
	// One deadline serves the fetches of a poll (a timer per record was a
	// tenth of the readers' allocations): it ends the poll at the latest.
	var dl pollDeadline
	defer dl.stop()
	for inc.ctx.Err() == nil {
		if g := m.rewinds.Load(); g != rewound {
			// A rebalance's redelivery: resume from the committed offset.
			rewound = g
			polled.flush()
			m.c.log.assign(polled.proc)
			_ = r.SetOffset(m.c.durableOffset(m.svc, tp))
		}
		msg, err := r.FetchMessage(dl.get(inc.ctx))
		if err != nil {
			polled.flush() // nothing more for now: the poll ends here
			if !errors.Is(err, context.DeadlineExceeded) && inc.ctx.Err() == nil {
				sleep(inc.ctx, 10*time.Millisecond) // the reader retries by itself; do not spin
			}
			continue
		}
		polled.add(&msg)
		var ev trace.Envelope
		if err := trace.DecodeEnvelope(msg.Value, &ev); err != nil {
			// Not an envelope: nothing of ours writes one, so the topic is
			// shared with someone else. Skip it; it is never committed
			// past unless a later record of ours is.
			continue
		}
		d := node.Delivery{Topic: tp.topic, Partition: tp.partition, Offset: msg.Offset, Event: ev, Dup: msg.Offset <= high}
		high = max(high, msg.Offset)
		inc.deliver(d, rng)
	}
}

// pollDeadline is the deadline of a reader's poll: pollEvery from its
// first fetch on.
type pollDeadline struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// get returns the poll's context, a new one when the last one ended.
func (p *pollDeadline) get(parent context.Context) context.Context {
	if p.ctx == nil || p.ctx.Err() != nil {
		p.stop()
		p.ctx, p.cancel = context.WithTimeout(parent, pollEvery)
	}
	return p.ctx
}

func (p *pollDeadline) stop() {
	if p.cancel != nil {
		p.cancel()
	}
}

// deliver posts a delivery to the node; during a reorder window after a
// random delay, so that later records overtake earlier ones.
func (inc *incarnation) deliver(d node.Delivery, rng *rand.Rand) {
	inc.inflight.Add(1)
	post := func() {
		ok := inc.m.actor.Post(inc.ctx, func() {
			inc.m.step(inc, func() { inc.node.Deliver(d) })
			inc.inflight.Add(-1) // after the step: Quiet must not see a gap
		})
		if !ok {
			inc.inflight.Add(-1)
		}
	}
	if inc.m.reorder.Load() > 0 {
		time.AfterFunc(time.Duration(rng.Int64N(int64(inc.m.c.cfg.ReorderJitter)+1)), post)
		return
	}
	post()
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
