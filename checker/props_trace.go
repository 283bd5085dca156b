package checker

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The checkers in this file judge the trace: what the services did with the
// events, which the history cannot show.

// ExactlyOnce is the "exactly-once" checker: no node appends two effects
// while handling one delivered event (anomaly duplicate-effect; the no-dedup
// bug). Consumers record the dedup mark atomically with the effect
// (PROTOCOL.md, consumers), so a redelivery must come out as a duplicate,
// never as a second append.
type ExactlyOnce struct{}

// Name implements Checker.
func (ExactlyOnce) Name() string { return "exactly-once" }

// Check implements Checker.
func (ExactlyOnce) Check(in *Input) Result {
	ix := indexOf(in)
	if why := traceGate(in, ix); why != "" {
		return unknownResult(why)
	}
	t := ix.tr
	var v propVerdict
	for _, d := range t.dupEffects {
		key := d.ev.orderKey()
		v.anomaly(Anomaly{
			Type: vocab.AnomalyDuplicateEffect, Key: keyOr(key, d.ev.stream()), Ops: ix.placeOps(key),
			Detail: fmt.Sprintf("node %s appended %d effects for event %s (the extra ones at trace seq %v)",
				t.nodeName(d.node), len(d.seqs)+1, d.ev.describe(), d.seqs),
		})
	}
	truncatedNote(in, &v)
	return v.result(countNote(t.storedEvents(), "stored events checked for a second effect by one node"))
}

// CausalOrder is the "causal-order" checker: a node applies version v of an
// aggregate only after it handled version v-1 (anomaly causal-violation; the
// unordered-apply bug). Consumers handle each aggregate's events in version
// order (PROTOCOL.md, consumers).
type CausalOrder struct{}

// Name implements Checker.
func (CausalOrder) Name() string { return "causal-order" }

// Check implements Checker.
func (CausalOrder) Check(in *Input) Result {
	ix := indexOf(in)
	if why := traceGate(in, ix); why != "" {
		return unknownResult(why)
	}
	t := ix.tr
	var v propVerdict
	for _, f := range t.causal {
		key := f.ev.orderKey()
		v.anomaly(Anomaly{
			Type: vocab.AnomalyCausalViolation, Key: keyOr(key, f.ev.stream()), Ops: ix.placeOps(key),
			Detail: fmt.Sprintf("node %s applied %s at trace seq %d before handling version %d of that stream",
				t.nodeName(f.node), f.ev.describe(), f.seq, f.ev.version()-1),
		})
	}
	truncatedNote(in, &v)
	return v.result(countNote(t.storedEvents(), "stored events' applies checked for version order"))
}

// NoLostEvent is the "no-lost-event" checker: once the run is quiescent,
// every stored event was handled (applied, duplicate or dead-lettered) by
// every node subscribed to its topic (anomaly lost-event; the
// commit-before-process bug).
type NoLostEvent struct{}

// Name implements Checker.
func (NoLostEvent) Name() string { return "no-lost-event" }

// Check implements Checker.
func (NoLostEvent) Check(in *Input) Result {
	ix := indexOf(in)
	if why := traceGate(in, ix); why != "" {
		return unknownResult(why)
	}
	if why := ix.finalGate(in, true); why != "" {
		return unknownResult(why)
	}
	if in.TraceTruncated {
		// An event handled after the cut would look lost.
		return unknownResult("the trace was cut short (killed run): handling after the cut is not seen")
	}
	t := ix.tr
	type lost struct {
		ev      evRef
		missing uint64
	}
	var found []lost
	for _, sh := range t.shards {
		for i := range sh.evs {
			ev := &sh.evs[i]
			if !ev.appended {
				continue
			}
			if missing := sh.streams[ev.stream].subs &^ sh.hot[i].handled; missing != 0 {
				found = append(found, lost{evRef{sh, int32(i)}, missing})
			}
		}
	}
	// In trace order, whatever the shards: events first seen in one append
	// stay in their order there (a stable sort; they share a stream, so a
	// shard), and a tie across shards goes by event ID.
	slices.SortStableFunc(found, func(a, b lost) int {
		if d := int(a.ev.ev().pos - b.ev.ev().pos); d != 0 || a.ev.sh == b.ev.sh {
			return d
		}
		return strings.Compare(a.ev.ev().id, b.ev.ev().id)
	})
	var v propVerdict
	for _, f := range found {
		key := f.ev.orderKey()
		v.anomaly(Anomaly{
			Type: vocab.AnomalyLostEvent, Key: keyOr(key, f.ev.stream()), Ops: ix.placeOps(key),
			Detail: fmt.Sprintf("event %s was never handled by %s", f.ev.describe(), strings.Join(t.nodeNames(f.missing), ", ")),
		})
	}
	return v.result(countNote(t.storedEvents(), "stored events checked for handling by every subscriber"))
}

// DeadLetters is the "dead-letters" checker. A dead letter is not an
// anomaly by itself (the protocol dead-letters an OrderPlaced of a schema the
// inventory cannot read), so it is reported in the Note, never silently. But
// the inventory then rejects the order so that the saga still ends: a
// dead-lettered OrderPlaced whose order did not end rejected (or cancelled,
// when the cancel won the race) is a saga-stuck anomaly.
type DeadLetters struct{}

// Name implements Checker.
func (DeadLetters) Name() string { return "dead-letters" }

// deadLetterIDsMax bounds the event ids the Note lists.
const deadLetterIDsMax = 20

// Check implements Checker.
func (DeadLetters) Check(in *Input) Result {
	ix := indexOf(in)
	if why := traceGate(in, ix); why != "" {
		return unknownResult(why)
	}
	t := ix.tr
	var v propVerdict
	var ids []string
	seen := map[string]bool{} // orders already judged
	gate := ix.finalGate(in, true)
	for _, d := range t.dlqs {
		ev := d.ev.ev()
		if len(ids) < deadLetterIDsMax {
			ids = append(ids, ev.id+" ("+ev.typ+" by "+t.nodeName(d.node)+")")
		}
		key := d.ev.orderKey()
		if ev.typ != vocab.OrderPlaced || t.nodeName(d.node) != vocab.ServiceInventory || seen[key] {
			continue
		}
		seen[key] = true
		if gate != "" {
			v.unknownKey(key, gate)
			continue
		}
		judgeDeadLettered(ix, &v, key, ev)
	}
	s := countNote(len(t.dlqs), "dead letters")
	if len(ids) > 0 {
		s += ": " + strings.Join(ids, ", ")
		if len(t.dlqs) > len(ids) {
			s += ", ..."
		}
	}
	truncatedNote(in, &v)
	return v.result(s)
}

// judgeDeadLettered checks the final status of an order whose OrderPlaced
// the inventory dead-lettered.
func judgeDeadLettered(ix *index, v *propVerdict, key string, ev *evIx) {
	o := ix.orders[key]
	if o == nil || !o.finalKnown {
		v.unknownKey(key, "no final read-strong")
		return
	}
	if o.final == vocab.StatusRejected || o.final == vocab.StatusCancelled {
		return
	}
	v.anomaly(Anomaly{
		Type: vocab.AnomalySagaStuck, Key: key, Ops: ix.orderOps(key, o.finalRead),
		Detail: fmt.Sprintf("OrderPlaced %s was dead-lettered by %s, but the final read-strong status is %s, not %s",
			ev.id, vocab.ServiceInventory, o.final, vocab.StatusRejected),
	})
}

// keyOr returns key, or alt when key is empty.
func keyOr(key, alt string) string {
	if key == "" {
		return alt
	}
	return key
}
