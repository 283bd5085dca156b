package saga

import "github.com/jepsen-lite/jepsen-lite/vocab"

// Invariant is one state predicate of OrderSaga.tla, by its TLA+ name.
type Invariant struct {
	Name    string
	Anomaly string // the vocab anomaly it catches ("" for TypeOK)
	Holds   func(c Config, s State) bool
}

// Invariants are the invariants of OrderSaga.tla, in the order of the
// correct config's INVARIANTS.
var Invariants = []Invariant{
	{"TypeOK", "", TypeOK},
	{"NoDuplicateEffect", vocab.AnomalyDuplicateEffect, NoDuplicateEffect},
	{"StockConserved", vocab.AnomalyInventoryLeak, StockConserved},
	{"MoneyConserved", vocab.AnomalyMoneyLeak, MoneyConserved},
	{"NoConflictingTerminal", vocab.AnomalyConflictingTerminal, NoConflictingTerminal},
	{"NoLostCommand", vocab.AnomalyLostCommand, NoLostCommand},
	{"NoLostEvent", vocab.AnomalyLostEvent, NoLostEvent},
	{"CausalOrder", vocab.AnomalyCausalViolation, CausalOrder},
	{"LinearizableRead", vocab.AnomalyNonlinearizable, LinearizableRead},
	{"NoStuckSaga", vocab.AnomalySagaStuck, NoStuckSaga},
	{"ProjectionConverged", vocab.AnomalyProjectionDiverged, ProjectionConverged},
}

// Violations returns the names of the invariants false in s, in the order
// of Invariants.
func Violations(c Config, s State) []string {
	var out []string
	// Quiet is the costly part of several invariants: evaluate it once.
	quiet := s.Quiet(c)
	for _, inv := range Invariants {
		holds := false
		if q, ok := quietForms[inv.Name]; ok {
			holds = q(c, s, quiet)
		} else {
			holds = inv.Holds(c, s)
		}
		if !holds {
			out = append(out, inv.Name)
		}
	}
	return out
}

// quietForms are the invariants stated on Quiet states, given Quiet.
var quietForms = map[string]func(Config, State, bool) bool{
	"StockConserved":      stockConserved,
	"MoneyConserved":      moneyConserved,
	"NoLostEvent":         noLostEvent,
	"NoStuckSaga":         noStuckSaga,
	"ProjectionConverged": projectionConverged,
}

// TypeOK is the TLA+ TypeOK, as far as Go's types do not enforce it.
func TypeOK(c Config, s State) bool {
	for i, e := range s.Log {
		id := i + 1
		if e.ID != id || typeCode(e.Type) < 0 || c.orderIndex(e.Order) < 0 ||
			e.Ver < 1 || e.Ver > id || e.Cause < 0 || e.Cause > id-1 || e.Batch < 1 || e.Batch > id {
			return false
		}
	}
	for ci := range NumConsumers {
		for _, ids := range []IDSet{s.Handled[ci], s.Bus[ci]} {
			for _, id := range ids {
				if id < 1 || id > len(s.Log) {
					return false
				}
			}
		}
	}
	if !s.OrdersWork.None() && (s.OrdersWork.ID < 1 || s.OrdersWork.ID > len(s.Log)) {
		return false
	}
	for i := range c.Orders {
		if s.ReadsLeft[i] < 0 || s.ReadsLeft[i] > c.MaxRead {
			return false
		}
	}
	return s.DupLeft >= 0 && s.DupLeft <= c.MaxDup && s.CrashLeft >= 0 && s.CrashLeft <= c.MaxCrash &&
		s.PartLeft >= 0 && s.PartLeft <= c.MaxPartition
}

// NoDuplicateEffect (duplicate-effect): two stored events with the same
// cause on the same stream came with one append.
func NoDuplicateEffect(c Config, s State) bool {
	for i, a := range s.Log {
		for _, b := range s.Log[i+1:] {
			if a.Cause > 0 && a.Cause == b.Cause && a.Agg == b.Agg && a.Batch != b.Batch {
				return false
			}
		}
	}
	return true
}

// allPlacedTerminal is TLA+ AllPlacedTerminal; completed counts Completed.
func (s State) allPlacedTerminal(c Config) (all bool, completed int) {
	all = true
	for _, o := range c.Orders {
		st := s.Status(o)
		if s.Placed(o) && !isTerminal(st) {
			all = false
		}
		if st == vocab.StatusCompleted {
			completed++
		}
	}
	return all, completed
}

// StockConserved (inventory-leak): once every saga ended and the system is
// quiet, stock = stock0 - Qty * #completed.
func StockConserved(c Config, s State) bool { return stockConserved(c, s, s.Quiet(c)) }

func stockConserved(c Config, s State, quiet bool) bool {
	all, done := s.allPlacedTerminal(c)
	return !(all && quiet) || s.Stock() == s.Stock0-c.Qty*done
}

// MoneyConserved (money-leak): likewise for the balance.
func MoneyConserved(c Config, s State) bool { return moneyConserved(c, s, s.Quiet(c)) }

func moneyConserved(c Config, s State, quiet bool) bool {
	all, done := s.allPlacedTerminal(c)
	return !(all && quiet) || s.Balance() == s.Bal0-c.Amount*done
}

// NoConflictingTerminal (conflicting-terminal): nothing follows a terminal
// event in an order stream.
func NoConflictingTerminal(c Config, s State) bool {
	for i, a := range s.Log {
		if !isOrderEvent(a.Type) || !isTerminal(statusOf[a.Type]) {
			continue
		}
		for _, b := range s.Log[i+1:] {
			if b.Agg == a.Agg {
				return false
			}
		}
	}
	return true
}

// NoLostCommand (lost-command): an acknowledged place is stored (or still
// in the write-behind buffer); an acknowledged cancel is stored.
func NoLostCommand(c Config, s State) bool {
	for i, o := range c.Orders {
		if s.PlaceOp[i] == OpOK && !s.Placed(o) && !s.WB[i] {
			return false
		}
		if s.CancelOp[i] == OpOK && !s.hasEvent(OrderStream(o), vocab.OrderCancelled) {
			return false
		}
	}
	return true
}

func (s State) hasEvent(stream, t string) bool {
	for _, e := range s.Log {
		if e.Agg == stream && e.Type == t {
			return true
		}
	}
	return false
}

// NoLostEvent (lost-event): when quiet, every stored event was handled by
// every consumer it is sent to.
func NoLostEvent(c Config, s State) bool { return noLostEvent(c, s, s.Quiet(c)) }

func noLostEvent(c Config, s State, quiet bool) bool {
	if !quiet {
		return true
	}
	for i, e := range s.Log {
		for ci := range NumConsumers {
			if reacts[ci][e.Type] && !s.Handled[ci].Has(i+1) {
				return false
			}
		}
	}
	return true
}

// CausalOrder (causal-violation): a consumer handled an event only after
// every earlier event of its stream that it is sent.
func CausalOrder(c Config, s State) bool {
	for ci := range NumConsumers {
		for _, id := range s.Handled[ci] {
			if !s.beforeHandled(ci, id) {
				return false
			}
		}
	}
	return true
}

// LinearizableRead (nonlinearizable): the last strong read returned a
// status reachable from what the client knew when it read.
func LinearizableRead(c Config, s State) bool {
	for _, r := range s.ReadObs {
		if !Reach(r.Floor, r.Got) {
			return false
		}
	}
	return true
}

// NoStuckSaga (saga-stuck, safety form): when quiet, every placed order is
// terminal.
func NoStuckSaga(c Config, s State) bool { return noStuckSaga(c, s, s.Quiet(c)) }

func noStuckSaga(c Config, s State, quiet bool) bool {
	all, _ := s.allPlacedTerminal(c)
	return all || !quiet
}

// ProjectionConverged (projection-diverged): when quiet, the read model
// agrees with the store.
func ProjectionConverged(c Config, s State) bool { return projectionConverged(c, s, s.Quiet(c)) }

func projectionConverged(c Config, s State, quiet bool) bool {
	if !quiet {
		return true
	}
	for i, o := range c.Orders {
		if s.Projection[i] != s.Status(o) {
			return false
		}
	}
	return true
}
