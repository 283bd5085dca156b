package saga

import (
	"fmt"
	"slices"
)

// systemActions are TLA+ SystemNext's actions: weakly fair as a whole
// (Fairness == WF_vars(SystemNext)).
var systemActions = map[string]bool{ActDeliver: true, ActOrdersDecide: true, ActOrdersAppend: true,
	ActFlush: true, ActCancelAppend: true, ActHeal: true}

// Deadlocks returns the states with no successor at all (TLC's deadlock
// check; finished runs loop on Done and are not deadlocks).
func (g *Graph) Deadlocks() []int {
	out := make([]bool, len(g.States))
	for i := range out {
		out[i] = true
	}
	for _, e := range g.Edges {
		out[e.From] = false
	}
	var ids []int
	for i, d := range out {
		if d {
			ids = append(ids, i)
		}
	}
	return ids
}

// EventuallyTerminal checks TLA+ EventuallyTerminal, "\A o : Placed(o) ~>
// (Status(o) \in Terminal)", under WF_vars(SystemNext) on the explored
// graph. It returns the violating states' indexes: states where an order
// is placed and not terminal and from which a fair behaviour can end with
// the order never terminal. The check relies on the graph having no cycles
// but self-loops (every behaviour has finitely many non-stuttering steps,
// as the spec argues); it returns an error when that does not hold.
//
// A fair behaviour of such a graph stops, stuttering for ever, in a state
// where no SystemNext step changes the state; so the property fails
// exactly when, from a placed, non-terminal state, some path through
// non-terminal states reaches such a stop.
func (g *Graph) EventuallyTerminal() ([]int, error) {
	if err := g.acyclic(); err != nil {
		return nil, err
	}
	var bad []int
	for _, o := range g.Config.Orders {
		nonTerm := make([]bool, len(g.States))
		stop := make([]bool, len(g.States))
		for i, s := range g.States {
			nonTerm[i] = !isTerminal(s.Status(o))
			stop[i] = true
		}
		for _, e := range g.Edges {
			if e.From != e.To && systemActions[e.Label.Name] {
				stop[e.From] = false
			}
		}
		// can[i]: a path of non-terminal states from i to a stop.
		can := slices.Clone(stop)
		for i := range can {
			can[i] = can[i] && nonTerm[i]
		}
		preds := make([][]int, len(g.States))
		for _, e := range g.Edges {
			if e.From != e.To {
				preds[e.To] = append(preds[e.To], e.From)
			}
		}
		var queue []int
		for i, c := range can {
			if c {
				queue = append(queue, i)
			}
		}
		for len(queue) > 0 {
			x := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, p := range preds[x] {
				if !can[p] && nonTerm[p] {
					can[p] = true
					queue = append(queue, p)
				}
			}
		}
		for i, s := range g.States {
			if can[i] && s.Placed(o) {
				bad = append(bad, i)
			}
		}
	}
	slices.Sort(bad)
	return slices.Compact(bad), nil
}

// acyclic reports a cycle other than a self-loop.
func (g *Graph) acyclic() error {
	succ := make([][]int, len(g.States))
	indeg := make([]int, len(g.States))
	for _, e := range g.Edges {
		if e.From != e.To {
			succ[e.From] = append(succ[e.From], e.To)
			indeg[e.To]++
		}
	}
	var queue []int
	for i, d := range indeg {
		if d == 0 {
			queue = append(queue, i)
		}
	}
	seen := 0
	for len(queue) > 0 {
		x := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		seen++
		for _, y := range succ[x] {
			if indeg[y]--; indeg[y] == 0 {
				queue = append(queue, y)
			}
		}
	}
	if seen != len(g.States) {
		return fmt.Errorf("saga: the graph has a cycle through %d states: EventuallyTerminal is not decided here", len(g.States)-seen)
	}
	return nil
}
