package saga

import (
	"fmt"
	"strconv"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// smallInts are the decimal texts of small ids (labels are built for every
// step the explorer takes).
var smallInts = func() []string {
	out := make([]string, 256)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}()

func itoa(n int) string {
	if n >= 0 && n < len(smallInts) {
		return smallInts[n]
	}
	return strconv.Itoa(n)
}

// Step is one transition: the action taken and the state it leads to.
type Step struct {
	Label Label
	To    State
}

// InitStates is TLA+ Init: one state per (stock0, bal0) in StockInit ×
// BalanceInit, in that order, repeats removed.
func InitStates(c Config) []State {
	n := len(c.Orders)
	var out []State
	seen := map[[2]int]bool{}
	for _, s0 := range c.StockInit {
		for _, b0 := range c.BalanceInit {
			if seen[[2]int{s0, b0}] {
				continue
			}
			seen[[2]int{s0, b0}] = true
			s := State{
				Stock0: s0, Bal0: b0,
				Projection: make([]string, n), WB: make([]bool, n),
				PlaceOp: make([]string, n), CancelOp: make([]string, n),
				CancelVer: make([]int, n), ReadObs: make([]Read, n), ReadsLeft: make([]int, n),
				DupLeft: c.MaxDup, CrashLeft: c.MaxCrash, PartLeft: c.MaxPartition,
				orders: c.Orders,
			}
			for i := range n {
				s.Projection[i] = vocab.StatusNone
				s.PlaceOp[i], s.CancelOp[i] = OpIdle, OpIdle
				s.ReadObs[i] = Read{Floor: vocab.StatusNone, Got: vocab.StatusNone}
				s.ReadsLeft[i] = c.MaxRead
			}
			out = append(out, s)
		}
	}
	return out
}

// Successors is TLA+ Next: every step enabled in s, system steps first,
// then faults, clients and Done (the order of Next's disjuncts). Two steps
// may lead to the same state; s itself is never modified.
func Successors(c Config, s State) []Step {
	out := make([]Step, 0, 8)
	add := func(st State, ok bool, name string, args ...string) {
		if ok {
			out = append(out, Step{Label: Label{Name: name, Args: args}, To: st})
		}
	}
	// SystemNext.
	for ci, cons := range Consumers {
		for _, id := range s.Bus[ci] {
			if ci != COrders {
				st, ok := DeliverEv(c, s, cons, id)
				add(st, ok, ActDeliver, cons, itoa(id))
			}
		}
	}
	for _, id := range s.Bus[COrders] {
		st, ok := OrdersDecideEv(c, s, id)
		add(st, ok, ActOrdersDecide, itoa(id))
	}
	st, ok := OrdersAppend(c, s)
	add(st, ok, ActOrdersAppend)
	for _, o := range c.Orders {
		st, ok := Flush(c, s, o)
		add(st, ok, ActFlush, o)
		st, ok = CancelAppend(c, s, o)
		add(st, ok, ActCancelAppend, o)
	}
	for _, cons := range Consumers {
		st, ok := Heal(c, s, cons)
		add(st, ok, ActHeal, cons)
	}
	// FaultNext.
	if s.DupLeft > 0 {
		for id := 1; id <= len(s.Log); id++ {
			for _, cons := range Consumers {
				st, ok := DuplicateEv(c, s, cons, id)
				add(st, ok, ActDuplicate, cons, itoa(id))
			}
		}
	}
	for ci, cons := range Consumers {
		for _, id := range s.Bus[ci] {
			st, ok := CrashAfterCommitEv(c, s, cons, id)
			add(st, ok, ActCrashAfterCommit, cons, itoa(id))
		}
	}
	for _, cons := range Consumers {
		st, ok := Partition(c, s, cons)
		add(st, ok, ActPartition, cons)
	}
	st, ok = CrashOrders(c, s)
	add(st, ok, ActCrashOrders)
	// ClientNext.
	for _, o := range c.Orders {
		st, ok := Place(c, s, o)
		add(st, ok, ActPlace, o)
		st, ok = CancelDecide(c, s, o)
		add(st, ok, ActCancelDecide, o)
		st, ok = ReadStrong(c, s, o)
		add(st, ok, ActReadStrong, o)
	}
	st, ok = Done(c, s)
	add(st, ok, ActDone)
	return out
}

// Apply takes the step named by l in s (as Successors would), for replaying
// a trace: the successor, or an error saying why the action is not enabled
// or not known.
func Apply(c Config, s State, l Label) (State, error) {
	argc := map[string]int{ActPlace: 1, ActFlush: 1, ActCancelDecide: 1, ActCancelAppend: 1,
		ActReadStrong: 1, ActDeliver: 2, ActOrdersDecide: 1, ActOrdersAppend: 0, ActHeal: 1,
		ActDuplicate: 2, ActPartition: 1, ActCrashOrders: 0, ActCrashAfterCommit: 2, ActDone: 0}
	want, known := argc[l.Name]
	if !known {
		return s, fmt.Errorf("saga: unknown action %q", l.Name)
	}
	if len(l.Args) != want {
		return s, fmt.Errorf("saga: %s takes %d arguments, got %d", l.Name, want, len(l.Args))
	}
	id := 0
	if p, ok := idArg[l.Name]; ok {
		n, err := strconv.Atoi(l.Args[p])
		if err != nil {
			return s, fmt.Errorf("saga: %s: event id %q is not a number", l.TLA(), l.Args[p])
		}
		id = n
	}
	var st State
	var ok bool
	switch l.Name {
	case ActPlace:
		st, ok = Place(c, s, l.Args[0])
	case ActFlush:
		st, ok = Flush(c, s, l.Args[0])
	case ActCancelDecide:
		st, ok = CancelDecide(c, s, l.Args[0])
	case ActCancelAppend:
		st, ok = CancelAppend(c, s, l.Args[0])
	case ActReadStrong:
		st, ok = ReadStrong(c, s, l.Args[0])
	case ActDeliver:
		st, ok = DeliverEv(c, s, l.Args[0], id)
	case ActOrdersDecide:
		st, ok = OrdersDecideEv(c, s, id)
	case ActOrdersAppend:
		st, ok = OrdersAppend(c, s)
	case ActHeal:
		st, ok = Heal(c, s, l.Args[0])
	case ActDuplicate:
		st, ok = DuplicateEv(c, s, l.Args[0], id)
	case ActPartition:
		st, ok = Partition(c, s, l.Args[0])
	case ActCrashOrders:
		st, ok = CrashOrders(c, s)
	case ActCrashAfterCommit:
		st, ok = CrashAfterCommitEv(c, s, l.Args[0], id)
	case ActDone:
		st, ok = Done(c, s)
	}
	if !ok {
		return s, fmt.Errorf("saga: %s is not enabled", l.TLA())
	}
	return st, nil
}
