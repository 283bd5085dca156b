package checker

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The corpus of the property checkers: per checker at least one valid, one
// invalid (exactly the expected anomaly, with its key and op indices) and
// one unknown case, each built from the one-order fixture (props_test.go).

// TestPropertiesFixtureValid: the fixture is a correct run, so every
// property checker must call it valid.
func TestPropertiesFixtureValid(t *testing.T) {
	in := newFixture(nil).input()
	for _, c := range Properties() {
		if r := c.Check(in); r.Valid != Valid {
			t.Errorf("%s: %v (%s) %+v", c.Name(), r.Valid, r.Note, r.Anomalies)
		}
	}
}

// noTrace, timeout and noFinal are the common ways a checker cannot judge.
func noTrace(*testing.T) *Input { in := newFixture(nil).input(); in.Trace = nil; return in }

func timeout(*testing.T) *Input {
	f := newFixture(nil)
	f.h.ops[f.final].Value.Edge = vocab.EdgeTimeout
	return f.input()
}

func noFinal(*testing.T) *Input {
	f := newFixture(nil)
	return &Input{Ops: f.h.ops[:f.final], Trace: f.t.evs, HistoryTruncated: true}
}

func TestExactlyOnceCorpus(t *testing.T) {
	f := newFixture(nil)
	runPropCases(t, []propCase{
		{name: "fixture", check: ExactlyOnce{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "redelivery-deduplicated", check: ExactlyOnce{}, want: Valid, in: func(*testing.T) *Input {
			f := newFixture(nil)
			f.t.handle(vocab.ServiceInventory, f.placed, trace.OutcomeDuplicate)
			return f.input()
		}},
		{name: "second-reservation", check: ExactlyOnce{}, want: Invalid,
			typ: vocab.AnomalyDuplicateEffect, key: "o-1", ops: ops(f.place), in: func(*testing.T) *Input {
				f := newFixture(nil)
				f.t.handleAll(f.t.store(vocab.ServiceInventory, &f.placed, -1, "sku-s-1", "o-1", vocab.StockReserved)...)
				return f.input()
			}},
		{name: "no-trace", check: ExactlyOnce{}, in: noTrace, want: Unknown, note: "no trace"},
	})
}

func TestConservationCorpus(t *testing.T) {
	f := newFixture(nil)
	bend := func(set func(f *fixture)) func(*testing.T) *Input {
		return func(*testing.T) *Input { f := newFixture(nil); set(f); return f.input() }
	}
	// inDoubt adds a restock of 5 whose outcome is unknown: the final stock
	// may be 8 or 13, nothing else.
	inDoubt := func(final int) *fixture {
		f := newFixture(func(f *fixture) { f.h.restock("s-1", 5, vocab.TypeInfo) })
		*f.value(f.stock).Stock = final
		return f
	}
	other := inDoubt(12)
	runPropCases(t, []propCase{
		{name: "fixture", check: Conservation{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "info-restock-applied", check: Conservation{}, in: func(*testing.T) *Input { return inDoubt(13).input() }, want: Valid},
		{name: "info-restock-lost", check: Conservation{}, in: func(*testing.T) *Input { return inDoubt(8).input() }, want: Valid},
		{name: "info-restock-other", check: Conservation{}, in: func(*testing.T) *Input { return other.input() }, want: Invalid,
			typ: vocab.AnomalyInventoryLeak, key: "s-1", ops: ops(other.stock)},
		{name: "stock-not-taken", check: Conservation{}, in: bend(func(f *fixture) { *f.value(f.stock).Stock = 10 }), want: Invalid,
			typ: vocab.AnomalyInventoryLeak, key: "s-1", ops: ops(f.stock)},
		{name: "money-not-taken", check: Conservation{}, in: bend(func(f *fixture) { *f.value(f.balance).Balance = 100 }), want: Invalid,
			typ: vocab.AnomalyMoneyLeak, key: "c-1", ops: ops(f.balance)},
		{name: "timeout", check: Conservation{}, in: timeout, want: Unknown, note: "quiescence"},
		{name: "no-final-phase", check: Conservation{}, in: noFinal, want: Unknown, note: "no final phase"},
		{name: "stock-read-failed", check: Conservation{}, want: Unknown, note: "s-1 (final read-stock failed)",
			in: bend(func(f *fixture) { f.h.ops[f.stock[1]].Type = vocab.TypeFail })},
		{name: "order-not-terminal", check: Conservation{}, want: Unknown, note: "order o-1 is not terminal (shipped)",
			in: bend(func(f *fixture) { f.value(f.strong).Status = vocab.StatusShipped })},
	})
}

func TestTerminalCorpus(t *testing.T) {
	f := newFixture(nil)
	var cancel [2]int
	cancelled := newFixture(func(f *fixture) { cancel = f.h.cancel("o-1", vocab.TypeOK) })
	runPropCases(t, []propCase{
		{name: "fixture", check: Terminal{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "history-only", check: Terminal{}, in: noTrace, want: Valid, note: "no trace"},
		{name: "cancel-after-completed", check: Terminal{}, want: Invalid,
			typ: vocab.AnomalyConflictingTerminal, key: "o-1", ops: ops(f.place), in: func(*testing.T) *Input {
				f := newFixture(nil)
				f.t.handleAll(f.t.store(vocab.ServiceOrders, nil, -1, "order-o-1", "o-1", vocab.OrderCancelled)...)
				return f.input()
			}},
		{name: "cancel-ok-but-completed", check: Terminal{}, want: Invalid,
			typ: vocab.AnomalyConflictingTerminal, key: "o-1", ops: ops(cancel, cancelled.strong),
			in: func(*testing.T) *Input { in := cancelled.input(); in.Trace = nil; return in }},
		{name: "no-final-phase", check: Terminal{}, in: noFinal, want: Unknown, note: "no final phase"},
	})
}

func TestSagaTerminationCorpus(t *testing.T) {
	f := newFixture(nil)
	runPropCases(t, []propCase{
		{name: "fixture", check: SagaTermination{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "info-place-never-took", check: SagaTermination{}, want: Valid, in: func(*testing.T) *Input {
			f := newFixture(func(f *fixture) { f.h.place("o-2", "c-1", "s-1", 1, 10, "") })
			f.h.strong("o-2", vocab.StatusNone)
			f.h.proj("o-2", vocab.StatusNone)
			return f.input()
		}},
		{name: "stuck-reserved", check: SagaTermination{}, want: Invalid,
			typ: vocab.AnomalySagaStuck, key: "o-1", ops: ops(f.place, f.strong), in: func(*testing.T) *Input {
				f := newFixture(nil)
				f.value(f.strong).Status = vocab.StatusReserved
				return f.input()
			}},
		{name: "timeout", check: SagaTermination{}, in: timeout, want: Unknown, note: "quiescence"},
		{name: "no-final-read", check: SagaTermination{}, want: Unknown, note: "o-1 (no final read-strong)",
			in: func(*testing.T) *Input {
				f := newFixture(nil)
				f.h.ops[f.strong[1]].Type = vocab.TypeInfo
				return f.input()
			}},
	})
}

func TestNoLostCommandCorpus(t *testing.T) {
	f := newFixture(nil)
	var cancel [2]int
	cancelled := newFixture(func(f *fixture) { cancel = f.h.cancel("o-1", vocab.TypeOK) })
	runPropCases(t, []propCase{
		{name: "fixture", check: NoLostCommand{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "cancel-ok-other-terminal", check: NoLostCommand{}, want: Valid, // the terminal checker's
			in: func(*testing.T) *Input { return cancelled.input() }},
		{name: "place-lost", check: NoLostCommand{}, want: Invalid,
			typ: vocab.AnomalyLostCommand, key: "o-1", ops: ops(f.place, f.strong), in: func(*testing.T) *Input {
				f := newFixture(nil)
				f.value(f.strong).Status = vocab.StatusNone
				return f.input()
			}},
		{name: "cancel-lost", check: NoLostCommand{}, want: Invalid,
			typ: vocab.AnomalyLostCommand, key: "o-1", ops: ops(cancel, cancelled.strong), in: func(*testing.T) *Input {
				f := newFixture(func(f *fixture) { f.h.cancel("o-1", vocab.TypeOK) })
				f.value(f.strong).Status = vocab.StatusReserved
				return f.input()
			}},
		{name: "no-final-phase", check: NoLostCommand{}, in: noFinal, want: Unknown, note: "no final phase"},
	})
}

func TestNoLostEventCorpus(t *testing.T) {
	f := newFixture(nil)
	dropProjector := func(tt *testing.T) *Input {
		f := newFixture(nil)
		i := f.t.find(tt, trace.KindHandle, vocab.ServiceProjector, vocab.OrderCompleted)
		f.t.evs = append(f.t.evs[:i:i], f.t.evs[i+1:]...)
		return f.input()
	}
	runPropCases(t, []propCase{
		{name: "fixture", check: NoLostEvent{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "dead-lettered-counts", check: NoLostEvent{}, want: Valid, in: func(tt *testing.T) *Input {
			f := newFixture(nil)
			i := f.t.find(tt, trace.KindHandle, vocab.ServicePayment, vocab.OrderPlaced)
			f.t.evs[i].Outcome = trace.OutcomeDLQ
			return f.input()
		}},
		{name: "projector-missed-completed", check: NoLostEvent{}, in: dropProjector, want: Invalid,
			typ: vocab.AnomalyLostEvent, key: "o-1", ops: ops(f.place)},
		{name: "no-trace", check: NoLostEvent{}, in: noTrace, want: Unknown, note: "no trace"},
		{name: "timeout", check: NoLostEvent{}, in: timeout, want: Unknown, note: "quiescence"},
		{name: "trace-cut", check: NoLostEvent{}, want: Unknown, note: "cut short", in: func(tt *testing.T) *Input {
			in := dropProjector(tt)
			in.TraceTruncated = true
			return in
		}},
	})
}

func TestCausalOrderCorpus(t *testing.T) {
	f := newFixture(nil)
	swap := func(f *fixture, a, b int) { f.t.evs[a], f.t.evs[b] = f.t.evs[b], f.t.evs[a] }
	runPropCases(t, []propCase{
		{name: "fixture", check: CausalOrder{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "old-version-reapplied", check: CausalOrder{}, want: Valid, in: func(*testing.T) *Input {
			f := newFixture(nil)
			f.t.handle(vocab.ServiceProjector, f.placed, trace.OutcomeApplied)
			return f.input()
		}},
		{name: "after-dead-lettered-predecessor", check: CausalOrder{}, want: Valid, in: func(tt *testing.T) *Input {
			f := newFixture(nil)
			f.t.evs[f.t.find(tt, trace.KindHandle, vocab.ServicePayment, vocab.OrderPlaced)].Outcome = trace.OutcomeDLQ
			return f.input()
		}},
		{name: "charged-before-reserved", check: CausalOrder{}, want: Invalid,
			typ: vocab.AnomalyCausalViolation, key: "o-1", ops: ops(f.place), in: func(tt *testing.T) *Input {
				f := newFixture(nil)
				swap(f, f.t.find(tt, trace.KindHandle, vocab.ServiceProjector, vocab.OrderReserved),
					f.t.find(tt, trace.KindHandle, vocab.ServiceProjector, vocab.OrderCharged))
				return f.input()
			}},
		{name: "no-trace", check: CausalOrder{}, in: noTrace, want: Unknown, note: "no trace"},
	})
}

func TestProjectionCorpus(t *testing.T) {
	f := newFixture(nil)
	runPropCases(t, []propCase{
		{name: "fixture", check: Projection{}, in: func(*testing.T) *Input { return f.input() }, want: Valid},
		{name: "projection-behind", check: Projection{}, want: Invalid,
			typ: vocab.AnomalyProjectionDiverged, key: "o-1", ops: ops(f.strong, f.proj), in: func(*testing.T) *Input {
				f := newFixture(nil)
				f.value(f.proj).Status = vocab.StatusShipped
				return f.input()
			}},
		{name: "timeout", check: Projection{}, in: timeout, want: Unknown, note: "quiescence"},
		{name: "projection-read-failed", check: Projection{}, want: Unknown, note: "o-1 (no final read-projection)",
			in: func(*testing.T) *Input {
				f := newFixture(nil)
				f.h.ops[f.proj[1]].Type = vocab.TypeFail
				return f.input()
			}},
	})
}

func TestDeadLettersCorpus(t *testing.T) {
	f := newFixture(nil)
	// rejected is an order o-2 whose OrderPlaced the inventory dead-letters;
	// status is what the final read says of it.
	rejected := func(status string) (f *fixture, place, read [2]int) {
		f = newFixture(func(f *fixture) {
			place = f.h.place("o-2", "c-1", "s-1", 1, 10, vocab.TypeOK)
			r := f.t.store(vocab.ServiceOrders, nil, place[0], "order-o-2", "o-2", vocab.OrderPlaced)[0]
			f.t.add(trace.Event{Kind: trace.KindDLQ, Node: vocab.ServiceInventory, Ref: &r, Error: "schema 3"})
			f.t.handle(vocab.ServiceInventory, r, trace.OutcomeDLQ)
		})
		return f, place, f.h.strong("o-2", status)
	}
	ok, _, _ := rejected(vocab.StatusRejected)
	stuck, place, read := rejected(vocab.StatusPlaced)
	runPropCases(t, []propCase{
		{name: "fixture", check: DeadLetters{}, in: func(*testing.T) *Input { return f.input() }, want: Valid, note: "0 dead letters"},
		{name: "dead-lettered-then-rejected", check: DeadLetters{}, in: func(*testing.T) *Input { return ok.input() }, want: Valid,
			note: "1 dead letters: order-o-2@1 (OrderPlaced by inventory)"},
		{name: "dead-lettered-still-placed", check: DeadLetters{}, in: func(*testing.T) *Input { return stuck.input() }, want: Invalid,
			typ: vocab.AnomalySagaStuck, key: "o-2", ops: ops(place, read)},
		{name: "no-final-phase", check: DeadLetters{}, want: Unknown, note: "o-2 (no final phase",
			in: func(*testing.T) *Input { return &Input{Ops: stuck.h.ops[:stuck.final], Trace: stuck.t.evs} }},
		{name: "no-trace", check: DeadLetters{}, in: noTrace, want: Unknown, note: "no trace"},
	})
}
