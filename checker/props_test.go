package checker

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file holds the builders of the property checkers' corpus tests: a
// small history and trace of one completed order, which every checker must
// call valid, and the helpers that bend it into each anomaly.

// hist builds a history; every helper returns the indices it wrote.
type hist struct{ ops []history.Op }

func (h *hist) add(typ string, p int, f, key string, v *history.Value, errS string) int {
	h.ops = append(h.ops, history.Op{Index: len(h.ops), Type: typ, Process: p, F: f, Key: key, Value: v, Time: int64(len(h.ops)), Error: errS})
	return len(h.ops) - 1
}

// call writes an invoke and, unless typ is "", its completion.
func (h *hist) call(p int, f, key string, in *history.Value, typ string, out *history.Value) [2]int {
	inv := h.add(vocab.TypeInvoke, p, f, key, in, "")
	if typ == "" {
		return [2]int{inv, -1}
	}
	return [2]int{inv, h.add(typ, p, f, key, out, "")}
}

func (h *hist) place(key, cust, sku string, qty, amount int, typ string) [2]int {
	v := &history.Value{Customer: cust, SKU: sku, Qty: qty, Amount: amount}
	return h.call(1, vocab.FPlace, key, v, typ, v)
}

func (h *hist) cancel(key, typ string) [2]int { return h.call(2, vocab.FCancel, key, nil, typ, nil) }

func (h *hist) restock(sku string, qty int, typ string) [2]int {
	v := &history.Value{Qty: qty}
	return h.call(3, vocab.FRestock, sku, v, typ, v)
}

func (h *hist) deposit(cust string, amount int, typ string) [2]int {
	v := &history.Value{Amount: amount}
	return h.call(3, vocab.FDeposit, cust, v, typ, v)
}

func (h *hist) strong(key, status string) [2]int {
	return h.call(0, vocab.FReadStrong, key, nil, vocab.TypeOK, &history.Value{Status: status})
}

func (h *hist) proj(key, status string) [2]int {
	return h.call(0, vocab.FReadProjection, key, nil, vocab.TypeOK, &history.Value{Status: status})
}

func (h *hist) stock(sku string, n int) [2]int {
	return h.call(0, vocab.FReadStock, sku, nil, vocab.TypeOK, &history.Value{Stock: history.Int(n)})
}

func (h *hist) balance(cust string, n int) [2]int {
	return h.call(0, vocab.FReadBalance, cust, nil, vocab.TypeOK, &history.Value{Balance: history.Int(n)})
}

// final writes the final-phase marker.
func (h *hist) final(edge string) int {
	return h.add(vocab.TypeInfo, vocab.NemesisProcess, vocab.FNemesis, "", &history.Value{Fault: vocab.MarkFinal, Edge: edge}, "")
}

// tb builds a trace.
type tb struct {
	evs     []trace.Event
	version map[string]int
}

func (t *tb) add(e trace.Event) int {
	e.Seq = int64(len(t.evs))
	t.evs = append(t.evs, e)
	return len(t.evs) - 1
}

// store appends events of the given types to a stream in one append, made
// by node while handling handled (or for the command whose invoke is op).
func (t *tb) store(node string, handled *trace.Ref, op int, stream, corr string, types ...string) []trace.Ref {
	if t.version == nil {
		t.version = map[string]int{}
	}
	envs := make([]trace.Envelope, len(types))
	refs := make([]trace.Ref, len(types))
	for i, typ := range types {
		t.version[stream]++
		v := t.version[stream]
		envs[i] = trace.Envelope{ID: fmt.Sprintf("%s@%d", stream, v), Aggregate: stream, Version: v, Type: typ, SchemaVersion: 2, CorrelationID: corr}
		refs[i] = trace.RefOf(&envs[i])
	}
	e := trace.Event{Kind: trace.KindAppend, Node: node, Events: envs, Handled: handled}
	if op >= 0 {
		e.Op = &op
	}
	t.add(e)
	return refs
}

// handle writes one node's handle of ref.
func (t *tb) handle(node string, r trace.Ref, outcome string) int {
	return t.add(trace.Event{Kind: trace.KindHandle, Node: node, Ref: &r, Outcome: outcome})
}

// handleAll writes an applied handle of each ref by every node subscribed
// to its stream's topic.
func (t *tb) handleAll(refs ...trace.Ref) {
	for _, r := range refs {
		for _, n := range vocab.Services {
			if vocab.Known(vocab.Subscriptions[n], vocab.TopicOf(r.Aggregate)) {
				t.handle(n, r, trace.OutcomeApplied)
			}
		}
	}
}

// find returns the position of the first trace event that matches.
func (t *tb) find(tt *testing.T, kind, node, evType string) int {
	tt.Helper()
	i := slices.IndexFunc(t.evs, func(e trace.Event) bool {
		return e.Kind == kind && e.Node == node && e.Ref != nil && e.Ref.Type == evType
	})
	if i < 0 {
		tt.Fatalf("no %s by %s of %s in the trace", kind, node, evType)
	}
	return i
}

// fixture is one order o-1 (customer c-1, SKU s-1, qty 2, amount 40) placed
// after a restock of 10 and a deposit of 100, run through the whole saga to
// completed, every event handled by every subscriber, then the final phase.
type fixture struct {
	h       hist
	t       tb
	place   [2]int
	strong  [2]int
	proj    [2]int
	stock   [2]int
	balance [2]int
	placed  trace.Ref // OrderPlaced of o-1
	final   int       // the final-phase marker
}

// newFixture builds the fixture; more, if set, adds history ops (and trace
// events) to the main phase, before the final marker.
func newFixture(more func(f *fixture)) *fixture {
	f := &fixture{}
	h, t := &f.h, &f.t
	r := h.restock("s-1", 10, vocab.TypeOK)
	t.handleAll(t.store(vocab.ServiceInventory, nil, r[0], "sku-s-1", "", vocab.StockRestocked)...)
	d := h.deposit("c-1", 100, vocab.TypeOK)
	t.handleAll(t.store(vocab.ServicePayment, nil, d[0], "acct-c-1", "", vocab.AccountCredited)...)
	f.place = h.place("o-1", "c-1", "s-1", 2, 40, vocab.TypeOK)
	placed := t.store(vocab.ServiceOrders, nil, f.place[0], "order-o-1", "o-1", vocab.OrderPlaced)
	f.placed = placed[0]
	t.handleAll(placed...)
	step := func(node string, cause trace.Ref, stream string, types ...string) trace.Ref {
		refs := t.store(node, &cause, -1, stream, "o-1", types...)
		t.handleAll(refs...)
		return refs[len(refs)-1]
	}
	sr := step(vocab.ServiceInventory, f.placed, "sku-s-1", vocab.StockReserved)
	or := step(vocab.ServiceOrders, sr, "order-o-1", vocab.OrderReserved)
	pc := step(vocab.ServicePayment, or, "acct-c-1", vocab.PaymentCharged)
	oc := step(vocab.ServiceOrders, pc, "order-o-1", vocab.OrderCharged)
	ss := step(vocab.ServiceShipping, oc, "ship-o-1", vocab.ShipmentShipped)
	step(vocab.ServiceOrders, ss, "order-o-1", vocab.OrderShipped, vocab.OrderCompleted)
	if more != nil {
		more(f)
	}
	f.final = h.final(vocab.EdgeQuiescent)
	f.strong = h.strong("o-1", vocab.StatusCompleted)
	f.proj = h.proj("o-1", vocab.StatusCompleted)
	f.stock = h.stock("s-1", 8)
	f.balance = h.balance("c-1", 60)
	return f
}

// input returns a fresh Input of the fixture (a fresh index too).
func (f *fixture) input() *Input { return &Input{Ops: f.h.ops, Trace: f.t.evs} }

// value returns the completion value of a call, for bending a read.
func (f *fixture) value(c [2]int) *history.Value { return f.h.ops[c[1]].Value }

// ops joins index pairs into the op list an anomaly should name.
func ops(calls ...[2]int) []int {
	var out []int
	for _, c := range calls {
		out = append(out, c[0])
		if c[1] >= 0 {
			out = append(out, c[1])
		}
	}
	return out
}

// propCase is one corpus case: a checker, an input, the expected verdict
// and, for an invalid one, the one anomaly expected; for an unknown one, a
// piece of the Note.
type propCase struct {
	name  string
	check Checker
	in    func(t *testing.T) *Input
	want  Validity
	typ   string
	key   string
	ops   []int
	note  string
}

func runPropCases(t *testing.T, cases []propCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.check.Name()+"/"+c.want.String()+"/"+c.name, func(t *testing.T) {
			r := c.check.Check(c.in(t))
			if r.Valid != c.want {
				t.Fatalf("verdict %v, want %v; note %q; anomalies %+v", r.Valid, c.want, r.Note, r.Anomalies)
			}
			if c.note != "" && !strings.Contains(r.Note, c.note) {
				t.Errorf("note %q does not say %q", r.Note, c.note)
			}
			if c.want != Invalid {
				if len(r.Anomalies) != 0 {
					t.Errorf("anomalies %+v, want none", r.Anomalies)
				}
				return
			}
			if len(r.Anomalies) != 1 {
				t.Fatalf("anomalies %+v, want exactly one", r.Anomalies)
			}
			a := r.Anomalies[0]
			if a.Type != c.typ || a.Key != c.key || !slices.Equal(a.Ops, c.ops) {
				t.Errorf("anomaly %+v, want type %s key %s ops %v", a, c.typ, c.key, c.ops)
			}
		})
	}
}
