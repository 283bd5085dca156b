package tracemodel

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// builder accumulates one order's projection.
type builder struct {
	Projection
	err    string
	nextID int            // model ids given so far (= length of the model's log)
	ver    map[string]int // model stream -> version so far
	// placed: 0 not yet, 1 Place taken, 2 flushed after an early ack.
	placed      int
	placedByAck bool
	// inflight: (consumer, id) delivered and not yet finished.
	inflight map[[2]int]bool
	// appended: (consumer, id) whose effect was appended, not yet finished.
	appended map[[2]int]bool
	// deferred: (consumer, id) in flight whose last outcome was deferred,
	// with the implementation's ref.
	deferred map[[2]int]trace.Ref
	// stream: the model stream of each model id (index id-1).
	stream []string
}

// fail marks the order unprojectable; its first reason is kept.
func (b *builder) fail(why string) {
	if b.err == "" {
		b.err = why
	}
}

// add appends a step (unless the order failed to project).
func (b *builder) add(o Obs) {
	if b.err != "" {
		return
	}
	if o.Kind == ObsPlace && len(o.Events) == 0 {
		b.placedByAck = true
	}
	b.Steps = append(b.Steps, o)
}

// ackedFirst reports whether the place was acknowledged before it was stored.
func (b *builder) ackedFirst() bool { return b.placedByAck }

// countDecision counts the inventory and payment decisions (reactions to
// OrderPlaced and OrderReserved), which bound the initial stock and balance.
func (b *builder) countDecision(c int, handledType string) {
	switch {
	case c == saga.CInventory && handledType == vocab.OrderPlaced:
		b.StockDecisions++
	case c == saga.CPayment && handledType == vocab.OrderReserved:
		b.BalanceDecisions++
	}
}

// modelEvent turns a stored envelope of this order into the model's terms.
func (b *builder) modelEvent(env *trace.Envelope, byRef map[string]refInfo) (Ev, error) {
	agg, err := modelStream(env.Aggregate)
	if err != nil {
		return Ev{}, err
	}
	b.ver[agg]++
	b.stream = append(b.stream, agg)
	ev := Ev{Agg: agg, Ver: b.ver[agg], Type: env.Type, N: quantity(env)}
	if (strings.HasPrefix(agg, "order-") || strings.HasPrefix(agg, "ship-")) && env.Version != ev.Ver {
		return Ev{}, fmt.Errorf("%s is version %d of %s, the order's own stream, but its %d-th event",
			env.ID, env.Version, env.Aggregate, ev.Ver)
	}
	switch c := env.CausationID; {
	case strings.HasPrefix(c, "ev-"):
		ri, ok := byRef[c]
		if !ok || ri.order != b.Order {
			return Ev{}, fmt.Errorf("%s is caused by %s, not an event of order %s", env.ID, c, b.Order)
		}
		ev.Cause = ri.id
	case c == "" || strings.HasPrefix(c, "op-"):
	default:
		return Ev{}, fmt.Errorf("%s: causation %q", env.ID, c)
	}
	return ev, nil
}

// finish settles the constants and inserts the read windows and the end.
func (b *builder) finish(reads []readOp, quiescent bool, inModel func(c int, agg string, ver int) bool) {
	if b.err != "" {
		b.Err, b.Steps = b.err, nil
		return
	}
	if b.Qty <= 0 {
		b.Qty = 1
	}
	if b.Amount <= 0 {
		b.Amount = 1
	}
	// The quantities the services wrote rule: a schema-1 order's amount is
	// rebuilt from its unit price by the payment service.
	for _, o := range b.Steps {
		for _, e := range o.Events {
			switch {
			case e.N <= 0:
			case e.Type == vocab.StockReserved || e.Type == vocab.StockRejected:
				b.Qty = e.N
			case e.Type == vocab.PaymentCharged || e.Type == vocab.PaymentDeclined:
				b.Amount = e.N
			}
		}
	}
	for k := range b.Steps {
		for j := range b.Steps[k].Events {
			if b.Steps[k].Events[j].Type == vocab.OrderPlaced {
				b.Steps[k].Events[j].N = b.Qty
			}
		}
	}
	b.Cancels = b.Cancels || hasCancel(b.Steps)
	b.Steps = insertReads(b.Steps, reads)
	b.Reads = len(reads)
	if quiescent {
		b.Steps = append(b.Steps, Obs{Kind: ObsEnd, Index: -1, Source: "final-reads", Events: []Ev{},
			Blocked: b.blocked(inModel)})
	}
}

// blocked lists the deliveries the implementation left deferred behind an
// event the model does not send the consumer (another order's event on a
// shared SKU or account stream, or one the consumer does not react to):
// the model's order cannot explain that wait by itself.
func (b *builder) blocked(inModel func(c int, agg string, ver int) bool) []Pending {
	var out []Pending
	for k, ref := range b.deferred {
		if b.inflight[k] && !inModel(k[0], ref.Aggregate, ref.Version-1) {
			out = append(out, Pending{Consumer: saga.Consumers[k[0]], ID: k[1]})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Consumer != out[j].Consumer {
			return out[i].Consumer < out[j].Consumer
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func hasCancel(steps []Obs) bool {
	for _, o := range steps {
		if o.Kind == ObsCancel {
			return true
		}
	}
	return false
}

// insertReads adds each read's window: it opens before the first step at or
// after the read's invoke and closes after the last step at or before its
// completion (both inclusive: a step at the same instant may be on either
// side of the read).
func insertReads(steps []Obs, reads []readOp) []Obs {
	if len(reads) == 0 {
		return steps
	}
	type edge struct {
		at   int // insert before steps[at]
		open bool
		obs  Obs
	}
	var edges []edge
	for k, r := range reads {
		n := k + 1
		open := sort.Search(len(steps), func(i int) bool { return steps[i].Time >= r.from })
		closeAt := sort.Search(len(steps), func(i int) bool { return steps[i].Time > r.to })
		src := vocab.FReadStrong + "#" + strconv.Itoa(n)
		edges = append(edges,
			edge{open, true, Obs{Kind: ObsReadOpen, Index: -1, Source: src, Time: r.from, Read: n, Got: r.got, Events: []Ev{}}},
			edge{closeAt, false, Obs{Kind: ObsReadClose, Index: -1, Source: src, Time: r.to, Read: n, Events: []Ev{}}})
	}
	// Opens before closes at one position: a window is never empty.
	sort.SliceStable(edges, func(i, j int) bool {
		if edges[i].at != edges[j].at {
			return edges[i].at < edges[j].at
		}
		return edges[i].open && !edges[j].open
	})
	out := make([]Obs, 0, len(steps)+len(edges))
	k := 0
	for i := 0; i <= len(steps); i++ {
		for k < len(edges) && edges[k].at == i {
			out = append(out, edges[k].obs)
			k++
		}
		if i < len(steps) {
			out = append(out, steps[i])
		}
	}
	return out
}
