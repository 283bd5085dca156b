package difftest

import (
	"slices"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// noEffect reports whether node is delivered env (it subscribes to its
// topic) although the model does not send it: the system handles it with
// no effect.
func noEffect(node string, env *trace.Envelope) bool {
	ci := saga.ConsumerIndex(node)
	return slices.Contains(vocab.Subscriptions[node], vocab.TopicOf(env.Aggregate)) && (ci < 0 || !saga.Reacts(ci, env.Type))
}

// inOrder reports whether node has handled every earlier version of env's
// stream (always true with the unordered-apply bug, which applies in
// arrival order).
func (r *recorder) inOrder(node string, env *trace.Envelope) bool {
	if r.cfg.Bug == vocab.BugUnorderedApply {
		return true
	}
	for i := range r.stored {
		x := &r.stored[i]
		if x.Aggregate == env.Aggregate && x.Version < env.Version && !r.handled[node][x.ID] {
			return false
		}
	}
	return true
}

// fillBefore handles, with no effect, the events of stream before version
// that node is delivered but not sent in the model, in version order, as
// far as version order allows.
func (r *recorder) fillBefore(node, stream string, version int) {
	for i := range r.stored {
		env := &r.stored[i]
		if env.Aggregate != stream || env.Version >= version || r.handled[node][env.ID] || !noEffect(node, env) {
			continue
		}
		if !r.inOrder(node, env) {
			return
		}
		ref := trace.RefOf(env)
		r.handle(node, &ref)
	}
}

// finalPhase: the no-effect handlings still due, the quiescent marker and
// the final reads of every order placed, the SKU and the account.
func (r *recorder) finalPhase(last saga.State) {
	for _, node := range vocab.Services {
		for i := range r.stored {
			env := &r.stored[i]
			if !r.handled[node][env.ID] && noEffect(node, env) && r.inOrder(node, env) {
				ref := trace.RefOf(env)
				r.handle(node, &ref)
			}
		}
	}
	// What is still on a consumer's bus when the model is quiet is stuck
	// behind an earlier version it lost: redelivered and deferred again.
	for ci, node := range saga.Consumers {
		for _, id := range last.Bus[ci] {
			ref := r.ref(id)
			r.ev(trace.Event{Kind: trace.KindDeliver, Node: node, Ref: ref})
			r.ev(trace.Event{Kind: trace.KindHandle, Node: node, Ref: ref, Outcome: trace.OutcomeDeferred})
		}
	}
	r.op(vocab.TypeInfo, vocab.NemesisProcess, vocab.FNemesis, "", &history.Value{Fault: vocab.MarkFinal, Edge: vocab.EdgeQuiescent}, "")
	for i, o := range r.cfg.Orders {
		if last.PlaceOp[i] == saga.OpIdle {
			continue
		}
		strong := last.Status(o)
		if r.cfg.Bug == vocab.BugStaleRead {
			strong = last.Projection[i] // strong reads are served from the projection
		}
		r.call(vocab.FReadStrong, o, nil, &history.Value{Status: strong}, vocab.TypeOK, "")
		r.call(vocab.FReadProjection, o, nil, &history.Value{Status: last.Projection[i]}, vocab.TypeOK, "")
	}
	stock, bal := last.Stock(), last.Balance()
	r.call(vocab.FReadStock, simSKU, nil, &history.Value{Stock: history.Int(stock)}, vocab.TypeOK, "")
	r.call(vocab.FReadBalance, simCustomer, nil, &history.Value{Balance: history.Int(bal)}, vocab.TypeOK, "")
}

// reacts reports whether the model sends events of type t to node.
func reacts(node, t string) bool {
	ci := saga.ConsumerIndex(node)
	return ci >= 0 && saga.Reacts(ci, t)
}
