package difftest

import (
	"fmt"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Mutation is a change to a built trace: Kind is one of the Mutation*
// kinds; At is the index of the trace event it applies to.
type Mutation struct {
	Kind string `json:"kind"`
	At   int    `json:"at"`
}

// Mutation kinds and the anomaly each makes by construction.
const (
	// MutationDrop drops a consumer's applied handle of an event it
	// reacts to: that consumer never handled it (lost-event), unless it
	// appended an effect for it, which is the handling (Expected).
	MutationDrop = "drop"
	// MutationDuplicate repeats a consumer's append of an effect: two
	// effects for one handled event (duplicate-effect).
	MutationDuplicate = "duplicate"
	// MutationReorder moves a consumer's handle of an event before its
	// handle of the stream's previous version (causal-violation); both
	// events are ones the model sends it, handled with no effect append.
	MutationReorder = "reorder"
)

// MutationAnomaly is the anomaly each mutation makes by construction.
var MutationAnomaly = map[string]string{MutationDrop: vocab.AnomalyLostEvent,
	MutationDuplicate: vocab.AnomalyDuplicateEffect, MutationReorder: vocab.AnomalyCausalViolation}

// Expected is the anomaly a mutation makes by construction, "" for none.
func Expected(events []trace.Event, m Mutation) string {
	if m.Kind == MutationDrop && effectAppended(events, m.At) {
		return ""
	}
	return MutationAnomaly[m.Kind]
}

// effectAppended reports whether the node of the handle at i appended an
// effect for the event it handles.
func effectAppended(events []trace.Event, i int) bool {
	h := &events[i]
	for j := range events {
		if e := &events[j]; e.Kind == trace.KindAppend && e.Node == h.Node && e.Handled != nil && e.Handled.ID == h.Ref.ID {
			return true
		}
	}
	return false
}

// Mutate returns a copy of events with m applied; the event at m.At must
// be one the mutation applies to (Targets).
func Mutate(events []trace.Event, m Mutation) ([]trace.Event, error) {
	if !slices.Contains(Targets(events, m.Kind), m.At) {
		return nil, fmt.Errorf("mutation %s at %d: not a target", m.Kind, m.At)
	}
	out := slices.Clone(events)
	switch m.Kind {
	case MutationDrop:
		out = slices.Delete(out, m.At, m.At+1)
	case MutationDuplicate:
		out = slices.Insert(out, m.At+1, out[m.At])
	case MutationReorder:
		prev := previousHandle(out, m.At)
		e := out[m.At]
		out = slices.Insert(slices.Delete(out, m.At, m.At+1), prev, e)
	}
	return out, nil
}

// Targets lists the trace indices a mutation kind applies to.
func Targets(events []trace.Event, kind string) []int {
	var out []int
	for i := range events {
		e := &events[i]
		switch {
		case kind == MutationDrop && e.Kind == trace.KindHandle && e.Outcome == trace.OutcomeApplied && reacts(e.Node, e.Ref.Type) &&
			handles(events, e.Node, e.Ref.ID) == 1:
			out = append(out, i)
		case kind == MutationDuplicate && e.Kind == trace.KindAppend && e.Handled != nil:
			out = append(out, i)
		case kind == MutationReorder && e.Kind == trace.KindHandle && e.Outcome == trace.OutcomeApplied && reacts(e.Node, e.Ref.Type):
			// Both handles without an effect append (which would be the
			// handling itself) and both of events the model sends the node.
			// The moved handle must still come after its event was stored.
			if j := previousHandle(events, i); j >= 0 && reacts(e.Node, events[j].Ref.Type) &&
				!effectAppended(events, i) && !effectAppended(events, j) && storedAt(events, e.Ref.ID) < j {
				out = append(out, i)
			}
		}
	}
	return out
}

// previousHandle is the index of the applied handle, by the same node, of
// the previous version of the stream of the handle at i; -1 when none.
func previousHandle(events []trace.Event, i int) int {
	e := &events[i]
	for j := i - 1; j >= 0; j-- {
		x := &events[j]
		if x.Kind == trace.KindHandle && x.Outcome == trace.OutcomeApplied && x.Node == e.Node &&
			x.Ref.Aggregate == e.Ref.Aggregate && x.Ref.Version == e.Ref.Version-1 {
			return j
		}
	}
	return -1
}

// CrossOrder reports whether a reorder swaps the handles of two orders'
// events on a shared stream (a SKU's or an account's): trace validation
// projects the trace per order, so that order is outside its scope
// (checker/tracemodel doc.go, "Shared streams").
func CrossOrder(events []trace.Event, m Mutation) bool {
	if m.Kind != MutationReorder {
		return false
	}
	j := previousHandle(events, m.At)
	return j >= 0 && events[j].Ref.Correlation != events[m.At].Ref.Correlation
}

// storedAt is the index of the append that stored event id, len(events)
// when none did.
func storedAt(events []trace.Event, id string) int {
	for i := range events {
		if e := &events[i]; e.Kind == trace.KindAppend {
			for k := range e.Events {
				if e.Events[k].ID == id {
					return i
				}
			}
		}
	}
	return len(events)
}

// handles counts the handles of event id by node (any outcome).
func handles(events []trace.Event, node, id string) int {
	n := 0
	for i := range events {
		if e := &events[i]; e.Kind == trace.KindHandle && e.Node == node && e.Ref.ID == id {
			n++
		}
	}
	return n
}
