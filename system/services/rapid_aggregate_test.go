package services

// A state-machine property of the pure cores (rapid): the test plays the
// runtime by hand — it keeps the event log, applies emitted events through
// Apply, and keeps each consumer's dedup record — and checks the cores
// against aggModel, a tiny reference model written from docs/PROTOCOL.md
// alone (order statuses, stock and balance counters).
//
// Run more cases:  go test ./system/services -run Rapid -rapid.checks=2000
// (100 cases take ~0.1 s; add -rapid.steps=500 for longer histories)
// Reproduce one:   go test ./system/services -run TestRapidAggregates -rapid.seed=N -v
// (rapid prints N, and saves the shrunk case under testdata/rapid/, which the
// next run replays first.)

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// aggConsumers are the services whose cores react to events (the projector
// has no core here).
var aggConsumers = []string{vocab.ServiceInventory, vocab.ServicePayment, vocab.ServiceShipping, vocab.ServiceOrders}

// Value pools of the commands: valid keys are few so that orders collide on
// SKUs and accounts; the invalid ones break one rule each.
var (
	aggOrderKeys    = []string{"o-1", "o-2", "o-3", "o-4", "o-5"}
	aggCustomers    = []string{"c-1", "c-2"}
	aggSKUs         = []string{"s-1", "s-2"}
	aggBadOrderKeys = []string{"", "o-", "x-1", "O-1", "o-1a", "o-1234567890", "c-1"}
	aggBadCustomers = []string{"", "c-", "cust-1", "c-x", "s-1"}
	aggBadSKUs      = []string{"", "s-", "sku-1", "s-1-2", "o-1"}
)

// aggTransitions are the order status moves of the saga (docs/PROTOCOL.md,
// "Saga"): place, the internal saga steps, and cancel.
var aggTransitions = map[[2]string]bool{
	{vocab.StatusNone, vocab.StatusPlaced}:        true,
	{vocab.StatusPlaced, vocab.StatusReserved}:    true,
	{vocab.StatusPlaced, vocab.StatusRejected}:    true,
	{vocab.StatusPlaced, vocab.StatusCancelled}:   true,
	{vocab.StatusReserved, vocab.StatusCharged}:   true,
	{vocab.StatusReserved, vocab.StatusDeclined}:  true,
	{vocab.StatusReserved, vocab.StatusCancelled}: true,
	{vocab.StatusCharged, vocab.StatusShipped}:    true,
	{vocab.StatusShipped, vocab.StatusCompleted}:  true,
}

// aggEvent is one event of the harness's log.
type aggEvent struct {
	id      int // 1-based position in the log
	stream  string
	version int
	typ     string
	data    Data
}

func (e aggEvent) String() string {
	return fmt.Sprintf("#%d %s@%s/v%d", e.id, e.typ, e.stream, e.version)
}

// aggModel is the reference: what docs/PROTOCOL.md says each command and
// each reaction does, as plain counters. It shares no code with the cores.
type aggModel struct {
	orders  map[string]*modelOrder
	stock   map[string]int // sku -> units on hand
	balance map[string]int // customer -> money on hand
}

type modelOrder struct {
	status        string
	customer, sku string
	qty, amount   int
	held          int // stock units reserved for the order and not released
	charged       int // money charged for the order and not refunded
	shipped       int
}

func newAggModel() *aggModel {
	return &aggModel{orders: map[string]*modelOrder{}, stock: map[string]int{}, balance: map[string]int{}}
}

func (m *aggModel) order(key string) *modelOrder {
	o := m.orders[key]
	if o == nil {
		return &modelOrder{status: vocab.StatusNone}
	}
	return o
}

// modelKey reports whether s is prefix-<1..9 decimal digits>.
func modelKey(prefix, s string) bool {
	digits, ok := strings.CutPrefix(s, prefix+"-")
	if !ok || len(digits) < 1 || len(digits) > 9 {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// place returns the predicted outcome of a place command: "" (accepted),
// "invalid" or "duplicate-id".
func (m *aggModel) place(key, customer, sku string, qty, amount int) string {
	valid := modelKey("o", key) && modelKey("c", customer) && modelKey("s", sku) &&
		qty >= 1 && qty <= 1000 && amount >= 1 && amount <= 1_000_000 && amount%qty == 0
	switch {
	case !valid:
		return vocab.ErrInvalid
	case m.order(key).status != vocab.StatusNone:
		return vocab.ErrDuplicateID
	}
	m.orders[key] = &modelOrder{status: vocab.StatusPlaced, customer: customer, sku: sku, qty: qty, amount: amount}
	return ""
}

func (m *aggModel) cancel(key string) string {
	o := m.order(key)
	switch o.status {
	case vocab.StatusNone:
		return vocab.ErrNotFound
	case vocab.StatusPlaced, vocab.StatusReserved:
		o.status = vocab.StatusCancelled
		return ""
	}
	return vocab.ErrNotCancellable
}

// react is one consumer's reaction to one event: it updates the model and
// returns the event types the consumer must emit.
func (m *aggModel) react(consumer, typ string, d Data) []string {
	o := m.order(d.Order)
	switch consumer {
	case vocab.ServiceInventory:
		switch typ {
		case vocab.OrderPlaced:
			if m.stock[o.sku] < o.qty {
				return []string{vocab.StockRejected}
			}
			m.stock[o.sku] -= o.qty
			o.held += o.qty
			return []string{vocab.StockReserved}
		case vocab.OrderDeclined, vocab.OrderCancelled:
			if o.held == 0 {
				return nil
			}
			m.stock[o.sku] += o.held
			o.held = 0
			return []string{vocab.StockReleased}
		}
	case vocab.ServicePayment:
		switch typ {
		case vocab.OrderReserved:
			if m.balance[o.customer] < o.amount {
				return []string{vocab.PaymentDeclined}
			}
			m.balance[o.customer] -= o.amount
			o.charged += o.amount
			return []string{vocab.PaymentCharged}
		case vocab.OrderCancelled:
			if o.charged == 0 {
				return nil
			}
			m.balance[o.customer] += o.charged
			o.charged = 0
			return []string{vocab.PaymentRefunded}
		}
	case vocab.ServiceShipping:
		if typ == vocab.OrderCharged {
			o.shipped++
			return []string{vocab.ShipmentShipped}
		}
	case vocab.ServiceOrders:
		step := map[string][3]string{ // event -> status it fits, next status, event emitted
			vocab.StockReserved:   {vocab.StatusPlaced, vocab.StatusReserved, vocab.OrderReserved},
			vocab.StockRejected:   {vocab.StatusPlaced, vocab.StatusRejected, vocab.OrderRejected},
			vocab.PaymentCharged:  {vocab.StatusReserved, vocab.StatusCharged, vocab.OrderCharged},
			vocab.PaymentDeclined: {vocab.StatusReserved, vocab.StatusDeclined, vocab.OrderDeclined},
			vocab.ShipmentShipped: {vocab.StatusCharged, vocab.StatusCompleted, vocab.OrderShipped},
		}[typ]
		if step[0] == "" || o.status != step[0] {
			return nil // an event that does not fit the status is ignored
		}
		o.status = step[1]
		if step[2] == vocab.OrderShipped {
			return []string{vocab.OrderShipped, vocab.OrderCompleted}
		}
		return []string{step[2]}
	}
	return nil
}

// aggHarness drives the cores the way system/node does, without I/O.
type aggHarness struct {
	t       *rapid.T
	log     []aggEvent
	streams map[string][]int // stream -> ids of its events, in version order
	states  map[string]State
	// handled is the dedup record: consumer -> event id -> handled.
	handled map[string]map[int]bool
	model   *aggModel

	restocked map[string]int // sku -> units restocked
	deposited map[string]int // customer -> money deposited
	// frozen is each terminal order's state and stream length when it
	// became terminal: neither may change afterwards.
	frozen map[string]frozenOrder
}

type frozenOrder struct {
	state   Order
	version int
}

func newAggHarness(t *rapid.T) *aggHarness {
	h := &aggHarness{t: t, streams: map[string][]int{}, states: map[string]State{},
		handled: map[string]map[int]bool{}, model: newAggModel(),
		restocked: map[string]int{}, deposited: map[string]int{}, frozen: map[string]frozenOrder{}}
	for _, c := range aggConsumers {
		h.handled[c] = map[int]bool{}
	}
	return h
}

func (h *aggHarness) state(stream string) State {
	s := h.states[stream]
	if s == nil {
		s = NewState(stream)
		h.states[stream] = s
	}
	return s
}

func (h *aggHarness) orderState(key string) *Order { return h.state(OrderStream(key)).(*Order) }

// orderOrNone is the state a command on key decides on: a malformed key
// names no stream, so no order.
func (h *aggHarness) orderOrNone(key string) *Order {
	if !modelKey("o", key) {
		return NewOrder()
	}
	return h.orderState(key)
}
func (h *aggHarness) skuState(sku string) *SKU    { return h.state(SKUStream(sku)).(*SKU) }
func (h *aggHarness) acctState(c string) *Account { return h.state(AccountStream(c)).(*Account) }

// append stores emits on a stream and applies them, each through the
// schema-2 encoding the runtime writes and reads back.
func (h *aggHarness) append(stream string, emits []Emit) {
	h.t.Helper()
	for _, e := range emits {
		env := trace.Envelope{Type: e.Type, SchemaVersion: CurrentSchema, Data: Encode(e.Type, e.Data, CurrentSchema)}
		d, err := Decode(&env, CurrentSchema)
		if err != nil {
			h.t.Fatalf("%s on %s does not decode: %v", e.Type, stream, err)
		}
		if o, ok := h.state(stream).(*Order); ok {
			from, to := o.Status, vocab.StatusOf(e.Type)
			if !aggTransitions[[2]string{from, to}] {
				h.t.Fatalf("%s on %s moves the order %s -> %s: not a saga transition", e.Type, stream, from, to)
			}
		}
		ev := aggEvent{id: len(h.log) + 1, stream: stream, version: len(h.streams[stream]) + 1, typ: e.Type, data: d}
		h.log = append(h.log, ev)
		h.streams[stream] = append(h.streams[stream], ev.id)
		h.state(stream).Apply(e.Type, d)
	}
}

// subscribed reports whether consumer consumes the events of stream.
func subscribed(consumer, stream string) bool {
	return slices.Contains(vocab.Subscriptions[consumer], vocab.TopicOf(stream))
}

// reaction runs a consumer's core on an event: the target stream and the
// events decided on the target's current state.
func (h *aggHarness) reaction(consumer string, e aggEvent) (string, []Emit) {
	var target string
	switch consumer {
	case vocab.ServiceInventory:
		if target = (Inventory{}).Target(e.typ, e.data); target != "" {
			return target, Inventory{}.React(h.state(target).(*SKU), e.typ, e.data)
		}
	case vocab.ServicePayment:
		if target = (Payment{}).Target(e.typ, e.data); target != "" {
			return target, Payment{}.React(h.state(target).(*Account), e.typ, e.data)
		}
	case vocab.ServiceShipping:
		if target = (Shipping{}).Target(e.typ, e.data); target != "" {
			return target, Shipping{}.React(h.state(target).(*Shipment), e.typ, e.data)
		}
	case vocab.ServiceOrders:
		if target = (Orders{}).Target(e.typ, e.data); target != "" {
			return target, OrdersReact(h.state(target).(*Order), e.typ)
		}
	}
	return "", nil
}

// deliver hands an event to a consumer under the consumer contract of
// docs/PROTOCOL.md: a handled event is a duplicate and skipped, one whose
// predecessor is not handled is deferred, any other is applied with its
// dedup record in the same step. It returns the outcome.
func (h *aggHarness) deliver(consumer string, e aggEvent) string {
	h.t.Helper()
	switch {
	case h.handled[consumer][e.id]:
		return trace.OutcomeDuplicate
	case e.version > 1 && !h.handled[consumer][h.streams[e.stream][e.version-2]]:
		return trace.OutcomeDeferred
	}
	target, emits := h.reaction(consumer, e)
	want := h.model.react(consumer, e.typ, e.data)
	var got []string
	for _, em := range emits {
		got = append(got, em.Type)
	}
	if !slices.Equal(got, want) {
		h.t.Fatalf("%s reacting to %v emitted %v, the model says %v", consumer, e, got, want)
	}
	if len(emits) > 0 {
		h.append(target, emits)
	}
	h.handled[consumer][e.id] = true
	return trace.OutcomeApplied
}

// pending lists, per consumer and source stream, the next event the
// consumer has not handled: what an in-order consumer can apply now.
func (h *aggHarness) pending() []aggPending {
	var out []aggPending
	for _, c := range aggConsumers {
		for _, stream := range sortedKeys(h.streams) {
			if !subscribed(c, stream) {
				continue
			}
			for _, id := range h.streams[stream] {
				if !h.handled[c][id] {
					out = append(out, aggPending{c, id})
					break
				}
			}
		}
	}
	return out
}

type aggPending struct {
	consumer string
	id       int
}

func (p aggPending) String() string { return fmt.Sprintf("%s<-#%d", p.consumer, p.id) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Draws of command values: mostly valid, sometimes breaking one rule.

func drawFrom(t *rapid.T, label string, valid, invalid []string) string {
	if rapid.IntRange(0, 9).Draw(t, label+"-bad") == 0 {
		return rapid.SampledFrom(invalid).Draw(t, label)
	}
	return rapid.SampledFrom(valid).Draw(t, label)
}

func drawQty(t *rapid.T) int {
	return rapid.OneOf(rapid.IntRange(1, 6), rapid.IntRange(1, 6), rapid.IntRange(1, 6),
		rapid.SampledFrom([]int{-1, 0, QtyMax, QtyMax + 1})).Draw(t, "qty")
}

func drawAmount(t *rapid.T, qty int) int {
	if rapid.IntRange(0, 9).Draw(t, "amount-odd") == 0 {
		return rapid.SampledFrom([]int{-5, 0, 1, 7, 101, AmountMax, AmountMax + 1}).Draw(t, "amount")
	}
	return qty * rapid.IntRange(1, 40).Draw(t, "price")
}

// TestRapidAggregates: the cores, driven through random commands, in-order
// reactions, redeliveries and duplicates, agree with the reference model
// after every step and keep the saga's invariants; drained, every saga ends.
func TestRapidAggregates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := newAggHarness(t)
		t.Repeat(map[string]func(*rapid.T){
			"place":     h.actPlace,
			"cancel":    h.actCancel,
			"restock":   h.actRestock,
			"deposit":   h.actDeposit,
			"react":     h.actReact,
			"deliver":   h.actDeliver,
			"duplicate": h.actDuplicate,
			"":          func(*rapid.T) { h.check() },
		})
		h.drain()
		h.check()
		h.checkQuiescent()
	})
}

func (h *aggHarness) actPlace(t *rapid.T) {
	key := drawFrom(t, "order", aggOrderKeys, aggBadOrderKeys)
	cust := drawFrom(t, "customer", aggCustomers, aggBadCustomers)
	sku := drawFrom(t, "sku", aggSKUs, aggBadSKUs)
	qty := drawQty(t)
	amount := drawAmount(t, qty)

	emit, err := Place(h.orderOrNone(key), key, cust, sku, qty, amount)
	want := h.model.place(key, cust, sku, qty, amount)
	h.checkCommand("place", want, emit, err)
	if err == nil {
		if placed := (Emit{vocab.OrderPlaced, Data{Order: key, Customer: cust, SKU: sku, Qty: qty, Amount: amount}}); emit != placed {
			h.t.Fatalf("place decided %+v, want %+v", emit, placed)
		}
		h.append(OrderStream(key), []Emit{emit})
	}
}

func (h *aggHarness) actCancel(t *rapid.T) {
	key := drawFrom(t, "order", aggOrderKeys, aggBadOrderKeys)
	emit, err := Cancel(h.orderOrNone(key))
	want := h.model.cancel(key)
	h.checkCommand("cancel", want, emit, err)
	if err == nil {
		if emit.Type != vocab.OrderCancelled || emit.Data.Order != key {
			h.t.Fatalf("cancel of %s decided %+v", key, emit)
		}
		h.append(OrderStream(key), []Emit{emit})
	}
}

func (h *aggHarness) actRestock(t *rapid.T) {
	sku := drawFrom(t, "sku", aggSKUs, aggBadSKUs)
	qty := drawQty(t)
	emit, err := Restock(sku, qty)
	want := ""
	if !modelKey("s", sku) || qty < 1 || qty > 1000 {
		want = vocab.ErrInvalid
	}
	h.checkCommand("restock", want, emit, err)
	if err == nil && emit != (Emit{vocab.StockRestocked, Data{SKU: sku, Qty: qty}}) {
		h.t.Fatalf("restock %s %d decided %+v", sku, qty, emit)
	}
	if err == nil {
		h.append(SKUStream(sku), []Emit{emit})
		h.model.stock[sku] += qty
		h.restocked[sku] += qty
	}
}

func (h *aggHarness) actDeposit(t *rapid.T) {
	cust := drawFrom(t, "customer", aggCustomers, aggBadCustomers)
	amount := rapid.OneOf(rapid.IntRange(1, 300), rapid.SampledFrom([]int{-1, 0, AmountMax, AmountMax + 1})).Draw(t, "amount")
	emit, err := Deposit(cust, amount)
	want := ""
	if !modelKey("c", cust) || amount < 1 || amount > 1_000_000 {
		want = vocab.ErrInvalid
	}
	h.checkCommand("deposit", want, emit, err)
	if err == nil && emit != (Emit{vocab.AccountCredited, Data{Customer: cust, Amount: amount}}) {
		h.t.Fatalf("deposit %s %d decided %+v", cust, amount, emit)
	}
	if err == nil {
		h.append(AccountStream(cust), []Emit{emit})
		h.model.balance[cust] += amount
		h.deposited[cust] += amount
	}
}

// checkCommand compares a command's outcome with the model's: a rejected
// command decides no event.
func (h *aggHarness) checkCommand(cmd, want string, emit Emit, err error) {
	h.t.Helper()
	var got string
	var ie *InvalidError
	switch {
	case err == nil:
	case errors.As(err, &ie):
		got = vocab.ErrInvalid
	default:
		got = err.Error()
	}
	if got != want {
		h.t.Fatalf("%s: outcome %q (%v), the model says %q", cmd, got, err, want)
	}
	if err != nil && emit != (Emit{}) {
		h.t.Fatalf("%s rejected with %v still decided an event: %+v", cmd, err, emit)
	}
}

// actReact lets one consumer apply the next event of one stream.
func (h *aggHarness) actReact(t *rapid.T) {
	ps := h.pending()
	if len(ps) == 0 {
		t.Skip("nothing to react to")
	}
	p := rapid.SampledFrom(ps).Draw(t, "reaction")
	if got := h.deliver(p.consumer, h.log[p.id-1]); got != trace.OutcomeApplied {
		h.t.Fatalf("%v: outcome %s, want applied", p, got)
	}
}

// actDeliver hands any logged event to any subscribed consumer, as an
// at-least-once bus that reorders across partitions may.
func (h *aggHarness) actDeliver(t *rapid.T) {
	if len(h.log) == 0 {
		t.Skip("empty log")
	}
	e := h.log[rapid.IntRange(0, len(h.log)-1).Draw(t, "event")]
	var cs []string
	for _, c := range aggConsumers {
		if subscribed(c, e.stream) {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		t.Skip("no consumer of " + e.stream)
	}
	h.deliver(rapid.SampledFrom(cs).Draw(t, "consumer"), e)
}

// actDuplicate redelivers an event a consumer already handled: the dedup
// record must make it a no-op.
func (h *aggHarness) actDuplicate(t *rapid.T) {
	var done []aggPending
	for _, c := range aggConsumers {
		for id := 1; id <= len(h.log); id++ {
			if h.handled[c][id] {
				done = append(done, aggPending{c, id})
			}
		}
	}
	if len(done) == 0 {
		t.Skip("nothing handled yet")
	}
	p := rapid.SampledFrom(done).Draw(t, "duplicate")
	before := len(h.log)
	if got := h.deliver(p.consumer, h.log[p.id-1]); got != trace.OutcomeDuplicate || len(h.log) != before {
		h.t.Fatalf("redelivery %v: outcome %s and %d new events, want a skipped duplicate", p, got, len(h.log)-before)
	}
}

// drain lets every consumer apply everything, as a healed system does.
func (h *aggHarness) drain() {
	h.t.Helper()
	for range 10_000 { // each round handles one event; sagas are short
		ps := h.pending()
		if len(ps) == 0 {
			return
		}
		h.deliver(ps[0].consumer, h.log[ps[0].id-1])
	}
	h.t.Fatalf("not drained after 10000 reactions: %d events", len(h.log))
}

// check compares the cores' states with the model and checks the invariants.
func (h *aggHarness) check() {
	h.t.Helper()
	t, m := h.t, h.model
	for _, key := range aggOrderKeys {
		o, mo := h.orderState(key), m.order(key)
		if o.Status != mo.status {
			t.Fatalf("order %s: status %s, the model says %s", key, o.Status, mo.status)
		}
		if o.Terminals > 1 {
			t.Fatalf("order %s: %d terminal events", key, o.Terminals)
		}
		if f, ok := h.frozen[key]; ok {
			if *o != f.state || len(h.streams[OrderStream(key)]) != f.version {
				t.Fatalf("terminal order %s changed: %+v (v%d), was %+v (v%d)", key, *o, len(h.streams[OrderStream(key)]), f.state, f.version)
			}
		} else if vocab.Terminal(o.Status) {
			h.frozen[key] = frozenOrder{*o, len(h.streams[OrderStream(key)])}
		}
		if n := h.state(ShipStream(key)).(*Shipment).Shipped; n != mo.shipped || n > 1 {
			t.Fatalf("order %s: %d shipments, the model says %d (at most 1)", key, n, mo.shipped)
		}
	}
	for _, sku := range aggSKUs {
		s := h.skuState(sku)
		if s.Stock != m.stock[sku] || s.Stock < 0 {
			t.Fatalf("sku %s: stock %d, the model says %d (never negative)", sku, s.Stock, m.stock[sku])
		}
		// Conservation: stock + held by unfinished orders + shipped = restocked.
		held, shipped := 0, 0
		for _, key := range sortedKeys(s.Reserved) {
			if q := m.order(key).held; s.Reserved[key] != q {
				t.Fatalf("sku %s: %d reserved for %s, the model says %d", sku, s.Reserved[key], key, q)
			}
			if h.orderState(key).Status == vocab.StatusCompleted {
				continue
			}
			held += s.Reserved[key]
		}
		for _, key := range aggOrderKeys {
			if o := h.orderState(key); o.Status == vocab.StatusCompleted && o.SKU == sku {
				shipped += o.Qty
			}
		}
		if s.Stock+held+shipped != h.restocked[sku] {
			t.Fatalf("sku %s: stock %d + held %d + shipped %d != restocked %d", sku, s.Stock, held, shipped, h.restocked[sku])
		}
	}
	for _, c := range aggCustomers {
		a := h.acctState(c)
		if a.Balance != m.balance[c] || a.Balance < 0 {
			t.Fatalf("account %s: balance %d, the model says %d (never negative)", c, a.Balance, m.balance[c])
		}
		// Conservation: balance + charged and not refunded + paid for completed = deposits.
		charged, paid := 0, 0
		for _, key := range sortedKeys(a.Charged) {
			if amt := m.order(key).charged; a.Charged[key] != amt {
				t.Fatalf("account %s: %d charged for %s, the model says %d", c, a.Charged[key], key, amt)
			}
			if h.orderState(key).Status != vocab.StatusCompleted {
				charged += a.Charged[key]
			}
		}
		for _, key := range aggOrderKeys {
			if o := h.orderState(key); o.Status == vocab.StatusCompleted && o.Customer == c {
				paid += o.Amount
			}
		}
		if a.Balance+charged+paid != h.deposited[c] {
			t.Fatalf("account %s: balance %d + charged %d + paid %d != deposited %d", c, a.Balance, charged, paid, h.deposited[c])
		}
	}
}

// checkQuiescent checks the drained state: every saga ended, and only
// completed orders keep stock and money.
func (h *aggHarness) checkQuiescent() {
	h.t.Helper()
	for _, key := range aggOrderKeys {
		o := h.orderState(key)
		if o.Status == vocab.StatusNone {
			continue
		}
		if !vocab.Terminal(o.Status) {
			h.t.Fatalf("drained, order %s is still %s", key, o.Status)
		}
		done := o.Status == vocab.StatusCompleted
		if q := h.skuState(o.SKU).Reserved[key]; done && q != o.Qty || !done && q != 0 {
			h.t.Fatalf("drained, %s order %s holds %d units of %s", o.Status, key, q, o.SKU)
		}
		if a := h.acctState(o.Customer).Charged[key]; done && a != o.Amount || !done && a != 0 {
			h.t.Fatalf("drained, %s order %s holds %d of %s's money", o.Status, key, a, o.Customer)
		}
	}
	for _, c := range aggConsumers {
		for _, e := range h.log {
			if subscribed(c, e.stream) && !h.handled[c][e.id] {
				h.t.Fatalf("drained, %s never handled %v", c, e)
			}
		}
	}
}
