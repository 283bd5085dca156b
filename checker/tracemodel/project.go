package tracemodel

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Project splits a run's trace (and the history, for acknowledgements and
// strong reads) into one projected trace per order, in order of the orders'
// first appearance. doc.go states the abstraction.
func Project(ops []history.Op, events []trace.Event, quiescent bool) []*Projection {
	p := newProjector(ops)
	for i := range events {
		p.event(i, &events[i])
	}
	out := make([]*Projection, 0, len(p.order))
	for _, key := range p.order {
		b := p.orders[key]
		if b.placed == 0 && b.err == "" {
			continue // never placed: nothing the model could be asked
		}
		b.finish(p.reads[key], quiescent, p.inModel(key))
		out = append(out, &b.Projection)
	}
	return out
}

// projector holds the state of Project over the whole trace.
type projector struct {
	ops    []history.Op
	orders map[string]*builder
	order  []string
	// byRef maps an implementation event id to its order and model id;
	// byVer maps (stream, version) to the event's type and order.
	byRef map[string]refInfo
	byVer map[streamVer]typed
	// reads are each order's strong reads that the model judges.
	reads map[string][]readOp
	// cancelOpen: per order, history windows [invoke, completion] of its
	// cancels (a crash inside one may lose a pending cancel).
	cancels map[string][][2]int64
}

type streamVer struct {
	agg string
	ver int
}

type typed struct{ order, typ string }

// inModel reports whether version ver of stream agg is an event of order
// key that the model sends consumer c.
func (p *projector) inModel(key string) func(c int, agg string, ver int) bool {
	return func(c int, agg string, ver int) bool {
		t, ok := p.byVer[streamVer{agg, ver}]
		return ok && t.order == key && saga.Reacts(c, t.typ)
	}
}

type refInfo struct {
	order string
	id    int
}

// readOp is a strong read the model takes: within [from, to], result got.
type readOp struct {
	from, to int64
	got      string
}

func newProjector(ops []history.Op) *projector {
	p := &projector{ops: ops, orders: map[string]*builder{}, byRef: map[string]refInfo{}, byVer: map[streamVer]typed{},
		reads: map[string][]readOp{}, cancels: map[string][][2]int64{}}
	placedAt := map[string]int64{} // order -> time its place was acknowledged ok
	for _, pr := range history.Pairs(ops) {
		inv := pr.Invoke
		switch {
		case inv.F == vocab.FPlace && pr.Outcome() == vocab.TypeOK:
			if _, ok := placedAt[inv.Key]; !ok {
				placedAt[inv.Key] = pr.Completion.Time
			}
			b := p.builder(inv.Key)
			if inv.Value != nil {
				b.Qty, b.Amount = inv.Value.Qty, inv.Value.Amount
			}
		case inv.F == vocab.FPlace:
			b := p.builder(inv.Key)
			if b.Qty == 0 && inv.Value != nil {
				b.Qty, b.Amount = inv.Value.Qty, inv.Value.Amount
			}
		case inv.F == vocab.FCancel:
			end := int64(1<<62 - 1)
			if pr.Completion != nil {
				end = pr.Completion.Time
			}
			p.cancels[inv.Key] = append(p.cancels[inv.Key], [2]int64{inv.Time, end})
		}
	}
	for _, pr := range history.Pairs(ops) {
		inv := pr.Invoke
		if inv.F != vocab.FReadStrong || pr.Outcome() != vocab.TypeOK || pr.Completion.Value == nil {
			continue
		}
		// The model's client reads only orders it placed (ReadStrong needs
		// placeOp = ok): a read invoked before the acknowledgement is not
		// the model's to judge.
		at, ok := placedAt[inv.Key]
		if !ok || inv.Time < at {
			continue
		}
		p.reads[inv.Key] = append(p.reads[inv.Key], readOp{inv.Time, pr.Completion.Time, pr.Completion.Value.Status})
	}
	return p
}

// builder returns (creating) the projection being built for an order.
func (p *projector) builder(key string) *builder {
	b := p.orders[key]
	if b == nil {
		b = &builder{Projection: Projection{Order: key}, ver: map[string]int{},
			inflight: map[[2]int]bool{}, appended: map[[2]int]bool{}, deferred: map[[2]int]trace.Ref{}}
		p.orders[key] = b
		p.order = append(p.order, key)
	}
	return b
}

// event projects one trace event onto the orders it concerns.
func (p *projector) event(i int, e *trace.Event) {
	switch e.Kind {
	case trace.KindAppend:
		p.append(i, e)
	case trace.KindDeliver:
		if b, id, c, ok := p.handled(e.Ref, e.Node); ok {
			b.inflight[[2]int{c, id}] = true
		}
	case trace.KindHandle:
		p.handle(i, e)
	case trace.KindAck:
		p.ack(i, e)
	case trace.KindCrash:
		p.crash(i, e)
	}
	// publish, commit, conflict, dlq, restart, fault, snapshot: stutter
	// (doc.go: the relay is folded into the append, commits into the
	// handling, retries and conflicts are unlogged model steps or none).
}

// handled resolves a delivered or handled ref to its order's builder, the
// model id and the consumer index; ok is false when the model does not send
// the event to that consumer (the implementation handles it with no
// effect: a stutter step) or the event is not an order's.
func (p *projector) handled(ref *trace.Ref, node string) (*builder, int, int, bool) {
	if ref == nil {
		return nil, 0, 0, false
	}
	c := saga.ConsumerIndex(node)
	if c < 0 || !saga.Reacts(c, ref.Type) {
		return nil, 0, 0, false
	}
	ri, ok := p.byRef[ref.ID]
	if !ok {
		return nil, 0, 0, false
	}
	return p.orders[ri.order], ri.id, c, true
}

func (p *projector) append(i int, e *trace.Event) {
	if len(e.Events) == 0 {
		return
	}
	for k := range e.Events {
		env := &e.Events[k]
		p.byVer[streamVer{env.Aggregate, env.Version}] = typed{env.CorrelationID, env.Type}
	}
	key := e.Events[0].CorrelationID
	if key == "" {
		return // restock, deposit: the setup phase is the model's initial stock and balance
	}
	b := p.builder(key)
	o := Obs{Index: i, Seq: e.Seq, Source: e.Kind, Time: e.Time, Events: make([]Ev, 0, len(e.Events))}
	for k := range e.Events {
		env := &e.Events[k]
		if env.CorrelationID != key {
			b.fail(fmt.Sprintf("trace index %d: one append for orders %q and %q", i, key, env.CorrelationID))
			return
		}
		ev, err := b.modelEvent(env, p.byRef)
		if err != nil {
			b.fail(fmt.Sprintf("trace index %d: %v", i, err))
			return
		}
		o.Events = append(o.Events, ev)
		b.nextID++
		p.byRef[env.ID] = refInfo{key, b.nextID}
	}
	first := e.Events[0].Type
	switch {
	case e.Handled != nil:
		bi, id, c, ok := p.handled(e.Handled, e.Node)
		if !ok || bi != b {
			b.fail(fmt.Sprintf("trace index %d: %s appended for %s, an event the model does not send it", i, e.Node, e.Handled.ID))
			return
		}
		o.Kind, o.Consumer, o.ID, o.Ref = ObsHandle, e.Node, id, e.Handled.ID
		b.appended[[2]int{c, id}] = true
		b.countDecision(c, e.Handled.Type)
	case first == vocab.OrderPlaced && e.Op != nil && b.placed == 0:
		o.Kind = ObsPlace
		b.placed = 1
	case first == vocab.OrderPlaced && e.Op == nil && b.placed == 1:
		o.Kind = ObsFlush
		b.placed = 2
	case first == vocab.OrderCancelled && e.Op != nil:
		o.Kind = ObsCancel
	default:
		b.fail(fmt.Sprintf("trace index %d: an append of %s by %s the model has no step for", i, first, e.Node))
		return
	}
	b.add(o)
}

func (p *projector) handle(i int, e *trace.Event) {
	b, id, c, ok := p.handled(e.Ref, e.Node)
	if !ok {
		return
	}
	k := [2]int{c, id}
	switch e.Outcome {
	case trace.OutcomeApplied, trace.OutcomeDLQ, trace.OutcomeDuplicate:
	case trace.OutcomeDeferred:
		b.deferred[k] = *e.Ref
		return
	default:
		return // retry: the event stays on the bus
	}
	delete(b.inflight, k)
	delete(b.deferred, k)
	if b.appended[k] {
		delete(b.appended, k) // the append was the step
		return
	}
	if e.Outcome != trace.OutcomeDuplicate {
		b.countDecision(c, e.Ref.Type)
	}
	b.add(Obs{Kind: ObsHandle, Index: i, Seq: e.Seq, Source: e.Kind + "/" + e.Outcome, Time: e.Time,
		Consumer: e.Node, ID: id, Ref: e.Ref.ID, Events: []Ev{}})
}

func (p *projector) ack(i int, e *trace.Event) {
	if e.Op == nil || *e.Op < 0 || *e.Op >= len(p.ops) {
		return
	}
	op := &p.ops[*e.Op]
	if op.F != vocab.FPlace {
		return
	}
	b := p.builder(op.Key)
	if b.placed != 0 {
		return // stored first: the append was the Place step
	}
	b.placed = 1
	b.add(Obs{Kind: ObsPlace, Index: i, Seq: e.Seq, Source: e.Kind, Time: e.Time, Events: []Ev{}})
}

// crash adds a crash step to every order the crashed node may hold
// volatile state of: a delivery in flight, an acknowledged place not yet
// stored, a cancel in progress.
func (p *projector) crash(i int, e *trace.Event) {
	c := saga.ConsumerIndex(e.Node)
	if c < 0 {
		return
	}
	for _, key := range p.order {
		b := p.orders[key]
		var lost []int
		for k := range b.inflight {
			if k[0] == c {
				lost = append(lost, k[1])
			}
		}
		sort.Ints(lost)
		volatile := len(lost) > 0
		if c == saga.COrders && !volatile {
			volatile = b.placed == 1 && b.ackedFirst() || p.cancelling(key, e.Time)
		}
		if !volatile {
			continue
		}
		b.add(Obs{Kind: ObsCrash, Index: i, Seq: e.Seq, Source: e.Kind, Time: e.Time, Consumer: e.Node,
			Lost: lost, Events: []Ev{}})
	}
}

// cancelling reports whether a cancel of the order was in progress at t.
func (p *projector) cancelling(key string, t int64) bool {
	for _, w := range p.cancels[key] {
		if w[0] <= t && t <= w[1] {
			return true
		}
	}
	return false
}

// modelStream maps an implementation stream to the model's: an order's own
// streams keep their names; every SKU (and the inventory's dead-letter
// stream) is the model's one SKU, every account its one account.
func modelStream(agg string) (string, error) {
	switch {
	case strings.HasPrefix(agg, "order-"), strings.HasPrefix(agg, "ship-"):
		return agg, nil
	case strings.HasPrefix(agg, "sku-"):
		return saga.SkuStream, nil
	case strings.HasPrefix(agg, "acct-"):
		return saga.AcctStream, nil
	}
	return "", fmt.Errorf("stream %q is none the model knows", agg)
}

// quantity is the qty or amount an event carries, -1 when its data does not
// say (OrderPlaced, whose qty is the config's; a dead-letter rejection).
func quantity(env *trace.Envelope) int {
	switch env.Type {
	case vocab.StockReserved, vocab.StockRejected, vocab.StockReleased,
		vocab.PaymentCharged, vocab.PaymentDeclined, vocab.PaymentRefunded:
	default:
		if vocab.StatusOf(env.Type) != "" || env.Type == vocab.ShipmentShipped {
			if env.Type == vocab.OrderPlaced {
				return -1
			}
			return 0
		}
		return -1
	}
	var d struct {
		Qty    int    `json:"qty"`
		Amount int    `json:"amount"`
		Reason string `json:"reason"`
	}
	if json.Unmarshal(env.Data, &d) != nil || d.Reason != "" && strings.HasPrefix(d.Reason, "dead-lettered") {
		return -1
	}
	if strings.HasPrefix(env.Type, "Stock") {
		return d.Qty
	}
	return d.Amount
}
