package tracemodel_test

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// These tests show that trace validation fails on a deliberate difference:
// a mutated trace against the right model, and the right trace against a
// wrong model.

// firstAppend returns the index of the first append of an event of type typ.
func firstAppend(t *testing.T, tr []trace.Event, typ string) int {
	t.Helper()
	for i := range tr {
		if tr[i].Kind == trace.KindAppend && len(tr[i].Events) > 0 && tr[i].Events[0].Type == typ {
			return i
		}
	}
	t.Fatalf("no append of %s in the trace", typ)
	return -1
}

// rejectedAt validates a trace with the correct model and returns the
// rejection of order key.
func rejectedAt(t *testing.T, rec *harnessRec, tr []trace.Event, key string) tracemodel.Rejection {
	t.Helper()
	sum := tracemodel.Run("", rec.ops, tr, true)
	for _, r := range sum.Rejected {
		if r.Order == key {
			return r
		}
	}
	t.Fatalf("order %s not rejected: %s", key, sum.Note())
	return tracemodel.Rejection{}
}

// An orders append whose event type is changed (OrderReserved stored as
// OrderCharged) is rejected at exactly that trace event.
func TestMutatedAppendRejectedThere(t *testing.T) {
	rec := newRec(simRun(t, 1, "", 300))
	tr := cloneTrace(rec.tr)
	i := firstAppend(t, tr, vocab.OrderReserved)
	key := tr[i].Events[0].CorrelationID
	tr[i].Events[0].Type = vocab.OrderCharged
	r := rejectedAt(t, rec, tr, key)
	if r.Index != i || r.Source != trace.KindAppend {
		t.Fatalf("rejected at trace event %d (%s), want %d: %s", r.Index, r.Source, i, r.Detail())
	}
}

// A projector handling dropped from the trace makes the next one of the
// same order out of version order: rejected at that later event.
func TestDroppedHandleRejectedLater(t *testing.T) {
	rec := newRec(simRun(t, 1, "", 300))
	tr := cloneTrace(rec.tr)
	drop := -1
	for i := range tr {
		e := &tr[i]
		if e.Kind == trace.KindHandle && e.Node == vocab.ServiceProjector && e.Outcome == trace.OutcomeApplied &&
			e.Ref.Type == vocab.OrderPlaced {
			drop = i
			break
		}
	}
	if drop < 0 {
		t.Fatal("no projector handle of OrderPlaced")
	}
	key := tr[drop].Ref.Correlation
	tr = append(tr[:drop:drop], tr[drop+1:]...)
	r := rejectedAt(t, rec, tr, key)
	if r.Index < drop || r.Kind != tracemodel.ObsHandle && r.Kind != tracemodel.ObsEnd {
		t.Fatalf("rejected at %d (%s), want a later projector step: %s", r.Index, r.Kind, r.Detail())
	}
}

// The correct system's trace is rejected by a model with the wrong bug
// switch (ack-before-persist acknowledges before it stores, so its Place
// appends nothing) and by a mutated model (inventory reserves only when
// stock > qty).
func TestWrongModelRejects(t *testing.T) {
	rec := simRun(t, 1, "", 300)
	sum := tracemodel.Run(vocab.BugAckBeforePersist, rec.Ops, rec.Trace, true)
	if len(sum.Rejected) != sum.Orders || sum.Orders == 0 {
		t.Fatalf("ack-before-persist model on a correct trace: %s", sum.Note())
	}
	rejected := 0
	for _, p := range tracemodel.Project(rec.Ops, rec.Trace, true) {
		cfg := tracemodel.ModelConfig("", p)
		if !tracemodel.ValidateConfig(cfg, p).Accepted {
			t.Fatalf("order %s: the unmutated config rejects", p.Order)
		}
		cfg.Mutation = "inventory-strict-stock"
		if tracemodel.ValidateConfig(cfg, p).Rejected() {
			rejected++
		}
	}
	if rejected == 0 {
		t.Fatal("the inventory-strict-stock model rejects no order of a correct trace")
	}
}
