package saga

import (
	"strconv"
	"strings"
)

// This file prints states in TLA+ value syntax, as TLC prints them: one
// conjunct "/\ var = value" per variable, in the order of the VARIABLES
// declaration. Functions on Orders print as ("o-1" :> v @@ …), functions on
// Consumers as records, sets of ids as {1, 2}.

// TLA returns s in TLA+ value syntax (the order keys are those of the
// Config the state came from).
func (s State) TLA() string {
	c := Config{Orders: s.orders}
	var b strings.Builder
	v := func(name, val string) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("/\\ " + name + " = " + val)
	}
	v("log", tlaLog(s.Log))
	v("handled", tlaPerConsumer(func(i int) string { return tlaSet(s.Handled[i]) }))
	v("projection", tlaPerOrder(c, func(i int) string { return q(s.Projection[i]) }))
	v("stock0", strconv.Itoa(s.Stock0))
	v("bal0", strconv.Itoa(s.Bal0))
	v("bus", tlaPerConsumer(func(i int) string { return tlaSet(s.Bus[i]) }))
	var parted []string
	for i, p := range s.Parted {
		if p {
			parted = append(parted, q(Consumers[i]))
		}
	}
	v("parted", "{"+strings.Join(parted, ", ")+"}")
	v("ordersWork", tlaWork(s.OrdersWork))
	var wb []string
	for i, in := range s.WB {
		if in {
			wb = append(wb, q(c.Orders[i]))
		}
	}
	v("wb", "{"+strings.Join(wb, ", ")+"}")
	v("placeOp", tlaPerOrder(c, func(i int) string { return q(s.PlaceOp[i]) }))
	v("cancelOp", tlaPerOrder(c, func(i int) string { return q(s.CancelOp[i]) }))
	v("cancelVer", tlaPerOrder(c, func(i int) string { return strconv.Itoa(s.CancelVer[i]) }))
	v("readObs", tlaPerOrder(c, func(i int) string {
		return "[floor |-> " + q(s.ReadObs[i].Floor) + ", got |-> " + q(s.ReadObs[i].Got) + "]"
	}))
	v("readsLeft", tlaPerOrder(c, func(i int) string { return strconv.Itoa(s.ReadsLeft[i]) }))
	v("dupLeft", strconv.Itoa(s.DupLeft))
	v("crashLeft", strconv.Itoa(s.CrashLeft))
	v("partLeft", strconv.Itoa(s.PartLeft))
	return b.String()
}

func q(s string) string { return strconv.Quote(s) }

func tlaLog(log []Event) string {
	parts := make([]string, len(log))
	for i, e := range log {
		parts[i] = "[id |-> " + strconv.Itoa(e.ID) + ", agg |-> " + q(e.Agg) +
			", ver |-> " + strconv.Itoa(e.Ver) + ", type |-> " + q(e.Type) +
			", order |-> " + q(e.Order) + ", n |-> " + strconv.Itoa(e.N) +
			", cause |-> " + strconv.Itoa(e.Cause) + ", batch |-> " + strconv.Itoa(e.Batch) + "]"
	}
	return "<<" + strings.Join(parts, ", ") + ">>"
}

func tlaWork(w Work) string {
	parts := make([]string, len(w.Emits))
	for i, m := range w.Emits {
		parts[i] = "[type |-> " + q(m.Type) + ", order |-> " + q(m.Order) + ", n |-> " + strconv.Itoa(m.N) + "]"
	}
	return "[id |-> " + strconv.Itoa(w.ID) + ", ver |-> " + strconv.Itoa(w.Ver) +
		", emits |-> <<" + strings.Join(parts, ", ") + ">>]"
}

func tlaSet(ids IDSet) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// tlaPerConsumer prints a function on Consumers (a record, as TLC does).
func tlaPerConsumer(val func(int) string) string {
	parts := make([]string, NumConsumers)
	for i, c := range Consumers {
		parts[i] = c + " |-> " + val(i)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// tlaPerOrder prints a function on Orders with :> and @@.
func tlaPerOrder(c Config, val func(int) string) string {
	parts := make([]string, len(c.Orders))
	for i, o := range c.Orders {
		parts[i] = q(o) + " :> " + val(i)
	}
	return "(" + strings.Join(parts, " @@ ") + ")"
}
