package tracemodel

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// closure adds to cands every state the model reaches from them by steps
// the trace does not log (doc.go, "Unlogged steps"): a cancel's decision
// (CancelDecide) and its re-decision after a conflict (CancelAppend that
// appends nothing), the orders consumer's decision (OrdersDecide that only
// fills ordersWork) and a decision dropped on a conflict (OrdersAppend that
// appends nothing), and a strong read whose window is open (ReadStrong with
// the status the client got). None of them changes the log.
func (v *validator) closure(cands []cand) []cand {
	seen := make(map[string]bool, len(cands))
	for _, c := range cands {
		seen[c.key()] = true
	}
	add := func(c cand) {
		if len(cands) > candMax {
			return
		}
		k := c.key()
		if !seen[k] {
			seen[k] = true
			cands = append(cands, c)
		}
	}
	for i := 0; i < len(cands); i++ {
		v.silent(cands[i], add)
	}
	return cands
}

// silent calls add with every unlogged successor of c.
func (v *validator) silent(c cand, add func(cand)) {
	cfg, o, s := v.cfg, v.p.Order, c.s
	same := func(t saga.State, ok bool) {
		if ok && len(t.Log) == len(s.Log) {
			add(cand{s: t, pending: c.pending})
		}
	}
	if v.p.Cancels {
		same(saga.CancelDecide(cfg, s, o))
		same(saga.CancelAppend(cfg, s, o))
	}
	if s.OrdersWork.None() {
		for _, id := range s.Bus[saga.COrders] {
			t, ok := saga.OrdersDecideEv(cfg, s, id)
			if ok && !t.OrdersWork.None() {
				add(cand{s: t, pending: c.pending})
			}
		}
	} else {
		same(saga.OrdersAppend(cfg, s))
	}
	if len(c.pending) == 0 {
		return
	}
	t, ok := saga.ReadStrong(cfg, s, o)
	if !ok {
		return
	}
	got := t.ReadObs[0].Got
	for _, n := range c.pending {
		if v.got[n] == got {
			add(cand{s: t, pending: slices.DeleteFunc(slices.Clone(c.pending), func(x int) bool { return x == n })})
		}
	}
}

// explain says why no candidate could take step o: what the model does
// instead in the first candidate where the action is enabled, or that it is
// enabled in none.
func (v *validator) explain(o *Obs, cands []cand) string {
	want := describeEvs(o.Events)
	switch o.Kind {
	case ObsReadClose:
		return fmt.Sprintf("no model state has the order's status %q where the read's window allows it", v.got[o.Read])
	case ObsEnd:
		return "the model cannot stop here: in every state it reaches, a system step is still enabled (" + v.pendingWork(cands) + ")"
	case ObsCrash:
		return "no crash step fits"
	}
	act := actionOf(o)
	for _, c := range cands {
		var got []string
		try := func(t saga.State, ok bool) {
			if ok {
				got = append(got, describeModel(t.Log[len(c.s.Log):]))
			}
		}
		switch o.Kind {
		case ObsPlace:
			try(saga.Place(v.cfg, c.s, v.p.Order))
		case ObsFlush:
			try(saga.Flush(v.cfg, c.s, v.p.Order))
		case ObsCancel:
			try(saga.CancelAppend(v.cfg, c.s, v.p.Order))
		case ObsHandle:
			for _, s := range v.onBus(c.s, o.Consumer, o.ID) {
				v.handle(o, s, try)
			}
		}
		if len(got) > 0 {
			return fmt.Sprintf("%s appends %s here; the model appends %s", act, want, strings.Join(got, " or "))
		}
	}
	return fmt.Sprintf("%s (appending %s) is enabled in none of the %d model states", act, want, len(cands))
}

// pendingWork names what is still to do in the first candidate.
func (v *validator) pendingWork(cands []cand) string {
	if len(cands) == 0 {
		return "no state"
	}
	s := cands[0].s
	var parts []string
	for ci, ids := range s.Bus {
		for _, id := range ids {
			if s.IsDup(v.cfg, ci, id) || s.InOrder(v.cfg, ci, id) {
				parts = append(parts, fmt.Sprintf("%s can still take event %d (%s)", saga.Consumers[ci], id, s.Log[id-1].Type))
			}
		}
	}
	if !s.OrdersWork.None() {
		parts = append(parts, "the orders consumer has a decision to append")
	}
	if s.WB[0] {
		parts = append(parts, "an acknowledged place is still to be written")
	}
	if s.CancelOp[0] == saga.OpPending {
		parts = append(parts, "a cancel is half done")
	}
	if len(parts) == 0 {
		return "a read window is open"
	}
	return strings.Join(parts, "; ")
}

// actionOf names the model action a logged step is.
func actionOf(o *Obs) string {
	switch o.Kind {
	case ObsPlace:
		return saga.ActPlace
	case ObsFlush:
		return saga.ActFlush
	case ObsCancel:
		return saga.ActCancelAppend
	case ObsHandle:
		switch {
		case o.Consumer != vocab.ServiceOrders:
			return fmt.Sprintf("%s(%s, %d)", saga.ActDeliver, o.Consumer, o.ID)
		case len(o.Events) == 0:
			return fmt.Sprintf("%s(%d)", saga.ActOrdersDecide, o.ID)
		}
		return fmt.Sprintf("%s of event %d", saga.ActOrdersAppend, o.ID)
	}
	return o.Kind
}

func describeEvs(evs []Ev) string {
	parts := make([]string, len(evs))
	for i, e := range evs {
		parts[i] = fmt.Sprintf("%s %s v%d", e.Type, e.Agg, e.Ver)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func describeModel(evs []saga.Event) string {
	parts := make([]string, len(evs))
	for i, e := range evs {
		parts[i] = fmt.Sprintf("%s %s v%d", e.Type, e.Agg, e.Ver)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
