package saga

import (
	"slices"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file holds the faults of OrderSaga.tla (bounded by budgets), Heal
// and the end of a run (Done).

// DuplicateEv is TLA+ DuplicateEv(c, id): redeliver an event already taken
// (and committed) by a subscriber.
func DuplicateEv(cfg Config, s State, consumer string, id int) (State, bool) {
	c := ConsumerIndex(consumer)
	e, ok := s.event(id)
	if c < 0 || !ok || s.DupLeft <= 0 || !reacts[c][e.Type] || s.Bus[c].Has(id) ||
		(c == CProjector && cfg.Mutation == "no-projector-duplicate") {
		return s, false
	}
	s.Bus[c] = s.Bus[c].With(id)
	s.DupLeft--
	return s, true
}

// Partition is TLA+ Partition(c): cut consumer c off the bus.
func Partition(cfg Config, s State, consumer string) (State, bool) {
	c := ConsumerIndex(consumer)
	if c < 0 || s.PartLeft <= 0 || s.Parted[c] {
		return s, false
	}
	s.Parted[c] = true
	s.PartLeft--
	return s, true
}

// Heal is TLA+ Heal(c): the end of a partition window.
func Heal(cfg Config, s State, consumer string) (State, bool) {
	c := ConsumerIndex(consumer)
	if c < 0 || !s.Parted[c] {
		return s, false
	}
	s.Parted[c] = false
	return s, true
}

// loseOrdersVolatile is the part of a crash of the orders node common to
// CrashOrders and CrashAfterCommitEv("orders", _): pending cancels become
// "info", cancelVer is reset and the write-behind buffer is lost.
func (s *State) loseOrdersVolatile() {
	s.CancelOp = slices.Clone(s.CancelOp)
	for i, op := range s.CancelOp {
		if op == OpPending {
			s.CancelOp[i] = OpInfo
		}
	}
	s.CancelVer = make([]int, len(s.CancelVer))
	s.WB = make([]bool, len(s.WB))
}

// CrashOrders is TLA+ CrashOrders: crash-restart of the orders node, which
// loses its volatile state; only generated when it has some.
func CrashOrders(cfg Config, s State) (State, bool) {
	if s.CrashLeft <= 0 {
		return s, false
	}
	volatile := !s.OrdersWork.None() || slices.Contains(s.WB, true) || slices.Contains(s.CancelOp, OpPending)
	if !volatile {
		return s, false
	}
	s.CrashLeft--
	if cfg.is(vocab.BugCommitBeforeProcess) && !s.OrdersWork.None() {
		s.drop(COrders, s.OrdersWork.ID)
	}
	s.OrdersWork = Work{}
	s.loseOrdersVolatile()
	return s, true
}

// CrashAfterCommitEv is TLA+ CrashAfterCommitEv(c, id): with
// commit-before-process, c committed id on receipt and crashed before
// handling it: the event is gone for c.
func CrashAfterCommitEv(cfg Config, s State, consumer string, id int) (State, bool) {
	c := ConsumerIndex(consumer)
	if c < 0 || !cfg.is(vocab.BugCommitBeforeProcess) || s.CrashLeft <= 0 || s.Parted[c] ||
		!s.Bus[c].Has(id) || (c == COrders && !s.OrdersWork.None()) {
		return s, false
	}
	s.drop(c, id)
	s.CrashLeft--
	if c == COrders {
		s.loseOrdersVolatile()
	}
	return s, true
}

// Done is TLA+ Done: the run is over (every order placed, the system
// quiet); a self-loop so that finished runs are not deadlocks.
func Done(cfg Config, s State) (State, bool) {
	if !s.Quiet(cfg) || slices.Contains(s.PlaceOp, OpIdle) {
		return s, false
	}
	return s, true
}
