package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

// Publish writes one event, keyed by its aggregate, and waits for the
// brokers' acknowledgement (all in-sync replicas) for at most
// PublishTimeout, the writer's retries included. A partitioned service
// fails at once, as its connections are refused (nothing is sent, so the
// log history does not record it). A send that failed otherwise is
// indeterminate (info): it may have landed.
func (inc *incarnation) Publish(topic string, ev trace.Envelope) error {
	if n, err := inc.PublishBatch([]string{topic}, []trace.Envelope{ev}); n == 0 {
		return err
	}
	return nil
}

// PublishBatch writes events in one call of the writer (node.BatchPublisher):
// one produce request per partition, the partitions in parallel, instead
// of a round trip per event; an aggregate's events keep their order, as
// they share a partition and a batch. It returns how many of the first
// events the brokers acknowledged: the relay advances its cursor past
// those only, and publishes the rest again (a later one that did land is
// then written twice, as a producer retry would).
func (inc *incarnation) PublishBatch(topics []string, evs []trace.Envelope) (int, error) {
	b, err := inc.prepare(topics, evs)
	if err != nil {
		return 0, err
	}
	return b.settle(b.write())
}

// PublishAsync is PublishBatch off the node goroutine (node.AsyncPublisher):
// the node goes on with commands and deliveries while the brokers answer.
// The answer comes back as a step that traces the acknowledged events and
// runs done. The relay keeps one batch in flight, so the sender and the
// order of an aggregate's events are those of PublishBatch. When the
// incarnation crashes first, nothing is traced and the send stays open in
// the log history: indeterminate, as it may have landed.
func (inc *incarnation) PublishAsync(topics []string, evs []trace.Envelope, done func(int)) {
	b, err := inc.prepare(topics, evs)
	if err != nil {
		inc.After(0, func() { done(0) }) // never post to the own mailbox from a step: it may be full
		return
	}
	inc.timers.Add(1) // Quiet must see the batch in flight
	go func() {
		err := b.write()
		inc.complete(func() {
			sent, _ := b.settle(err)
			done(sent)
		})
	}()
}

// batch is one publish call: its records and their send micro-ops.
type batch struct {
	inc    *incarnation
	topics []string
	evs    []trace.Envelope
	msgs   []kafkago.Message
	sends  []logcheck.Mop
}

// prepare encodes a batch and records its send's invoke in the log history.
func (inc *incarnation) prepare(topics []string, evs []trace.Envelope) (*batch, error) {
	if inc.m.partitioned.Load() > 0 {
		return nil, ErrPartitioned
	}
	b := &batch{inc: inc, topics: topics, evs: evs,
		msgs: make([]kafkago.Message, len(evs)), sends: make([]logcheck.Mop, len(evs))}
	for i := range evs {
		var err error
		if b.msgs[i], b.sends[i], err = inc.message(topics[i], &evs[i]); err != nil {
			return nil, err
		}
	}
	inc.m.c.log.invoke(inc.sender, logcheck.FSend, b.sends)
	return b, nil
}

// write hands the batch to the writer and waits for the brokers.
func (b *batch) write() error {
	inc := b.inc
	ctx, cancel := context.WithTimeout(inc.ctx, inc.m.c.cfg.PublishTimeout)
	defer cancel()
	return inc.writer.WriteMessages(ctx, b.msgs...)
}

// settle traces the acknowledged prefix of a written batch, completes its
// send in the log history and returns how many were acknowledged.
func (b *batch) settle(err error) (int, error) {
	inc, m := b.inc, b.inc.m
	if inc.ctx.Err() != nil {
		err = ErrCrashed
	}
	acked := 0
	for i := range b.evs {
		if writeErr(err, i) != nil {
			break
		}
		v, ok := inc.completions.LoadAndDelete(b.evs[i].ID)
		if !ok {
			panic("kafka: a synchronous write returned before its completion") // kafka-go calls Completion first
		}
		at := v.(placed)
		b.sends[i].Key, b.sends[i].Offset = logKey(topicPart{b.topics[i], at.partition}), at.offset
		ref := trace.RefOf(&b.evs[i])
		m.c.trace(trace.Event{Kind: trace.KindPublish, Node: m.svc, Ref: &ref, Topic: b.topics[i], Partition: at.partition, Offset: at.offset})
		acked++
	}
	m.c.published.Add(int64(acked))
	log := m.c.log
	if err != nil {
		// Some sends may have landed: indeterminate. The values of the
		// acknowledged ones carry their offsets.
		log.complete(inc.sender, logcheck.TypeInfo, logcheck.FSend, b.sends, err)
		inc.sender = log.process() // Jepsen: a thread goes on as a new process after info
		for i := acked; i < len(b.evs); i++ {
			inc.completions.Delete(b.evs[i].ID)
		}
		return acked, err
	}
	log.complete(inc.sender, logcheck.TypeOK, logcheck.FSend, b.sends, nil)
	return acked, nil
}

// writeErr is the error of message i of a WriteMessages call that
// returned err: kafka-go reports per-message errors as WriteErrors.
func writeErr(err error, i int) error {
	var we kafkago.WriteErrors
	if errors.As(err, &we) && i < len(we) {
		return we[i]
	}
	return err
}

// message encodes an event as a record with a fresh send value, and the
// send micro-op of the log history (its partition is where the writer's
// balancer puts the key; its offset is not known yet).
func (inc *incarnation) message(topic string, ev *trace.Envelope) (kafkago.Message, logcheck.Mop, error) {
	m := inc.m
	value, err := json.Marshal(ev)
	if err != nil {
		return kafkago.Message{}, logcheck.Mop{}, fmt.Errorf("kafka: encode %s: %w", ev.ID, err)
	}
	sv := m.c.log.value()
	msg := kafkago.Message{Topic: m.c.cfg.topic(topic), Key: []byte(ev.Aggregate), Value: value,
		Headers: []kafkago.Header{{Key: "event-id", Value: []byte(ev.ID)}, {Key: "type", Value: []byte(ev.Type)},
			{Key: valueHeader, Value: strconv.AppendInt(nil, sv, 10)}}}
	p := m.c.cfg.partitionOf(msg)
	return msg, logcheck.Send(logKey(topicPart{topic, p}), sv, logcheck.OffsetUnknown), nil
}
