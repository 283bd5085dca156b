package node

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// kickRelay schedules a relay pass unless one is scheduled: the relay runs
// when there is something to do, not on an idle tick, so that idle virtual
// time costs nothing in simulation.
func (n *Node) kickRelay(after time.Duration) {
	if n.relayScheduled {
		return
	}
	n.relayScheduled = true
	n.env.After(after, n.relayTick)
}

// relayTick publishes this service's outbox in order. The durable cursor is
// written a store round trip after the publishes, so a crash in between
// republishes them: the bus is at-least-once, and consumers dedup. It also
// retries offset commits that failed.
func (n *Node) relayTick() {
	n.relayScheduled = false
	again := !n.retryCommits()
	if n.relaying {
		return // the publish's or the cursor write's completion kicks the relay again
	}
	batch := n.st.OutboxPending(n.cfg.Service, n.relayed, n.cfg.RelayBatchMax)
	if ap, ok := n.env.(AsyncPublisher); ok && len(batch) > 0 {
		// One batch in flight at a time keeps an aggregate's events in
		// order; the node handles commands and deliveries meanwhile.
		n.relaying = true
		ap.PublishAsync(topicsOf(batch), batch, func(sent int) {
			n.relaying = false
			n.relayed += sent
			if sent > 0 {
				cursor := n.relayed
				// The cursor never moves back (store), so the next batch
				// need not wait for this write.
				n.env.After(n.storeLatency(), func() { n.st.SetOutboxCursor(n.cfg.Service, cursor) })
			}
			n.relayNext(sent < len(batch), again)
		})
		return
	}
	sent := n.publish(batch)
	if sent > 0 {
		n.relayed += sent
		n.relaying = true
		cursor := n.relayed
		n.env.After(n.storeLatency(), func() {
			n.st.SetOutboxCursor(n.cfg.Service, cursor)
			n.relaying = false
			n.kickRelay(n.cfg.RelayInterval)
		})
	}
	n.relayNext(sent < len(batch), again)
}

// relayNext schedules the next relay pass after one that published a batch
// (short) or could not (failed: the bus is unreachable, back off).
func (n *Node) relayNext(failed, again bool) {
	switch {
	case failed || again:
		n.kickRelay(n.backoff(3))
	case !n.relaying && n.relayed < n.st.OutboxLen(n.cfg.Service):
		n.kickRelay(n.cfg.RelayInterval)
	}
}

// AsyncPublisher is an Env whose publishes complete later (the Kafka
// driver): PublishAsync sends events in order, in one call, and runs done
// as a step of the node with how many of the first events were
// acknowledged, unless the node crashed first. The relay publishes the
// rest again.
type AsyncPublisher interface {
	PublishAsync(topics []string, evs []trace.Envelope, done func(sent int))
}

func topicsOf(batch []trace.Envelope) []string {
	topics := make([]string, len(batch))
	for i := range batch {
		topics[i] = vocab.TopicOf(batch[i].Aggregate)
	}
	return topics
}

// BatchPublisher is an Env that publishes several events in one call (the
// Kafka driver: one produce request per partition instead of a round trip
// per event). PublishBatch returns how many of the first events were
// acknowledged; the relay publishes the rest again.
type BatchPublisher interface {
	PublishBatch(topics []string, evs []trace.Envelope) (int, error)
}

// publish publishes a batch of the outbox in order and returns how many of
// its first events were acknowledged.
func (n *Node) publish(batch []trace.Envelope) int {
	if bp, ok := n.env.(BatchPublisher); ok && len(batch) > 1 {
		sent, _ := bp.PublishBatch(topicsOf(batch), batch)
		return sent
	}
	for i := range batch {
		if err := n.env.Publish(vocab.TopicOf(batch[i].Aggregate), batch[i]); err != nil {
			return i
		}
	}
	return len(batch)
}

// traceHandle records a consumer's verdict on a delivery.
func (n *Node) traceHandle(d Delivery, outcome string, err error) {
	ref := trace.RefOf(&d.Event)
	ev := trace.Event{Kind: trace.KindHandle, Node: n.cfg.Service, Ref: &ref, Outcome: outcome,
		Topic: d.Topic, Partition: d.Partition, Offset: d.Offset}
	if err != nil {
		ev.Error = err.Error()
	}
	n.env.Trace(ev)
}
