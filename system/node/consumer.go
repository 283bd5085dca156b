package node

import (
	"errors"

	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Deliver hands the node one record from the bus.
func (n *Node) Deliver(d Delivery) {
	ref := trace.RefOf(&d.Event)
	n.env.Trace(trace.Event{Kind: trace.KindDeliver, Node: n.cfg.Service, Ref: &ref,
		Topic: d.Topic, Partition: d.Partition, Offset: d.Offset, Dup: d.Dup})
	if n.cfg.Bugs.CommitBeforeProcess {
		// The bug: the offset is committed on receipt, so a crash before
		// the effect loses the event for good.
		_ = n.env.Commit(d.Topic, d.Partition, d.Offset+1)
	}
	n.consider(d)
}

// consider decides whether a delivery is a duplicate, must wait for an
// earlier version of its aggregate, or can be handled now.
func (n *Node) consider(d Delivery) {
	agg, v := d.Event.Aggregate, d.Event.Version
	if n.busy[agg] {
		n.deferDelivery(d)
		return
	}
	if !n.cfg.Bugs.NoDedup && n.st.Handled(n.cfg.Service, d.Event.ID) {
		n.traceHandle(d, trace.OutcomeDuplicate, nil)
		n.ack(d)
		return
	}
	if !n.cfg.Bugs.UnorderedApply && v > n.st.Applied(n.cfg.Service, agg)+1 {
		n.deferDelivery(d)
		return
	}
	n.busy[agg] = true
	n.process(d, 1, 0)
}

func (n *Node) deferDelivery(d Delivery) {
	n.traceHandle(d, trace.OutcomeDeferred, nil)
	n.pending[d.Event.Aggregate] = append(n.pending[d.Event.Aggregate], d)
}

// process handles one delivery: decide on the target's current state, then,
// a store round trip later, append the effect with the dedup record.
func (n *Node) process(d Delivery, attempt, conflicts int) {
	if n.cfg.Service == vocab.ServiceProjector {
		n.project(d)
		return
	}
	r := n.reactor
	ref := trace.RefOf(&d.Event)
	if !r.Types[d.Event.Type] {
		n.env.After(n.storeLatency(), func() { n.finish(d, n.st.MarkHandled(n.cfg.Service, &ref, n.cfg.Bugs.NoDedup)) })
		return
	}
	data, err := services.Decode(&d.Event, r.MaxSchema)
	if err != nil {
		n.failed(d, attempt, conflicts, err)
		return
	}
	target := r.Target(d.Event.Type, data)
	state, version, err := n.load(target, r.MaxSchema)
	if err != nil {
		n.failed(d, attempt, conflicts, err)
		return
	}
	emits := r.React(state, d.Event.Type, data)
	n.env.After(n.storeLatency(), func() {
		if len(emits) == 0 {
			n.finish(d, n.st.MarkHandled(n.cfg.Service, &ref, n.cfg.Bugs.NoDedup))
			return
		}
		_, err := n.append(store.AppendRequest{
			Stream: target, Expected: version,
			Events:   n.newEvents(emits, d.Event.ID, d.Event.CorrelationID),
			Consumer: n.cfg.Service, Handled: &ref, SkipDedup: n.cfg.Bugs.NoDedup,
		}, nil)
		// A conflict is transient (another writer moved the stream): an
		// event's handling retries it for as long as it takes, with capped
		// backoff. Giving up would strand the event with its offset
		// uncommitted until a restart that may never come (lost-event,
		// saga-stuck on a hot SKU under a long backlog).
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			n.env.After(n.backoff(conflicts+1), func() { n.process(d, attempt, conflicts+1) })
			return
		}
		n.finish(d, err)
	})
}

// project applies an order event to the read model.
func (n *Node) project(d Delivery) {
	ref := trace.RefOf(&d.Event)
	row := store.Projected{Status: vocab.StatusOf(d.Event.Type), Version: d.Event.Version}
	n.env.After(n.storeLatency(), func() {
		if row.Status == "" {
			n.finish(d, n.st.MarkHandled(n.cfg.Service, &ref, n.cfg.Bugs.NoDedup))
			return
		}
		n.finish(d, n.st.Project(n.cfg.Service, &ref, d.Event.CorrelationID, row, n.cfg.Bugs.NoDedup))
	})
}

// failed retries a delivery whose handling failed, with capped exponential
// backoff, and dead-letters it after AttemptsMax attempts.
func (n *Node) failed(d Delivery, attempt, conflicts int, err error) {
	if attempt < n.cfg.AttemptsMax {
		n.traceHandle(d, trace.OutcomeRetry, err)
		n.env.After(n.backoff(attempt), func() { n.process(d, attempt+1, conflicts) })
		return
	}
	ref := trace.RefOf(&d.Event)
	n.st.AddDeadLetter(store.DeadLetter{Consumer: n.cfg.Service, Ref: ref, Error: err.Error(), Attempts: attempt})
	n.env.Trace(trace.Event{Kind: trace.KindDLQ, Node: n.cfg.Service, Ref: &ref, Error: err.Error()})
	var emits []services.Emit
	if n.reactor.DeadLetter != nil {
		emits = n.reactor.DeadLetter(d.Event.Type, services.Data{}, d.Event.CorrelationID, err.Error())
	}
	if len(emits) == 0 {
		n.finishWith(d, trace.OutcomeDLQ, n.st.MarkHandled(n.cfg.Service, &ref, n.cfg.Bugs.NoDedup))
		return
	}
	stream := n.reactor.DeadLetterStream
	_, aerr := n.append(store.AppendRequest{
		Stream: stream, Expected: store.AnyVersion, // the dead-letter stream is append-only
		Events:   n.newEvents(emits, d.Event.ID, d.Event.CorrelationID),
		Consumer: n.cfg.Service, Handled: &ref, SkipDedup: n.cfg.Bugs.NoDedup,
	}, nil)
	n.finishWith(d, trace.OutcomeDLQ, aerr)
}

func (n *Node) finish(d Delivery, err error) { n.finishWith(d, trace.OutcomeApplied, err) }

// finishWith records the outcome, acknowledges the offset, and reconsiders
// the deliveries of the same aggregate that were waiting.
func (n *Node) finishWith(d Delivery, outcome string, err error) {
	agg := d.Event.Aggregate
	delete(n.busy, agg)
	switch {
	case errors.Is(err, store.ErrDuplicate):
		n.traceHandle(d, trace.OutcomeDuplicate, nil)
	case err != nil:
		// A store error other than a conflict: leave the offset
		// uncommitted; the event is redelivered after a restart.
		n.traceHandle(d, trace.OutcomeRetry, err)
		n.wake(agg)
		return
	default:
		n.traceHandle(d, outcome, nil)
	}
	n.ack(d)
	n.wake(agg)
}

// wake reconsiders the deferred deliveries of an aggregate: in version order
// (or, with the unordered-apply bug, in arrival order).
func (n *Node) wake(agg string) {
	waiting := n.pending[agg]
	if len(waiting) == 0 {
		return
	}
	delete(n.pending, agg)
	if !n.cfg.Bugs.UnorderedApply {
		for i := 1; i < len(waiting); i++ {
			for j := i; j > 0 && waiting[j].Event.Version < waiting[j-1].Event.Version; j-- {
				waiting[j], waiting[j-1] = waiting[j-1], waiting[j]
			}
		}
	}
	for _, d := range waiting {
		if n.busy[agg] {
			n.pending[agg] = append(n.pending[agg], d)
			continue
		}
		n.considerQuiet(d)
	}
}

// considerQuiet is consider without re-tracing a deferral of a delivery
// that stays deferred.
func (n *Node) considerQuiet(d Delivery) {
	agg := d.Event.Aggregate
	if !n.cfg.Bugs.NoDedup && !n.st.Handled(n.cfg.Service, d.Event.ID) &&
		!n.cfg.Bugs.UnorderedApply && d.Event.Version > n.st.Applied(n.cfg.Service, agg)+1 {
		n.pending[agg] = append(n.pending[agg], d)
		return
	}
	n.consider(d)
}
