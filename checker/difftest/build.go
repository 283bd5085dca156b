package difftest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Built is a behaviour as the system would have recorded it: the history
// (history.jsonl) and the trace (trace.ndjson), written as system/ writes
// them (docs/PROTOCOL.md): event ids ev-<position>, streams with the
// setup's restock and deposit first, causation ev-N or op-N, every event
// delivered to every subscriber of its topic (handled with no effect by
// those the model does not send it), a final phase of reads after a
// quiescent marker.
type Built struct {
	Ops   []history.Op
	Trace []trace.Event
	// Final is the behaviour's last state (quiet when it has a final phase).
	Final saga.State
}

// sim names of the model's one SKU and customer.
const (
	simSKU      = "s-0"
	simCustomer = "c-0"
)

// recorder accumulates a history and a trace on one clock.
type recorder struct {
	cfg   saga.Config
	b     Built
	clock int64
	proc  int
	// pos is the store position of each model event id; setup events come
	// first, so model id i is at position i + setup.
	setup   int
	offset  map[string]int             // model stream -> versions taken by setup events
	stored  []trace.Envelope           // every stored event, in position order
	handled map[string]map[string]bool // node -> event id -> handled
	inv     map[string]int             // "place o-1" / "cancel o-1" -> invoke index
}

func (r *recorder) tick() int64 { r.clock++; return r.clock }

// op records a history op and returns its index.
func (r *recorder) op(typ string, proc int, f, key string, v *history.Value, errText string) int {
	i := len(r.b.Ops)
	r.b.Ops = append(r.b.Ops, history.Op{Index: i, Type: typ, Process: proc, F: f, Key: key, Value: v,
		Time: r.tick(), Error: errText})
	return i
}

// call records an invoke and its completion at once (an atomic model step).
func (r *recorder) call(f, key string, in, out *history.Value, typ, errText string) int {
	r.proc++
	i := r.op(vocab.TypeInvoke, r.proc, f, key, in, "")
	r.op(typ, r.proc, f, key, out, errText)
	return i
}

// ev records a trace event.
func (r *recorder) ev(e trace.Event) {
	e.Seq, e.Time = int64(len(r.b.Trace)), r.tick()
	r.b.Trace = append(r.b.Trace, e)
}

// implStream is the implementation's stream of a model stream.
func implStream(agg string) string {
	switch agg {
	case saga.SkuStream:
		return "sku-" + simSKU
	case saga.AcctStream:
		return "acct-" + simCustomer
	}
	return agg
}

func evID(pos int) string { return fmt.Sprintf("ev-%d", pos) }

// envelope is the stored form of model event e.
func (r *recorder) envelope(e saga.Event, cause string) trace.Envelope {
	var data any
	switch {
	case e.Type == vocab.OrderPlaced:
		data = map[string]any{"order": e.Order, "customer": simCustomer, "sku": simSKU, "qty": r.cfg.Qty, "amount": r.cfg.Amount}
	case strings.HasPrefix(e.Type, "Stock"):
		data = map[string]any{"order": e.Order, "sku": simSKU, "qty": e.N}
	case strings.HasPrefix(e.Type, "Payment"):
		data = map[string]any{"order": e.Order, "customer": simCustomer, "amount": e.N}
	default:
		data = map[string]any{"order": e.Order}
	}
	raw, _ := json.Marshal(data)
	if e.Cause > 0 {
		cause = evID(e.Cause + r.setup)
	}
	return trace.Envelope{ID: evID(e.ID + r.setup), Aggregate: implStream(e.Agg), Version: e.Ver + r.offset[e.Agg],
		Position: int64(e.ID + r.setup), Type: e.Type, SchemaVersion: 2, CorrelationID: e.Order, CausationID: cause, Data: raw}
}

// ref is the trace reference of model event id.
func (r *recorder) ref(id int) *trace.Ref {
	env := r.stored[id+r.setup-1]
	ref := trace.RefOf(&env)
	return &ref
}

// appendEvents records the append of model events evs by node, handling
// a delivered event or serving a command's invoke op (-1: none). The
// events of a command are caused by its op (causeOp), also when written
// later (ack-before-persist's flush, which names no op in the trace).
func (r *recorder) appendEvents(node string, evs []saga.Event, handled *trace.Ref, op int) {
	r.appendCaused(node, evs, handled, op, op)
}

func (r *recorder) appendCaused(node string, evs []saga.Event, handled *trace.Ref, op, causeOp int) {
	if len(evs) == 0 {
		return
	}
	cause := ""
	if causeOp >= 0 {
		cause = fmt.Sprintf("op-%d", causeOp)
	}
	e := trace.Event{Kind: trace.KindAppend, Node: node, Handled: handled}
	if op >= 0 {
		e.Op = &op
	}
	for _, m := range evs {
		env := r.envelope(m, cause)
		e.Events = append(e.Events, env)
		r.stored = append(r.stored, env)
	}
	r.ev(e)
}

// setupEvent records a restock or deposit (the model's initial stock or
// balance) as the system's setup phase does.
func (r *recorder) setupEvent(f, key, typ, stream string, v *history.Value, data map[string]any) {
	op := r.call(f, key, v, nil, vocab.TypeOK, "")
	raw, _ := json.Marshal(data)
	r.setup++
	env := trace.Envelope{ID: evID(r.setup), Aggregate: stream, Version: 1, Position: int64(r.setup), Type: typ,
		SchemaVersion: 2, CausationID: fmt.Sprintf("op-%d", op), Data: raw}
	r.stored = append(r.stored, env)
	node := vocab.ServiceInventory
	if f == vocab.FDeposit {
		node = vocab.ServicePayment
	}
	r.ev(trace.Event{Kind: trace.KindAppend, Node: node, Events: []trace.Envelope{env}, Op: &op})
	r.ev(trace.Event{Kind: trace.KindAck, Node: node, Op: &op})
}
