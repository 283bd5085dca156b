package saga

import (
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file holds the client commands of OrderSaga.tla (served by the
// orders node). Each func is the TLA+ action of the same name: it returns
// the successor and true when the action is enabled in s, else false.

// placedEvent is the OrderPlaced append of a place (or its flush).
func (s State) placedEvents(cfg Config, o string) []Event {
	return s.NewEvents(OrderStream(o), []Emit{{Type: vocab.OrderPlaced, Order: o, N: cfg.Qty}}, 0)
}

// Place is TLA+ Place(o): decide on the (empty) stream, append OrderPlaced,
// acknowledge; ack-before-persist: acknowledge first, write later (Flush).
func Place(cfg Config, s State, o string) (State, bool) {
	oi := cfg.orderIndex(o)
	if oi < 0 || s.PlaceOp[oi] != OpIdle {
		return s, false
	}
	s.PlaceOp = setAt(s.PlaceOp, oi, OpOK)
	if cfg.is(vocab.BugAckBeforePersist) {
		s.WB = setAt(s.WB, oi, true)
	} else {
		s.appendPublish(s.placedEvents(cfg, o))
	}
	return s, true
}

// Flush is TLA+ Flush(o): ack-before-persist's write-behind buffer reaches
// the store.
func Flush(cfg Config, s State, o string) (State, bool) {
	oi := cfg.orderIndex(o)
	if oi < 0 || !s.WB[oi] {
		return s, false
	}
	s.appendPublish(s.placedEvents(cfg, o))
	s.WB = setAt(s.WB, oi, false)
	return s, true
}

// cancellable is TLA+ "Status(o) \in Cancellable" (with the test-only
// mutation cancel-charged).
func cancellable(cfg Config, status string) bool {
	if cfg.Mutation == "cancel-charged" && status == vocab.StatusCharged {
		return true
	}
	return isCancellable(status)
}

// CancelDecide is TLA+ CancelDecide(o): read the order and decide; not
// found / not cancellable fails at once, otherwise remember the version.
func CancelDecide(cfg Config, s State, o string) (State, bool) {
	oi := cfg.orderIndex(o)
	if oi < 0 || s.PlaceOp[oi] != OpOK || s.CancelOp[oi] != OpIdle {
		return s, false
	}
	if cancellable(cfg, s.Status(o)) {
		s.CancelOp = setAt(s.CancelOp, oi, OpPending)
		s.CancelVer = setAt(s.CancelVer, oi, s.Ver(OrderStream(o)))
	} else {
		s.CancelOp = setAt(s.CancelOp, oi, OpFail)
	}
	return s, true
}

// CancelAppend is TLA+ CancelAppend(o): append OrderCancelled with the
// expected version; on a conflict decide again at once. no-occ: the
// expected version is not checked.
func CancelAppend(cfg Config, s State, o string) (State, bool) {
	oi := cfg.orderIndex(o)
	if oi < 0 || s.CancelOp[oi] != OpPending {
		return s, false
	}
	ver := s.Ver(OrderStream(o))
	switch {
	case cfg.is(vocab.BugNoOCC) || ver == s.CancelVer[oi]:
		s.appendPublish(s.NewEvents(OrderStream(o), []Emit{{Type: vocab.OrderCancelled, Order: o}}, 0))
		s.CancelOp = setAt(s.CancelOp, oi, OpOK)
		s.CancelVer = setAt(s.CancelVer, oi, 0)
	case cancellable(cfg, s.Status(o)):
		s.CancelVer = setAt(s.CancelVer, oi, ver)
	default:
		s.CancelOp = setAt(s.CancelOp, oi, OpFail)
		s.CancelVer = setAt(s.CancelVer, oi, 0)
	}
	return s, true
}

// ReadStrong is TLA+ ReadStrong(o): the order's status from the store
// (stale-read: from the projection), only after the place was
// acknowledged, MaxRead times.
func ReadStrong(cfg Config, s State, o string) (State, bool) {
	oi := cfg.orderIndex(o)
	if oi < 0 || s.PlaceOp[oi] != OpOK || s.ReadsLeft[oi] <= 0 {
		return s, false
	}
	got := s.Status(o)
	if cfg.is(vocab.BugStaleRead) {
		got = s.Projection[oi]
	}
	s.ReadObs = setAt(s.ReadObs, oi, Read{Floor: s.Known(cfg, oi), Got: got})
	s.ReadsLeft = setAt(s.ReadsLeft, oi, s.ReadsLeft[oi]-1)
	return s, true
}
