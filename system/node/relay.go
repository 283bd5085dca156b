package node

import (
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// relayTick publishes this service's outbox in order. The durable cursor is
// written a store round trip after the publishes, so a crash in between
// republishes them: the bus is at-least-once, and consumers dedup.
func (n *Node) relayTick() {
	n.retryCommits()
	n.flushWriteBehind()
	next := n.cfg.RelayInterval
	if !n.relaying {
		batch := n.st.OutboxPending(n.cfg.Service, n.relayed, n.cfg.RelayBatchMax)
		sent := 0
		for i := range batch {
			e := batch[i]
			topic := vocab.TopicOf(e.Aggregate)
			if err := n.env.Publish(topic, e); err != nil {
				next = n.backoff(3)
				break
			}
			sent++
		}
		if sent > 0 {
			n.relayed += sent
			n.relaying = true
			cursor := n.relayed
			n.env.After(n.storeLatency(), func() {
				n.st.SetOutboxCursor(n.cfg.Service, cursor)
				n.relaying = false
			})
		}
	}
	n.env.After(next, n.relayTick)
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
