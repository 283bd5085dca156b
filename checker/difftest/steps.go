package difftest

import (
	"fmt"
	"strconv"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Build turns a behaviour into the history and trace the system would have
// written for it. When final is set the behaviour must end quiet and gets
// the final phase: every consumer handles, with no effect, the events of
// its topics the model does not send it, then the quiescent marker and the
// final reads.
func Build(b Behaviour, final bool) (Built, error) {
	states, err := b.States()
	if err != nil {
		return Built{}, err
	}
	cfg := b.Config()
	r := &recorder{cfg: cfg, offset: map[string]int{}, handled: map[string]map[string]bool{}, inv: map[string]int{}}
	r.b.Trace = []trace.Event{} // an empty trace, not a missing one
	for _, n := range vocab.Services {
		r.handled[n] = map[string]bool{}
	}
	s0 := states[0]
	if q := s0.Stock0 * cfg.Qty; q > 0 {
		r.setupEvent(vocab.FRestock, simSKU, vocab.StockRestocked, "sku-"+simSKU, &history.Value{Qty: q},
			map[string]any{"sku": simSKU, "qty": q})
		r.offset[saga.SkuStream] = 1
	}
	if a := s0.Bal0 * cfg.Amount; a > 0 {
		r.setupEvent(vocab.FDeposit, simCustomer, vocab.AccountCredited, "acct-"+simCustomer, &history.Value{Amount: a},
			map[string]any{"customer": simCustomer, "amount": a})
		r.offset[saga.AcctStream] = 1
	}
	for i, l := range b.Steps {
		if err := r.step(states[i], states[i+1], l); err != nil {
			return Built{}, fmt.Errorf("step %d %s: %v", i+1, l.TLA(), err)
		}
	}
	last := states[len(states)-1]
	r.b.Final = last
	if final {
		if !last.Quiet(cfg) {
			return Built{}, fmt.Errorf("the behaviour does not end quiet: no final phase")
		}
		r.finalPhase(last)
	}
	return r.b, nil
}

// newEvents returns the events step pre → post appended.
func newEvents(pre, post saga.State) []saga.Event { return post.Log[len(pre.Log):] }

// step records one model step.
func (r *recorder) step(pre, post saga.State, l saga.Label) error {
	evs := newEvents(pre, post)
	switch l.Name {
	case saga.ActPlace:
		return r.place(post, l.Args[0], evs)
	case saga.ActFlush:
		r.appendCaused(vocab.ServiceOrders, evs, nil, -1, r.inv["place "+l.Args[0]])
	case saga.ActCancelDecide:
		return r.cancelDecide(post, l.Args[0])
	case saga.ActCancelAppend:
		r.cancelAppend(pre, post, l.Args[0], evs)
	case saga.ActReadStrong:
		oi := r.orderIndex(l.Args[0])
		r.call(vocab.FReadStrong, l.Args[0], nil, &history.Value{Status: post.ReadObs[oi].Got}, vocab.TypeOK, "")
	case saga.ActDeliver:
		id, _ := strconv.Atoi(l.Args[1])
		r.consume(pre, l.Args[0], id, evs, true)
	case saga.ActOrdersDecide:
		id, _ := strconv.Atoi(l.Args[0])
		r.deliver(vocab.ServiceOrders, id)
		if pre.IsDup(r.cfg, saga.COrders, id) || post.OrdersWork.None() {
			r.consume(pre, vocab.ServiceOrders, id, nil, false)
		}
	case saga.ActOrdersAppend:
		r.ordersAppend(pre, evs)
	case saga.ActDuplicate:
		// The redelivery itself: the consuming step records it.
	case saga.ActPartition, saga.ActHeal:
		edge := vocab.EdgeStart
		if l.Name == saga.ActHeal {
			edge = vocab.EdgeStop
		}
		r.nemesis(vocab.FaultPartition, edge, l.Args[0])
	case saga.ActCrashOrders:
		r.crash(pre, post, vocab.ServiceOrders)
	case saga.ActCrashAfterCommit:
		id, _ := strconv.Atoi(l.Args[1])
		r.deliver(l.Args[0], id)
		r.ev(trace.Event{Kind: trace.KindCommit, Node: l.Args[0]})
		r.crash(pre, post, l.Args[0])
	case saga.ActDone:
	default:
		return fmt.Errorf("no system counterpart for action %q", l.Name)
	}
	return nil
}

func (r *recorder) orderIndex(o string) int {
	for i, x := range r.cfg.Orders {
		if x == o {
			return i
		}
	}
	return -1
}

// place: the command appends OrderPlaced and acknowledges (ack-before-
// persist: acknowledges, and Flush appends later).
func (r *recorder) place(post saga.State, o string, evs []saga.Event) error {
	r.proc++
	v := &history.Value{Customer: simCustomer, SKU: simSKU, Qty: r.cfg.Qty, Amount: r.cfg.Amount}
	inv := r.op(vocab.TypeInvoke, r.proc, vocab.FPlace, o, v, "")
	r.inv["place "+o] = inv
	r.appendEvents(vocab.ServiceOrders, evs, nil, inv)
	r.ev(trace.Event{Kind: trace.KindAck, Node: vocab.ServiceOrders, Op: &inv})
	r.op(vocab.TypeOK, r.proc, vocab.FPlace, o, nil, "")
	return nil
}

// cancelDecide invokes a cancel; one the order's status refuses fails at once.
func (r *recorder) cancelDecide(post saga.State, o string) error {
	r.proc++
	inv := r.op(vocab.TypeInvoke, r.proc, vocab.FCancel, o, nil, "")
	r.inv["cancel "+o] = inv
	r.inv["cancel-proc "+o] = r.proc
	if post.CancelOp[r.orderIndex(o)] == saga.OpFail {
		r.op(vocab.TypeFail, r.proc, vocab.FCancel, o, nil, notCancellable(post, o))
	}
	return nil
}

func notCancellable(s saga.State, o string) string {
	if s.Status(o) == vocab.StatusNone {
		return vocab.ErrNotFound
	}
	return vocab.ErrNotCancellable
}

// cancelAppend: the cancel's append with the expected version; on a
// conflict the command decides again (and fails when no longer cancellable).
func (r *recorder) cancelAppend(pre, post saga.State, o string, evs []saga.Event) {
	inv, proc := r.inv["cancel "+o], r.inv["cancel-proc "+o]
	oi := r.orderIndex(o)
	if len(evs) > 0 {
		r.appendEvents(vocab.ServiceOrders, evs, nil, inv)
		r.ev(trace.Event{Kind: trace.KindAck, Node: vocab.ServiceOrders, Op: &inv})
		r.op(vocab.TypeOK, proc, vocab.FCancel, o, nil, "")
		return
	}
	r.ev(trace.Event{Kind: trace.KindConflict, Node: vocab.ServiceOrders, Stream: saga.OrderStream(o),
		Expected: pre.CancelVer[oi], Actual: pre.Ver(saga.OrderStream(o))})
	if post.CancelOp[oi] == saga.OpFail {
		r.op(vocab.TypeFail, proc, vocab.FCancel, o, nil, notCancellable(post, o))
	}
}

// ordersAppend: the orders consumer appends its decided reaction, or
// drops it on a conflict (the event stays on the bus).
func (r *recorder) ordersAppend(pre saga.State, evs []saga.Event) {
	w := pre.OrdersWork
	if len(evs) == 0 {
		o := pre.Log[w.ID-1].Order
		r.ev(trace.Event{Kind: trace.KindConflict, Node: vocab.ServiceOrders, Stream: saga.OrderStream(o),
			Expected: w.Ver, Actual: pre.Ver(saga.OrderStream(o))})
		return
	}
	r.consume(pre, vocab.ServiceOrders, w.ID, evs, false)
}

// deliver records the delivery of model event id to node.
func (r *recorder) deliver(node string, id int) {
	ref := r.ref(id)
	r.ev(trace.Event{Kind: trace.KindDeliver, Node: node, Ref: ref})
}

// consume records node's handling of model event id: a duplicate skipped
// by dedup, or the effect (append of evs) and the handled mark. Before
// applying, the node handles the earlier events of the stream it is not
// sent in the model (the system delivers a whole topic).
func (r *recorder) consume(pre saga.State, node string, id int, evs []saga.Event, withDeliver bool) {
	if withDeliver {
		r.deliver(node, id)
	}
	ref := r.ref(id)
	ci := saga.ConsumerIndex(node)
	if pre.IsDup(r.cfg, ci, id) {
		r.ev(trace.Event{Kind: trace.KindHandle, Node: node, Ref: ref, Outcome: trace.OutcomeDuplicate})
		return
	}
	r.fillBefore(node, ref.Aggregate, ref.Version)
	r.appendEvents(node, evs, ref, -1)
	r.handle(node, ref)
}

func (r *recorder) handle(node string, ref *trace.Ref) {
	r.handled[node][ref.ID] = true
	r.ev(trace.Event{Kind: trace.KindHandle, Node: node, Ref: ref, Outcome: trace.OutcomeApplied})
}

// crash records a crash and restart of node; a cancel in progress at the
// orders node gets no reply (info).
func (r *recorder) crash(pre, post saga.State, node string) {
	r.ev(trace.Event{Kind: trace.KindCrash, Node: node})
	r.ev(trace.Event{Kind: trace.KindRestart, Node: node})
	for i, o := range r.cfg.Orders {
		if pre.CancelOp[i] == saga.OpPending && post.CancelOp[i] == saga.OpInfo {
			r.op(vocab.TypeInfo, r.inv["cancel-proc "+o], vocab.FCancel, o, nil, "crash")
		}
	}
}

// nemesis records a fault window edge in the history and the trace.
func (r *recorder) nemesis(fault, edge, target string) {
	r.op(vocab.TypeInfo, vocab.NemesisProcess, vocab.FNemesis, "", &history.Value{Fault: fault, Edge: edge, Target: target}, "")
	r.ev(trace.Event{Kind: trace.KindFault, Fault: fault, Edge: edge, Target: target})
}
