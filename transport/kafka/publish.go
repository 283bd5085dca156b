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
	m := inc.m
	if m.partitioned.Load() > 0 {
		return 0, ErrPartitioned
	}
	msgs := make([]kafkago.Message, len(evs))
	sends := make([]logcheck.Mop, len(evs))
	for i := range evs {
		var err error
		if msgs[i], sends[i], err = inc.message(topics[i], &evs[i]); err != nil {
			return 0, err
		}
	}
	log := m.c.log
	log.invoke(inc.sender, logcheck.FSend, sends)
	ctx, cancel := context.WithTimeout(inc.ctx, m.c.cfg.PublishTimeout)
	defer cancel()
	err := inc.writer.WriteMessages(ctx, msgs...)
	if inc.ctx.Err() != nil {
		err = ErrCrashed
	}
	acked := 0
	for i := range evs {
		if writeErr(err, i) != nil {
			break
		}
		v, ok := inc.completions.LoadAndDelete(evs[i].ID)
		if !ok {
			panic("kafka: a synchronous write returned before its completion") // kafka-go calls Completion first
		}
		at := v.(placed)
		sends[i].Key, sends[i].Offset = logKey(topicPart{topics[i], at.partition}), at.offset
		ref := trace.RefOf(&evs[i])
		m.c.trace(trace.Event{Kind: trace.KindPublish, Node: m.svc, Ref: &ref, Topic: topics[i], Partition: at.partition, Offset: at.offset})
		acked++
	}
	m.c.published.Add(int64(acked))
	if err != nil {
		// Some sends may have landed: indeterminate. The values of the
		// acknowledged ones carry their offsets.
		log.complete(inc.sender, logcheck.TypeInfo, logcheck.FSend, sends, err)
		inc.sender = log.process() // Jepsen: a thread goes on as a new process after info
		for i := acked; i < len(evs); i++ {
			inc.completions.Delete(evs[i].ID)
		}
		return acked, err
	}
	log.complete(inc.sender, logcheck.TypeOK, logcheck.FSend, sends, nil)
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
