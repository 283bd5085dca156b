package jepsen

import "fmt"

// Pair is a client operation: an invoke and its completion (nil when the
// history ends first: the outcome is unknown, as for :info).
type Pair struct {
	Invoke     *Op
	Completion *Op
}

// Outcome is the completion's type, or info when there is none.
func (p Pair) Outcome() string {
	if p.Completion == nil {
		return TypeInfo
	}
	return p.Completion.Type
}

// Pairs pairs the client ops of h (integer processes; Jepsen's client-ops)
// in invoke order, as Knossos' history/complete does: each process has at
// most one op open, and a completion closes its process's open invoke with
// the same :f. Non-client ops (the nemesis) are skipped. Errors name the
// record.
func (h *History) Pairs() ([]Pair, error) {
	var pairs []Pair
	open := map[int64]int{} // process -> index in pairs of its open invoke
	for i := range h.Ops {
		op := &h.Ops[i]
		if !op.Client {
			continue
		}
		at, isOpen := open[op.Process]
		if op.Type == TypeInvoke {
			if isOpen {
				return nil, fmt.Errorf("%s: process %d invokes :%s while its :%s (record %d) is still open",
					h.Where(op), op.Process, op.F, pairs[at].Invoke.F, pairs[at].Invoke.Record)
			}
			open[op.Process] = len(pairs)
			pairs = append(pairs, Pair{Invoke: op})
			continue
		}
		if !isOpen {
			return nil, fmt.Errorf("%s: :%s of :%s by process %d has no invoke before it", h.Where(op), op.Type, op.F, op.Process)
		}
		if inv := pairs[at].Invoke; inv.F != op.F {
			return nil, fmt.Errorf("%s: :%s :%s of process %d completes its :%s (record %d)",
				h.Where(op), op.Type, op.F, op.Process, inv.F, inv.Record)
		}
		pairs[at].Completion = op
		delete(open, op.Process)
	}
	return pairs, nil
}

// Stats counts a history's client operations by outcome, as results.json does.
type Stats struct {
	Ops, OK, Fail, Info int
}

// Count counts pairs by outcome.
func Count(pairs []Pair) Stats {
	s := Stats{Ops: len(pairs)}
	for _, p := range pairs {
		switch p.Outcome() {
		case TypeOK:
			s.OK++
		case TypeFail:
			s.Fail++
		default:
			s.Info++
		}
	}
	return s
}
