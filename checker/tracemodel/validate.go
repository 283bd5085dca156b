package tracemodel

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// candMax bounds the model states a validation keeps at once. Past it the
// order's verdict is unknown, never valid.
const candMax = 4096

// Verdict is the outcome of validating one projected trace.
type Verdict struct {
	// Accepted: the model can take every step. Rejected: Step is the first
	// it cannot take (an index into Projection.Steps) and Why says what the
	// model would do instead. Neither: Unknown says why not decided.
	Accepted bool
	Step     int
	Why      string
	Unknown  string
	// States is the most model states kept at once.
	States int
}

// Rejected reports whether the model could not take some step.
func (v Verdict) Rejected() bool { return !v.Accepted && v.Unknown == "" }

// ModelConfig is the model instance a projection is validated against:
// one order, its own qty and amount, initial stock and balance ranging over
// every multiple the order's decisions can tell apart, and budgets no
// smaller than the trace's own faults (doc.go).
func ModelConfig(bug string, p *Projection) saga.Config {
	if bug == "" {
		bug = saga.BugNone
	}
	c := saga.Config{Bug: bug, Orders: []string{p.Order}, Qty: p.Qty, Amount: p.Amount,
		MaxRead: p.Reads}
	for k := 0; k <= p.StockDecisions; k++ {
		c.StockInit = append(c.StockInit, k*p.Qty)
	}
	for k := 0; k <= p.BalanceDecisions; k++ {
		c.BalanceInit = append(c.BalanceInit, k*p.Amount)
	}
	for _, o := range p.Steps {
		switch o.Kind {
		case ObsHandle:
			c.MaxDup++
		case ObsCrash:
			c.MaxCrash += 1 + len(o.Lost)
		}
	}
	return c
}

// cand is one model state the trace may have led to, with the reads whose
// window is open and not yet taken.
type cand struct {
	s       saga.State
	pending []int // open read numbers, ascending
}

func (c cand) key() string {
	k := c.s.Key()
	for _, n := range c.pending {
		k += "#" + strconv.Itoa(n)
	}
	return k
}

// Validate replays a projected trace against the model with the given bug
// switch ("" or "none" = the correct protocol): the set of model states the
// steps so far can lead to (starting from every initial state), closed
// under the model's unlogged steps before each logged one (doc.go).
func Validate(bug string, p *Projection) Verdict {
	if p.Err != "" {
		return Verdict{Unknown: p.Err}
	}
	return validate(ModelConfig(bug, p), p)
}

// validate is Validate against a given model instance.
func validate(cfg saga.Config, p *Projection) Verdict {
	if err := cfg.Validate(); err != nil {
		return Verdict{Unknown: err.Error()}
	}
	v := validator{cfg: cfg, p: p, got: map[int]string{}}
	var cands []cand
	for _, s := range saga.InitStates(cfg) {
		cands = append(cands, cand{s: s})
	}
	var out Verdict
	for i := range p.Steps {
		o := &p.Steps[i]
		cands = v.closure(cands)
		if len(cands) > candMax {
			return Verdict{Unknown: fmt.Sprintf("more than %d model states at step %d", candMax, i), States: len(cands)}
		}
		out.States = max(out.States, len(cands))
		next := v.step(o, cands)
		if len(next) == 0 {
			if o.Kind == ObsCancel && cancelsBefore(p.Steps[:i]) {
				return Verdict{Unknown: fmt.Sprintf("step %d: a second cancel of the order was stored; the model's client cancels an order once", i), States: out.States}
			}
			return Verdict{Step: i, Why: v.explain(o, cands), States: out.States}
		}
		cands = next
	}
	out.Accepted = true
	return out
}

func cancelsBefore(steps []Obs) bool {
	for _, o := range steps {
		if o.Kind == ObsCancel {
			return true
		}
	}
	return false
}

// validator holds one validation's constants.
type validator struct {
	cfg saga.Config
	p   *Projection
	got map[int]string // read number -> status it returned
}

// step applies one logged step to every candidate and dedups the result.
func (v *validator) step(o *Obs, cands []cand) []cand {
	var out []cand
	seen := map[string]bool{}
	emit := func(c cand) {
		k := c.key()
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	for _, c := range cands {
		v.apply(o, c, emit)
	}
	return out
}

// apply calls emit with every candidate that logged step o leads c to.
func (v *validator) apply(o *Obs, c cand, emit func(cand)) {
	cfg, ord := v.cfg, v.p.Order
	with := func(s saga.State, ok bool) {
		if ok && appended(c.s, s, o.Events) {
			emit(cand{s: s, pending: c.pending})
		}
	}
	switch o.Kind {
	case ObsPlace:
		with(saga.Place(cfg, c.s, ord))
	case ObsFlush:
		with(saga.Flush(cfg, c.s, ord))
	case ObsCancel:
		with(saga.CancelAppend(cfg, c.s, ord))
	case ObsHandle:
		for _, s := range v.reseat(v.onBus(c.s, o.Consumer, o.ID), o) {
			v.handle(o, s, func(t saga.State, ok bool) {
				if ok && appended(c.s, t, o.Events) {
					emit(cand{s: t, pending: c.pending})
				}
			})
		}
	case ObsCrash:
		for _, s := range v.crash(c.s, o) {
			emit(cand{s: s, pending: c.pending})
		}
	case ObsReadOpen:
		v.got[o.Read] = o.Got
		p := append(slices.Clone(c.pending), o.Read)
		slices.Sort(p)
		emit(cand{s: c.s, pending: p})
	case ObsReadClose:
		if !slices.Contains(c.pending, o.Read) {
			emit(c)
		}
	case ObsEnd:
		if len(c.pending) == 0 && unblocked(c.s, o.Blocked).Quiet(cfg) {
			emit(c)
		}
	}
}

// onBus returns s, and s with id put back on the consumer's bus when it is
// not there (a redelivery: Duplicate).
func (v *validator) onBus(s saga.State, consumer string, id int) []saga.State {
	ci := saga.ConsumerIndex(consumer)
	if ci >= 0 && s.Bus[ci].Has(id) {
		return []saga.State{s}
	}
	if d, ok := saga.DuplicateEv(v.cfg, s, consumer, id); ok {
		return []saga.State{d}
	}
	return nil
}

// reseat lets the environment move the shared stock (balance) before an
// inventory (payment) decision: other orders' reservations, releases and
// restocks of the same SKU (charges, refunds of the same account) are not
// in the order's projection, so the stock it decides on is any of
// StockInit (doc.go, "Shared streams").
func (v *validator) reseat(states []saga.State, o *Obs) []saga.State {
	var out []saga.State
	for _, s := range states {
		if o.ID < 1 || o.ID > len(s.Log) {
			continue
		}
		t := s.Log[o.ID-1].Type
		switch {
		case o.Consumer == vocab.ServiceInventory && t == vocab.OrderPlaced:
			for _, x := range v.cfg.StockInit {
				s.Stock0 = x
				out = append(out, s)
			}
		case o.Consumer == vocab.ServicePayment && t == vocab.OrderReserved:
			for _, x := range v.cfg.BalanceInit {
				s.Bal0 = x
				out = append(out, s)
			}
		default:
			out = append(out, s)
		}
	}
	return out
}

// unblocked is s without the events the implementation left blocked behind
// another order's (they are not the order's to finish).
func unblocked(s saga.State, blocked []Pending) saga.State {
	for _, b := range blocked {
		if c := saga.ConsumerIndex(b.Consumer); c >= 0 {
			s.Bus[c] = s.Bus[c].Without(b.ID)
		}
	}
	return s
}

// handle takes the model step of a consumer finishing an event.
func (v *validator) handle(o *Obs, s saga.State, with func(saga.State, bool)) {
	cfg := v.cfg
	if o.Consumer != vocab.ServiceOrders {
		with(saga.DeliverEv(cfg, s, o.Consumer, o.ID))
		return
	}
	if len(o.Events) == 0 {
		t, ok := saga.OrdersDecideEv(cfg, s, o.ID)
		with(t, ok && t.OrdersWork.None())
		return
	}
	if s.OrdersWork.None() {
		var ok bool
		if s, ok = saga.OrdersDecideEv(cfg, s, o.ID); !ok {
			return
		}
	}
	if s.OrdersWork.ID != o.ID {
		return
	}
	with(saga.OrdersAppend(cfg, s))
}

// crash returns the states a crash of o.Consumer may lead s to: any of the
// deliveries in flight lost (CrashAfterCommit, commit-before-process only),
// then the orders node's volatile state lost (CrashOrders) when it has any.
func (v *validator) crash(s saga.State, o *Obs) []saga.State {
	states := []saga.State{s}
	for _, id := range o.Lost {
		for _, x := range states {
			if t, ok := saga.CrashAfterCommitEv(v.cfg, x, o.Consumer, id); ok {
				states = append(states, t)
			}
		}
	}
	if o.Consumer != vocab.ServiceOrders {
		return states
	}
	for i, x := range states {
		if t, ok := saga.CrashOrders(v.cfg, x); ok {
			states[i] = t
		}
	}
	return states
}

// appended reports whether to's log is from's plus exactly the events want.
func appended(from, to saga.State, want []Ev) bool {
	if len(to.Log) != len(from.Log)+len(want) {
		return false
	}
	for i, w := range want {
		e := to.Log[len(from.Log)+i]
		if e.Agg != w.Agg || e.Ver != w.Ver || e.Type != w.Type || e.Cause != w.Cause ||
			(w.N >= 0 && e.N != w.N) {
			return false
		}
	}
	return true
}
