package saga

import (
	"strconv"
	"strings"
	"unicode"
)

// Action names: the TLA+ actions of OrderSaga.tla as TLC names them in
// -dump dot,actionlabels (Deliver, OrdersDecide, Duplicate and
// CrashAfterCommit are the wrappers of DeliverEv, OrdersDecideEv, DuplicateEv
// and CrashAfterCommitEv).
const (
	ActPlace            = "Place"
	ActFlush            = "Flush"
	ActCancelDecide     = "CancelDecide"
	ActCancelAppend     = "CancelAppend"
	ActReadStrong       = "ReadStrong"
	ActDeliver          = "Deliver"
	ActOrdersDecide     = "OrdersDecide"
	ActOrdersAppend     = "OrdersAppend"
	ActHeal             = "Heal"
	ActDuplicate        = "Duplicate"
	ActPartition        = "Partition"
	ActCrashOrders      = "CrashOrders"
	ActCrashAfterCommit = "CrashAfterCommit"
	ActDone             = "Done"
)

// Label names a step: Name is the TLA+ action name (Act…), Args its
// arguments as text — an order key for Place, Flush, CancelDecide,
// CancelAppend and ReadStrong; a consumer for Heal and Partition; the
// consumer and the event id for Deliver, Duplicate and CrashAfterCommit; the
// event id for OrdersDecide; none for the others.
type Label struct {
	Name string
	Args []string
}

// orderActions take an order key (the mCRL2 spec has one order, implied).
var orderActions = map[string]bool{ActPlace: true, ActFlush: true, ActCancelDecide: true,
	ActCancelAppend: true, ActReadStrong: true}

// wrappers are the actions TLC labels without arguments (an \E over DOMAIN
// log that TLC does not split).
var wrappers = map[string]bool{ActDeliver: true, ActOrdersDecide: true, ActDuplicate: true,
	ActCrashAfterCommit: true}

// idArg is the position of the event-id argument, per action.
var idArg = map[string]int{ActDeliver: 1, ActDuplicate: 1, ActCrashAfterCommit: 1, ActOrdersDecide: 0}

// String prints the label as mCRL2 prints the action of spec/mcrl2: the
// name in lower_snake case, arguments as `(a, b)` with ", " between them,
// and no order argument (the mCRL2 spec has the one order o-1 implied), e.g.
// "place", "deliver(inventory, 3)", "orders_decide(2)", "heal(orders)".
func (l Label) String() string {
	name := snake(l.Name)
	if orderActions[l.Name] || len(l.Args) == 0 {
		return name
	}
	return name + "(" + strings.Join(l.Args, ", ") + ")"
}

// TLC prints the label as TLC's -dump dot,actionlabels does: the action
// name, with TLA+ values for the arguments unless TLC cannot split the
// action (the wrappers), e.g. `Place("o-1")`, `Deliver`, `Heal("orders")`.
func (l Label) TLC() string {
	if wrappers[l.Name] {
		return l.Name
	}
	return l.TLA()
}

// TLA prints the label as a TLA+ action call with every argument, e.g.
// `Deliver("inventory", 3)` (for messages; TLC's own form is TLC()).
func (l Label) TLA() string {
	if len(l.Args) == 0 {
		return l.Name
	}
	args := make([]string, len(l.Args))
	for i, a := range l.Args {
		if p, ok := idArg[l.Name]; ok && p == i {
			args[i] = a
		} else {
			args[i] = strconv.Quote(a)
		}
	}
	return l.Name + "(" + strings.Join(args, ", ") + ")"
}

// snake turns CamelCase into lower_snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
