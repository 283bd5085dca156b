package crosscheck

import (
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// StateValue returns the TLA+ variables of a Go model state as Values,
// built from the Go fields directly (not by parsing State.TLA, which a
// test checks against this).
func StateValue(c saga.Config, s saga.State) map[string]Value {
	perOrder := func(val func(i int) Value) Value {
		f := Value{Kind: KindFunc}
		for i, o := range c.Orders {
			f.Keys = append(f.Keys, vstr(o))
			f.Vals = append(f.Vals, val(i))
		}
		return f
	}
	perConsumer := func(val func(i int) Value) Value {
		f := Value{Kind: KindFunc}
		for i, name := range saga.Consumers {
			f.Keys = append(f.Keys, vstr(name))
			f.Vals = append(f.Vals, val(i))
		}
		return f
	}
	idSet := func(ids saga.IDSet) Value {
		v := Value{Kind: KindSet}
		for _, id := range ids {
			v.Elems = append(v.Elems, vint(id))
		}
		return v
	}
	log := Value{Kind: KindSeq}
	for _, e := range s.Log {
		log.Elems = append(log.Elems, record(
			"id", vint(e.ID), "agg", vstr(e.Agg), "ver", vint(e.Ver), "type", vstr(e.Type),
			"order", vstr(e.Order), "n", vint(e.N), "cause", vint(e.Cause), "batch", vint(e.Batch)))
	}
	emits := Value{Kind: KindSeq}
	for _, m := range s.OrdersWork.Emits {
		emits.Elems = append(emits.Elems, record("type", vstr(m.Type), "order", vstr(m.Order), "n", vint(m.N)))
	}
	parted := Value{Kind: KindSet}
	for i, p := range s.Parted {
		if p {
			parted.Elems = append(parted.Elems, vstr(saga.Consumers[i]))
		}
	}
	wb := Value{Kind: KindSet}
	for i, in := range s.WB {
		if in {
			wb.Elems = append(wb.Elems, vstr(c.Orders[i]))
		}
	}
	return map[string]Value{
		"log":        log,
		"handled":    perConsumer(func(i int) Value { return idSet(s.Handled[i]) }),
		"projection": perOrder(func(i int) Value { return vstr(s.Projection[i]) }),
		"stock0":     vint(s.Stock0),
		"bal0":       vint(s.Bal0),
		"bus":        perConsumer(func(i int) Value { return idSet(s.Bus[i]) }),
		"parted":     parted,
		"ordersWork": record("id", vint(s.OrdersWork.ID), "ver", vint(s.OrdersWork.Ver), "emits", emits),
		"wb":         wb,
		"placeOp":    perOrder(func(i int) Value { return vstr(s.PlaceOp[i]) }),
		"cancelOp":   perOrder(func(i int) Value { return vstr(s.CancelOp[i]) }),
		"cancelVer":  perOrder(func(i int) Value { return vint(s.CancelVer[i]) }),
		"readObs": perOrder(func(i int) Value {
			return record("floor", vstr(s.ReadObs[i].Floor), "got", vstr(s.ReadObs[i].Got))
		}),
		"readsLeft": perOrder(func(i int) Value { return vint(s.ReadsLeft[i]) }),
		"dupLeft":   vint(s.DupLeft),
		"crashLeft": vint(s.CrashLeft),
		"partLeft":  vint(s.PartLeft),
	}
}

func vint(n int) Value    { return Value{Kind: KindInt, Int: int64(n)} }
func vstr(s string) Value { return Value{Kind: KindString, Str: s} }

// record builds a record from name, value pairs.
func record(kv ...any) Value {
	f := Value{Kind: KindFunc}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Keys = append(f.Keys, vstr(kv[i].(string)))
		f.Vals = append(f.Vals, kv[i+1].(Value))
	}
	return f
}
