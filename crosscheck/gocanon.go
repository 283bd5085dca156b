package crosscheck

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// canonPrinter prints Go model states directly in CanonState's form,
// without building Values: the explorer's graphs have up to ~170k states.
// A test checks it against CanonState(ParseState(State.TLA())) and
// CanonState(StateValue(…)).
type canonPrinter struct {
	cfg       saga.Config
	orders    []int // order indexes, sorted by canonical key text
	consumers []int // consumer indexes, sorted by name
}

func newCanonPrinter(c saga.Config) *canonPrinter {
	p := &canonPrinter{cfg: c}
	for i := range c.Orders {
		p.orders = append(p.orders, i)
	}
	slices.SortFunc(p.orders, func(a, b int) int {
		return strings.Compare(quoteTLA(c.Orders[a]), quoteTLA(c.Orders[b]))
	})
	for i := range saga.NumConsumers {
		p.consumers = append(p.consumers, i)
	}
	slices.SortFunc(p.consumers, func(a, b int) int {
		return strings.Compare(saga.Consumers[a], saga.Consumers[b])
	})
	return p
}

// state prints s; the variables in sorted order (bal0, bus, cancelOp, …).
func (p *canonPrinter) state(s saga.State) string {
	b := make([]byte, 0, 1024)
	v := func(name string) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, `/\ `...)
		b = append(b, name...)
		b = append(b, " = "...)
	}
	num := func(n int) { b = strconv.AppendInt(b, int64(n), 10) }
	str := func(x string) { b = append(b, quoteTLA(x)...) }
	set := func(ids saga.IDSet) {
		b = append(b, '{')
		for i, id := range ids {
			if i > 0 {
				b = append(b, ", "...)
			}
			num(id)
		}
		b = append(b, '}')
	}
	// fn prints a function on names (sorted as idx gives them).
	fn := func(names []string, idx []int, f func(i int)) {
		b = append(b, '(')
		for k, i := range idx {
			if k > 0 {
				b = append(b, " @@ "...)
			}
			str(names[i])
			b = append(b, " :> "...)
			f(i)
		}
		b = append(b, ')')
	}
	perConsumer := func(f func(i int)) { fn(saga.Consumers[:], p.consumers, f) }
	perOrder := func(f func(i int)) { fn(p.cfg.Orders, p.orders, f) }
	field := func(first bool, name string) {
		if !first {
			b = append(b, " @@ "...)
		}
		str(name)
		b = append(b, " :> "...)
	}
	stringSet := func(names []string) {
		slices.SortFunc(names, func(x, y string) int { return strings.Compare(quoteTLA(x), quoteTLA(y)) })
		b = append(b, '{')
		for i, n := range names {
			if i > 0 {
				b = append(b, ", "...)
			}
			str(n)
		}
		b = append(b, '}')
	}

	v("bal0")
	num(s.Bal0)
	v("bus")
	perConsumer(func(i int) { set(s.Bus[i]) })
	v("cancelOp")
	perOrder(func(i int) { str(s.CancelOp[i]) })
	v("cancelVer")
	perOrder(func(i int) { num(s.CancelVer[i]) })
	v("crashLeft")
	num(s.CrashLeft)
	v("dupLeft")
	num(s.DupLeft)
	v("handled")
	perConsumer(func(i int) { set(s.Handled[i]) })
	v("log")
	b = append(b, "<<"...)
	for i, e := range s.Log {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '(')
		field(true, "agg")
		str(e.Agg)
		field(false, "batch")
		num(e.Batch)
		field(false, "cause")
		num(e.Cause)
		field(false, "id")
		num(e.ID)
		field(false, "n")
		num(e.N)
		field(false, "order")
		str(e.Order)
		field(false, "type")
		str(e.Type)
		field(false, "ver")
		num(e.Ver)
		b = append(b, ')')
	}
	b = append(b, ">>"...)
	v("ordersWork")
	b = append(b, '(')
	field(true, "emits")
	b = append(b, "<<"...)
	for i, m := range s.OrdersWork.Emits {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '(')
		field(true, "n")
		num(m.N)
		field(false, "order")
		str(m.Order)
		field(false, "type")
		str(m.Type)
		b = append(b, ')')
	}
	b = append(b, ">>"...)
	field(false, "id")
	num(s.OrdersWork.ID)
	field(false, "ver")
	num(s.OrdersWork.Ver)
	b = append(b, ')')
	v("partLeft")
	num(s.PartLeft)
	v("parted")
	var parted []string
	for i, in := range s.Parted {
		if in {
			parted = append(parted, saga.Consumers[i])
		}
	}
	stringSet(parted)
	v("placeOp")
	perOrder(func(i int) { str(s.PlaceOp[i]) })
	v("projection")
	perOrder(func(i int) { str(s.Projection[i]) })
	v("readObs")
	perOrder(func(i int) {
		b = append(b, '(')
		field(true, "floor")
		str(s.ReadObs[i].Floor)
		field(false, "got")
		str(s.ReadObs[i].Got)
		b = append(b, ')')
	})
	v("readsLeft")
	perOrder(func(i int) { num(s.ReadsLeft[i]) })
	v("stock0")
	num(s.Stock0)
	v("wb")
	var wb []string
	for i, in := range s.WB {
		if in {
			wb = append(wb, p.cfg.Orders[i])
		}
	}
	stringSet(wb)
	return string(b)
}
