package checker

import (
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The checkers in this file judge each order by its final reads: the
// read-strong and read-projection the final phase makes of every order ever
// placed, after every fault is healed (PROTOCOL.md, history).

// SagaTermination is the "saga-termination" checker: after heal and
// quiescence every order that exists is terminal (anomaly saga-stuck; the
// commit-before-process bug). An order exists when its place is ok, or in
// doubt (info) and the final read finds it.
type SagaTermination struct{}

// Name implements Checker.
func (SagaTermination) Name() string { return "saga-termination" }

// Check implements Checker.
func (SagaTermination) Check(in *Input) Result {
	ix := indexOf(in)
	if why := ix.finalGate(in, true); why != "" {
		return unknownResult(why)
	}
	var v propVerdict
	checked := 0
	for _, o := range ix.orderList {
		switch {
		case !o.placeOK && !o.placeInDoubt:
			continue
		case !o.finalKnown:
			v.unknownKey(o.key, "no final read-strong")
			continue
		case !o.placeOK && o.final == vocab.StatusNone:
			continue // the info place never took effect
		}
		checked++
		switch o.final {
		case vocab.StatusPlaced, vocab.StatusReserved, vocab.StatusCharged, vocab.StatusShipped:
			v.anomaly(Anomaly{
				Type: vocab.AnomalySagaStuck, Key: o.key, Ops: ix.orderOps(o.key, o.finalRead),
				Detail: fmt.Sprintf("final read-strong status %s after heal and quiescence: not terminal", o.final),
			})
		}
	}
	return v.result(countNote(checked, "placed orders checked for a terminal final status"))
}

// okCalls returns the calls of cs that completed ok.
func (ix *index) okCalls(cs []int) []call {
	var out []call
	for _, c := range cs {
		if ix.calls[c].typ == vocab.TypeOK {
			out = append(out, ix.calls[c])
		}
	}
	return out
}

// NoLostCommand is the "no-lost-command" checker: an acknowledged command is
// in the store (anomaly lost-command; the ack-before-persist bug). A place
// acknowledged ok must not read none at the end; a cancel acknowledged ok
// must leave the order cancelled (a different terminal status is a
// conflicting-terminal, reported by the terminal checker). The store is read
// strongly, so no quiescence is needed.
type NoLostCommand struct{}

// Name implements Checker.
func (NoLostCommand) Name() string { return "no-lost-command" }

// Check implements Checker.
func (NoLostCommand) Check(in *Input) Result {
	ix := indexOf(in)
	if why := ix.finalGate(in, false); why != "" {
		return unknownResult(why)
	}
	var v propVerdict
	checked := 0
	for _, o := range ix.orderList {
		switch {
		case !o.placeOK && !o.cancelOK:
			continue
		case !o.finalKnown:
			v.unknownKey(o.key, "no final read-strong")
			continue
		}
		checked++
		if o.placeOK && o.final == vocab.StatusNone {
			v.anomaly(Anomaly{
				Type: vocab.AnomalyLostCommand, Key: o.key, Ops: ix.callOps(nil, append(ix.okCalls(o.places), o.finalRead)...),
				Detail: "place acknowledged ok, but the final read-strong status is none",
			})
		}
		if o.cancelOK && o.final != vocab.StatusCancelled && !vocab.Terminal(o.final) {
			v.anomaly(Anomaly{
				Type: vocab.AnomalyLostCommand, Key: o.key, Ops: ix.callOps(nil, append(ix.okCalls(o.cancels), o.finalRead)...),
				Detail: fmt.Sprintf("cancel acknowledged ok, but the final read-strong status is %s", o.final),
			})
		}
	}
	return v.result(countNote(checked, "orders with acknowledged commands checked against their final status"))
}

// Projection is the "projection" checker: once quiescent, the read model
// agrees with the event store on every order (anomaly projection-diverged).
type Projection struct{}

// Name implements Checker.
func (Projection) Name() string { return "projection" }

// Check implements Checker.
func (Projection) Check(in *Input) Result {
	ix := indexOf(in)
	if why := ix.finalGate(in, true); why != "" {
		return unknownResult(why)
	}
	var v propVerdict
	checked := 0
	for _, o := range ix.orderList {
		if !o.placeOK && !o.placeInDoubt && len(o.strong) == 0 && len(o.proj) == 0 {
			continue // never placed (or only refused) and not read: nothing to compare
		}
		if !o.finalKnown {
			v.unknownKey(o.key, "no final read-strong")
			continue
		}
		pst, pread, ok := ix.status(o.proj)
		if !ok {
			v.unknownKey(o.key, "no final read-projection")
			continue
		}
		checked++
		if o.final != pst {
			v.anomaly(Anomaly{
				Type: vocab.AnomalyProjectionDiverged, Key: o.key, Ops: ix.callOps(nil, o.finalRead, pread),
				Detail: fmt.Sprintf("after quiescence the projection says %s, the event store %s", pst, o.final),
			})
		}
	}
	return v.result(countNote(checked, "orders' final projection compared with their final strong read"))
}
