package sim_test

// The saga end to end on the simulator, as a rapid state machine: rapid
// draws the cluster's seed and a schedule of client commands, virtual-time
// advances and fault windows; after every step the store and the trace must
// keep the saga's safety invariants, and once every fault is healed and the
// cluster is quiet, every saga must have ended with stock and money conserved.
//
// Run more cases:  go test ./sim -run Saga -rapid.checks=2000
// (longer schedules: add -rapid.steps=200; 100 cases take ~0.1 s, 20000
// cases of 200 steps ~2.5 min)
// Reproduce one:   go test ./sim -run 'TestRapidSaga$' -rapid.seed=N -v
// (rapid prints N on a failure and saves the shrunk case under
// sim/testdata/rapid/, which the next run replays first; -rapid.nofailfile
// turns that off.) rapid_repro_test.go checks that N does reproduce.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/sim"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// Bounds of one test case.
const (
	sagaAdvanceMax  = 40 * time.Millisecond // one "advance" action
	sagaWindowsMax  = 6                     // fault windows open at once
	sagaQuietMax    = 30 * time.Second      // virtual time to quiesce after the heal
	sagaSetupMax    = time.Second           // virtual time for the setup commands' replies
	sagaOrderKeyMax = 40                    // order keys o-1..o-40
)

var (
	sagaCustomers = []string{"c-1", "c-2"}
	sagaSKUs      = []string{"s-1", "s-2"}
)

// sagaPaths are the status moves an order stream may make (docs/PROTOCOL.md, "Saga").
var sagaPaths = map[[2]string]bool{
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

// sagaOptions are the knobs of the property: the correct system by default.
type sagaOptions struct {
	bugs node.Bugs
	// dupAtStart opens a duplicate window on every consumer before the
	// first action, so that redeliveries are certain.
	dupAtStart bool
	// marks, when set, counts the states the cases reached (see sagaMarkNames).
	marks map[string]int
}

// sagaMarkNames are the states a run of the property should reach
// ("sometimes" marks, STYLE.md 11): a run that never reached one says so.
var sagaMarkNames = []string{
	"order completed", "order cancelled", "order declined", "order rejected",
	"charge refunded", "stock released", "poison event dead-lettered",
	"redelivery injected", "duplicate skipped by dedup", "delivery deferred",
	"append conflict (OCC)", "node crashed", "node restarted",
}

// sagaProperty returns the property for rapid.Check.
func sagaProperty(opts sagaOptions) func(*rapid.T) {
	return func(t *rapid.T) {
		r := newSagaRun(t, opts)
		t.Repeat(map[string]func(*rapid.T){
			"place":   r.actPlace,
			"cancel":  r.actCancel,
			"restock": r.actRestock,
			"deposit": r.actDeposit,
			"advance": r.actAdvance,
			"fault":   r.actFault,
			"heal":    r.actHeal,
			"":        func(*rapid.T) { r.check() },
		})
		r.quiesce()
		r.check()
		r.checkFinal()
		r.markFinal()
	}
}

// TestRapidSaga: the correct system keeps the saga's invariants under any
// drawn schedule of commands and faults.
func TestRapidSaga(t *testing.T) {
	marks := map[string]int{}
	rapid.Check(t, sagaProperty(sagaOptions{marks: marks}))
	var reached, missed []string
	for _, name := range sagaMarkNames {
		if marks[name] == 0 {
			missed = append(missed, name)
		} else {
			reached = append(reached, fmt.Sprintf("%s %d", name, marks[name]))
		}
	}
	t.Logf("marks over %d cases: %s", marks["case"], strings.Join(reached, ", "))
	if len(missed) > 0 {
		t.Logf("never reached: %s (raise -rapid.checks or -rapid.steps)", strings.Join(missed, ", "))
	}
}

// sagaRun is one test case: a cluster and what the checks remember.
type sagaRun struct {
	t     *rapid.T
	marks map[string]int // nil: not counted
	loop  *sim.Loop
	c     *sim.Cluster
	op    int // history index of the next command

	unchecked []trace.Event // trace events not yet checked
	// effects: node -> handled event id -> the append that handled it.
	effects map[string]map[string]string
	dirty   map[string]bool // streams appended to since the last check
	streams map[string]*streamFacts
	keys    []string        // order keys placed (invoked), in order
	open    []faults.Window // fault windows open now
	// lateErrors are failures seen in reply callbacks, reported by check.
	lateErrors []string
}

// streamFacts is the incremental replay of one stream.
type streamFacts struct {
	seen      int    // events checked
	status    string // order streams
	terminals int
	units     int // sku streams: stock on hand
	money     int // account streams: balance
	shipped   int // ship streams
}

func newSagaRun(t *rapid.T, opts sagaOptions) *sagaRun {
	seed := rapid.Uint64().Draw(t, "seed")
	r := &sagaRun{t: t, marks: opts.marks, loop: &sim.Loop{}, effects: map[string]map[string]string{},
		dirty: map[string]bool{}, streams: map[string]*streamFacts{}}
	nodeCfg := func(svc string) node.Config {
		nc := node.DefaultConfig(svc, opts.bugs)
		// Short cases still reach the upcaster (schema 1) and the
		// dead-letter path (schema 3) of OrderPlaced.
		nc.LegacyEvery, nc.FutureEvery = 3, 5
		return nc
	}
	r.c = sim.NewCluster(r.loop, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), sim.DefaultConfig(), nodeCfg,
		func(e trace.Event) { r.unchecked = append(r.unchecked, e) })
	r.setup()
	if opts.dupAtStart {
		for _, svc := range vocab.Services {
			w := faults.Window{Fault: vocab.FaultDuplicate, Target: svc}
			r.c.StartFault(w)
			r.open = append(r.open, w)
		}
	}
	return r
}

// setup stocks every SKU and credits every account, fault-free.
func (r *sagaRun) setup() {
	replies := 0
	for _, sku := range sagaSKUs {
		r.invoke(vocab.FRestock, sku, &history.Value{Qty: 8}, func(workloads.Response) { replies++ })
	}
	for _, c := range sagaCustomers {
		r.invoke(vocab.FDeposit, c, &history.Value{Amount: 60}, func(workloads.Response) { replies++ })
	}
	want := len(sagaSKUs) + len(sagaCustomers)
	if !r.loop.RunUntil(r.loop.Now()+sagaSetupMax, func() bool { return replies == want }) {
		r.t.Fatalf("setup: %d of %d replies by %v", replies, want, r.loop.Now())
	}
}

func (r *sagaRun) invoke(f, key string, v *history.Value, done func(workloads.Response)) {
	r.op++
	sim.NewClient(r.c).Invoke(workloads.Request{Op: r.op, F: f, Key: key, Value: v}, done)
}

func (r *sagaRun) actPlace(t *rapid.T) {
	key := fmt.Sprintf("o-%d", len(r.keys)+1)
	if len(r.keys) > 0 && rapid.IntRange(0, 9).Draw(t, "reuse-key") == 0 {
		key = rapid.SampledFrom(r.keys).Draw(t, "order") // a duplicate id
	} else if len(r.keys) >= sagaOrderKeyMax {
		t.Skip("order keys used up")
	}
	qty := rapid.IntRange(1, 4).Draw(t, "qty")
	v := &history.Value{
		Customer: rapid.SampledFrom(sagaCustomers).Draw(t, "customer"),
		SKU:      rapid.SampledFrom(sagaSKUs).Draw(t, "sku"),
		Qty:      qty,
		Amount:   qty * rapid.IntRange(1, 30).Draw(t, "price"),
	}
	if !slices.Contains(r.keys, key) {
		r.keys = append(r.keys, key)
	}
	r.invoke(vocab.FPlace, key, v, func(resp workloads.Response) {
		// ok means placed: the order is in the store (no lost command).
		if resp.OK && r.c.Store().Version(services.OrderStream(key)) == 0 {
			r.lateErrors = append(r.lateErrors, fmt.Sprintf("place %s acknowledged but not stored", key))
		}
	})
}

func (r *sagaRun) actCancel(t *rapid.T) {
	key := fmt.Sprintf("o-%d", sagaOrderKeyMax+1) // never placed
	if len(r.keys) > 0 && rapid.IntRange(0, 9).Draw(t, "unknown-key") > 0 {
		key = rapid.SampledFrom(r.keys).Draw(t, "order")
	}
	r.invoke(vocab.FCancel, key, nil, func(resp workloads.Response) {
		// ok means cancelled: the stream ends in OrderCancelled.
		evs := r.c.Store().Read(services.OrderStream(key), 1)
		if resp.OK && (len(evs) == 0 || !slices.ContainsFunc(evs, func(e trace.Envelope) bool { return e.Type == vocab.OrderCancelled })) {
			r.lateErrors = append(r.lateErrors, fmt.Sprintf("cancel %s acknowledged but no OrderCancelled stored", key))
		}
	})
}

func (r *sagaRun) actRestock(t *rapid.T) {
	sku := rapid.SampledFrom(sagaSKUs).Draw(t, "sku")
	r.invoke(vocab.FRestock, sku, &history.Value{Qty: rapid.IntRange(1, 6).Draw(t, "qty")}, func(workloads.Response) {})
}

func (r *sagaRun) actDeposit(t *rapid.T) {
	c := rapid.SampledFrom(sagaCustomers).Draw(t, "customer")
	r.invoke(vocab.FDeposit, c, &history.Value{Amount: rapid.IntRange(1, 100).Draw(t, "amount")}, func(workloads.Response) {})
}

func (r *sagaRun) actAdvance(t *rapid.T) {
	d := time.Duration(rapid.Int64Range(0, int64(sagaAdvanceMax/time.Millisecond)).Draw(t, "advance-ms")) * time.Millisecond
	r.loop.RunUntil(r.loop.Now()+d, func() bool { return false })
}

// actFault opens a fault window; crash and partition stay exclusive per service.
func (r *sagaRun) actFault(t *rapid.T) {
	if len(r.open) >= sagaWindowsMax {
		t.Skip("enough windows open")
	}
	w := faults.Window{
		Fault:  rapid.SampledFrom(vocab.Faults).Draw(t, "fault"),
		Target: rapid.SampledFrom(vocab.Services).Draw(t, "target"),
	}
	exclusive := w.Fault == vocab.FaultCrash || w.Fault == vocab.FaultPartition
	if exclusive && slices.Contains(r.open, w) {
		t.Skip("already open: " + w.Fault + "@" + w.Target)
	}
	r.c.StartFault(w)
	r.open = append(r.open, w)
}

func (r *sagaRun) actHeal(t *rapid.T) {
	if len(r.open) == 0 {
		t.Skip("no window open")
	}
	i := rapid.IntRange(0, len(r.open)-1).Draw(t, "window")
	w := r.open[i]
	r.open = slices.Delete(r.open, i, i+1)
	r.c.StopFault(w)
}

// quiesce heals every fault and runs until the cluster is quiet, then lets
// the commands still on their way land and waits for quiet again.
func (r *sagaRun) quiesce() {
	for _, w := range r.open {
		r.c.StopFault(w)
	}
	r.open = nil
	if !r.loop.RunUntil(r.loop.Now()+sagaQuietMax, r.c.Quiet) {
		r.t.Fatalf("not quiet %v after the heal (saga stuck?)", sagaQuietMax)
	}
	r.loop.RunUntil(r.loop.Now()+sagaQuietMax, func() bool { return false })
	if r.loop.Step() || !r.c.Quiet() {
		r.t.Fatalf("still busy %v after quiet (a timer that never ends?)", sagaQuietMax)
	}
}

// check runs the safety invariants over what happened since the last check.
func (r *sagaRun) check() {
	r.t.Helper()
	if len(r.lateErrors) > 0 {
		r.t.Fatalf("%s", strings.Join(r.lateErrors, "; "))
	}
	for _, e := range r.unchecked {
		r.markTrace(e)
		if e.Kind != trace.KindAppend {
			continue
		}
		for _, ev := range e.Events {
			r.dirty[ev.Aggregate] = true
		}
		if e.Handled == nil {
			continue
		}
		// No event has two effects by one consumer.
		first := fmt.Sprintf("%s %s/v%d", e.Events[0].Type, e.Events[0].Aggregate, e.Events[0].Version)
		byNode := r.effects[e.Node]
		if byNode == nil {
			byNode = map[string]string{}
			r.effects[e.Node] = byNode
		}
		if prev, ok := byNode[e.Handled.ID]; ok {
			r.t.Fatalf("duplicate effect: %s handled %s (%s of %s v%d) twice: %s, then %s",
				e.Node, e.Handled.ID, e.Handled.Type, e.Handled.Aggregate, e.Handled.Version, prev, first)
		}
		byNode[e.Handled.ID] = first
	}
	r.unchecked = r.unchecked[:0]
	for _, stream := range sortedStreams(r.dirty) {
		r.checkStream(stream)
	}
	clear(r.dirty)
}

// checkStream replays a stream's new events from the store.
func (r *sagaRun) checkStream(stream string) {
	r.t.Helper()
	f := r.streams[stream]
	if f == nil {
		f = &streamFacts{status: vocab.StatusNone}
		r.streams[stream] = f
	}
	for _, e := range r.c.Store().Read(stream, f.seen+1) {
		f.seen++
		d, err := services.Decode(&e, 3)
		if err != nil {
			r.t.Fatalf("%s v%d (%s) does not decode: %v", stream, e.Version, e.Type, err)
		}
		switch vocab.TopicOf(stream) {
		case vocab.TopicOrders:
			// Every order stream is a saga path: at most one terminal
			// event, and nothing after it.
			to := vocab.StatusOf(e.Type)
			if f.terminals > 0 {
				r.t.Fatalf("%s v%d: %s after the terminal status %s", stream, e.Version, e.Type, f.status)
			}
			if !sagaPaths[[2]string{f.status, to}] {
				r.t.Fatalf("%s v%d: %s moves the order %s -> %q: not a saga transition", stream, e.Version, e.Type, f.status, to)
			}
			f.status = to
			if vocab.Terminal(to) {
				f.terminals++
			}
		case vocab.TopicInventory:
			switch e.Type {
			case vocab.StockRestocked, vocab.StockReleased:
				f.units += d.Qty
			case vocab.StockReserved:
				f.units -= d.Qty
			}
			if f.units < 0 {
				r.t.Fatalf("%s v%d: stock %d after %s of %d for %s", stream, e.Version, f.units, e.Type, d.Qty, d.Order)
			}
		case vocab.TopicPayments:
			switch e.Type {
			case vocab.AccountCredited, vocab.PaymentRefunded:
				f.money += d.Amount
			case vocab.PaymentCharged:
				f.money -= d.Amount
			}
			if f.money < 0 {
				r.t.Fatalf("%s v%d: balance %d after %s of %d for %s", stream, e.Version, f.money, e.Type, d.Amount, d.Order)
			}
		case vocab.TopicShipping:
			if f.shipped++; f.shipped > 1 {
				r.t.Fatalf("%s v%d: shipped %d times", stream, e.Version, f.shipped)
			}
		}
	}
}

// orderFacts is one order's footprint over every stream, after quiescence.
type orderFacts struct {
	placed             services.Data
	status             string
	reserved, released int
	charged, refunded  int
	shipped            int
}

// checkFinal checks the quiescent store: every saga ended; only completed
// orders keep stock and money; every event was handled by every subscriber.
func (r *sagaRun) checkFinal() {
	r.t.Helper()
	st := r.c.Store()
	orders := map[string]*orderFacts{}
	of := func(key string) *orderFacts {
		if orders[key] == nil {
			orders[key] = &orderFacts{status: vocab.StatusNone}
		}
		return orders[key]
	}
	restocked, credited := map[string]int{}, map[string]int{}
	all := st.ReadAll(1, int(st.Head()))
	for i := range all {
		e := &all[i]
		d, err := services.Decode(e, 3)
		if err != nil {
			r.t.Fatalf("%s v%d does not decode: %v", e.Aggregate, e.Version, err)
		}
		switch e.Type {
		case vocab.OrderPlaced:
			of(d.Order).placed = d
		case vocab.StockRestocked:
			restocked[d.SKU] += d.Qty
		case vocab.StockReserved:
			of(d.Order).reserved += d.Qty
		case vocab.StockReleased:
			of(d.Order).released += d.Qty
		case vocab.AccountCredited:
			credited[d.Customer] += d.Amount
		case vocab.PaymentCharged:
			of(d.Order).charged += d.Amount
		case vocab.PaymentRefunded:
			of(d.Order).refunded += d.Amount
		case vocab.ShipmentShipped:
			of(d.Order).shipped++
		}
		if key, ok := strings.CutPrefix(e.Aggregate, "order-"); ok {
			of(key).status = vocab.StatusOf(e.Type)
		}
		// Every stored event was handled by every subscriber.
		for _, svc := range vocab.Services {
			if slices.Contains(vocab.Subscriptions[svc], vocab.TopicOf(e.Aggregate)) && !st.Handled(svc, e.ID) {
				r.t.Fatalf("quiet, but %s never handled %s (%s of %s v%d)", svc, e.ID, e.Type, e.Aggregate, e.Version)
			}
		}
	}
	shipped, paid := map[string]int{}, map[string]int{}
	for _, key := range sortedStreams(orders) {
		o := orders[key]
		if o.placed.Order == "" {
			r.t.Fatalf("order %s has saga events but no OrderPlaced", key)
		}
		if !vocab.Terminal(o.status) {
			r.t.Fatalf("quiet, but order %s is %s", key, o.status)
		}
		held, charged, ships := 0, 0, 0
		if o.status == vocab.StatusCompleted {
			held, charged, ships = o.placed.Qty, o.placed.Amount, 1
			shipped[o.placed.SKU] += o.placed.Qty
			paid[o.placed.Customer] += o.placed.Amount
		}
		if o.reserved-o.released != held || o.charged-o.refunded != charged || o.shipped != ships {
			r.t.Fatalf("%s order %s keeps %d units (reserved %d, released %d), %d money (charged %d, refunded %d), %d shipments; want %d, %d, %d",
				o.status, key, o.reserved-o.released, o.reserved, o.released, o.charged-o.refunded, o.charged, o.refunded, o.shipped, held, charged, ships)
		}
	}
	// Conservation: stock + shipped = restocked; balance + paid = credited.
	for _, sku := range sagaSKUs {
		if f := r.streams[services.SKUStream(sku)]; f.units+shipped[sku] != restocked[sku] {
			r.t.Fatalf("%s: stock %d + shipped %d != restocked %d", sku, f.units, shipped[sku], restocked[sku])
		}
	}
	for _, c := range sagaCustomers {
		if f := r.streams[services.AccountStream(c)]; f.money+paid[c] != credited[c] {
			r.t.Fatalf("%s: balance %d + paid %d != credited %d", c, f.money, paid[c], credited[c])
		}
	}
	// Only the poison event of a newer release is dead-lettered.
	for _, dl := range st.DeadLetters() {
		if dl.Consumer != vocab.ServiceInventory || dl.Ref.Type != vocab.OrderPlaced {
			r.t.Fatalf("unexpected dead letter: %s gave up on %s (%s): %s", dl.Consumer, dl.Ref.ID, dl.Ref.Type, dl.Error)
		}
	}
}

// markTrace counts the trace's marks.
func (r *sagaRun) markTrace(e trace.Event) {
	if r.marks == nil {
		return
	}
	switch {
	case e.Kind == trace.KindDeliver && e.Dup:
		r.marks["redelivery injected"]++
	case e.Kind == trace.KindHandle && e.Outcome == trace.OutcomeDuplicate:
		r.marks["duplicate skipped by dedup"]++
	case e.Kind == trace.KindHandle && e.Outcome == trace.OutcomeDeferred:
		r.marks["delivery deferred"]++
	case e.Kind == trace.KindConflict:
		r.marks["append conflict (OCC)"]++
	case e.Kind == trace.KindCrash:
		r.marks["node crashed"]++
	case e.Kind == trace.KindRestart:
		r.marks["node restarted"]++
	case e.Kind == trace.KindDLQ:
		r.marks["poison event dead-lettered"]++
	case e.Kind == trace.KindAppend:
		for _, ev := range e.Events {
			switch ev.Type {
			case vocab.PaymentRefunded:
				r.marks["charge refunded"]++
			case vocab.StockReleased:
				r.marks["stock released"]++
			}
		}
	}
}

// markFinal counts a passed case and its orders' final statuses.
func (r *sagaRun) markFinal() {
	if r.marks == nil {
		return
	}
	r.marks["case"]++
	for _, stream := range sortedStreams(r.streams) {
		if f := r.streams[stream]; vocab.TopicOf(stream) == vocab.TopicOrders {
			r.marks["order "+f.status]++
		}
	}
}

func sortedStreams[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
