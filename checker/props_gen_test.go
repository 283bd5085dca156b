package checker

import (
	"fmt"
	"math/rand/v2"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file generates the history and trace of a correct run, shaped like
// the reference system's (PROTOCOL.md): the saga by choreography, consumers
// that handle each aggregate in version order, compensation on decline and
// cancel, a final phase after quiescence. It is a test fixture, independent
// of system/ (checker/ never imports it): every property checker must call
// its output valid, and the benchmark measures the checkers on it.

// genConfig sizes a generated run.
type genConfig struct {
	seed      uint64
	events    int // history events to aim at, final phase included
	skus      int
	customers int
	procs     int
}

// genOrder is the generator's view of one order across services.
type genOrder struct {
	key, cust, sku string
	qty, amount    int
	status         string // the order stream's status
	reserved       bool   // inventory holds its stock
	charged        bool   // payment holds its money
}

// gen holds the state of one generated run.
type gen struct {
	r       *rand.Rand
	cfg     genConfig
	ops     []history.Op
	tr      []trace.Event
	now     int64
	pos     int64
	version map[string]int
	queue   map[string][]*trace.Ref // node -> deliveries not yet handled, FIFO
	handled map[string]int          // node -> handles since its last commit

	orders    map[string]*genOrder
	orderKeys []string
	stock     map[string]int
	balance   map[string]int
	proj      map[string]string
}

// genRun makes the Input of a correct run.
func genRun(cfg genConfig) *Input {
	g := &gen{
		r: rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)), cfg: cfg,
		version: map[string]int{}, queue: map[string][]*trace.Ref{}, handled: map[string]int{},
		orders: map[string]*genOrder{}, stock: map[string]int{}, balance: map[string]int{}, proj: map[string]string{},
	}
	for i := range cfg.skus {
		g.restock(fmt.Sprintf("s-%d", i), 10+g.r.IntN(40))
	}
	// Half the customers can pay for anything, so that stock runs out and
	// reservations are refused; the other half soon cannot, so that
	// payments are declined.
	for i := range cfg.customers {
		amount := 100 + g.r.IntN(5000)
		if i%2 == 0 {
			amount = 1 << 30
		}
		g.deposit(fmt.Sprintf("c-%d", i), amount)
	}
	finalOps := func() int { return 4*len(g.orderKeys) + 2*(cfg.skus+cfg.customers) + 1 }
	for len(g.ops)+finalOps() < cfg.events {
		g.clientOp()
		for k := g.r.IntN(12); k > 0; k-- {
			g.step()
		}
	}
	for g.step() { // drain: quiescence
	}
	g.history(history.Op{Type: vocab.TypeInfo, Process: vocab.NemesisProcess, F: vocab.FNemesis,
		Value: &history.Value{Fault: vocab.MarkFinal, Edge: vocab.EdgeQuiescent}})
	for _, k := range g.orderKeys {
		g.call(vocab.FReadStrong, k, nil, vocab.TypeOK, &history.Value{Status: g.orders[k].status}, "")
		g.call(vocab.FReadProjection, k, nil, vocab.TypeOK, &history.Value{Status: g.projection(k)}, "")
	}
	for i := range cfg.skus {
		k := fmt.Sprintf("s-%d", i)
		g.call(vocab.FReadStock, k, nil, vocab.TypeOK, &history.Value{Stock: history.Int(g.stock[k])}, "")
	}
	for i := range cfg.customers {
		k := fmt.Sprintf("c-%d", i)
		g.call(vocab.FReadBalance, k, nil, vocab.TypeOK, &history.Value{Balance: history.Int(g.balance[k])}, "")
	}
	return &Input{Ops: g.ops, Trace: g.tr}
}

func (g *gen) projection(key string) string {
	if s, ok := g.proj[key]; ok {
		return s
	}
	return vocab.StatusNone
}

// clientOp makes one main-phase client operation.
func (g *gen) clientOp() {
	switch p := g.r.IntN(100); {
	case p < 30 || len(g.orderKeys) == 0:
		g.place()
	case p < 40:
		g.cancel(g.someOrder())
	case p < 65:
		k := g.someOrder()
		g.call(vocab.FReadStrong, k, nil, vocab.TypeOK, &history.Value{Status: g.orders[k].status}, "")
	case p < 90:
		k := g.someOrder()
		g.call(vocab.FReadProjection, k, nil, vocab.TypeOK, &history.Value{Status: g.projection(k)}, "")
	default:
		// Restocks bring less than places take, so that stock runs out and
		// some reservations are refused.
		g.restock(fmt.Sprintf("s-%d", g.r.IntN(g.cfg.skus)), 1+g.r.IntN(3))
	}
}

// someOrder picks a recent order, so that cancels often meet live sagas.
func (g *gen) someOrder() string {
	n := len(g.orderKeys)
	return g.orderKeys[n-1-g.r.IntN(min(n, 50))]
}

func (g *gen) tick() int64 { g.now += 1 + g.r.Int64N(1000); return g.now }

func (g *gen) history(op history.Op) int {
	op.Index, op.Time = len(g.ops), g.tick()
	g.ops = append(g.ops, op)
	return op.Index
}

func (g *gen) traceEv(e trace.Event) {
	e.Seq, e.Time = int64(len(g.tr)), g.now
	g.tr = append(g.tr, e)
}

// call writes an invoke and its completion by a random process.
func (g *gen) call(f, key string, in *history.Value, typ string, out *history.Value, errS string) (int, int) {
	p := g.r.IntN(g.cfg.procs)
	inv := g.history(history.Op{Type: vocab.TypeInvoke, Process: p, F: f, Key: key, Value: in})
	comp := g.history(history.Op{Type: typ, Process: p, F: f, Key: key, Value: out, Error: errS})
	return inv, comp
}

// command runs a command: its invoke, its append (made by effect, which
// returns the events to append or nil for a refusal), its ack and completion.
func (g *gen) command(node, f, key string, in *history.Value, stream string, effect func() ([]trace.Envelope, string)) {
	p := g.r.IntN(g.cfg.procs)
	inv := g.history(history.Op{Type: vocab.TypeInvoke, Process: p, F: f, Key: key, Value: in})
	envs, errS := effect()
	if errS != "" {
		g.history(history.Op{Type: vocab.TypeFail, Process: p, F: f, Key: key, Error: errS})
		return
	}
	g.append(node, nil, &inv, stream, envs)
	g.traceEv(trace.Event{Kind: trace.KindAck, Node: node, Op: &inv})
	g.history(history.Op{Type: vocab.TypeOK, Process: p, F: f, Key: key, Value: in})
}

// ev makes an envelope of the given type, correlation and causation (the
// stream and version are set by append).
func ev(typ, corr, cause string) trace.Envelope {
	return trace.Envelope{Type: typ, SchemaVersion: 2, CorrelationID: corr, CausationID: cause}
}

// append stores events on a stream, publishes them and queues them for
// every subscriber of the stream's topic.
func (g *gen) append(node string, handled *trace.Ref, op *int, stream string, envs []trace.Envelope) {
	for i := range envs {
		g.version[stream]++
		g.pos++
		envs[i].Aggregate, envs[i].Version, envs[i].Position = stream, g.version[stream], g.pos
		envs[i].ID = fmt.Sprintf("e-%d", g.pos)
		if o := g.orders[envs[i].CorrelationID]; o != nil && vocab.StatusOf(envs[i].Type) != "" {
			o.status = vocab.StatusOf(envs[i].Type)
		}
	}
	g.traceEv(trace.Event{Kind: trace.KindAppend, Node: node, Events: envs, Handled: handled, Op: op})
	topic := vocab.TopicOf(stream)
	for i := range envs {
		ref := trace.RefOf(&envs[i])
		g.traceEv(trace.Event{Kind: trace.KindPublish, Node: node, Ref: &ref, Topic: topic, Offset: envs[i].Position})
		for _, n := range vocab.Services {
			if vocab.Known(vocab.Subscriptions[n], topic) {
				g.queue[n] = append(g.queue[n], &ref)
			}
		}
	}
}

func (g *gen) restock(sku string, qty int) {
	g.command(vocab.ServiceInventory, vocab.FRestock, sku, &history.Value{Qty: qty}, "sku-"+sku, func() ([]trace.Envelope, string) {
		g.stock[sku] += qty
		return []trace.Envelope{ev(vocab.StockRestocked, "", "")}, ""
	})
}

func (g *gen) deposit(cust string, amount int) {
	g.command(vocab.ServicePayment, vocab.FDeposit, cust, &history.Value{Amount: amount}, "acct-"+cust, func() ([]trace.Envelope, string) {
		g.balance[cust] += amount
		return []trace.Envelope{ev(vocab.AccountCredited, "", "")}, ""
	})
}

func (g *gen) place() {
	key := fmt.Sprintf("o-%d", len(g.orderKeys))
	qty := 1 + g.r.IntN(3)
	o := &genOrder{key: key, cust: fmt.Sprintf("c-%d", g.r.IntN(g.cfg.customers)), sku: fmt.Sprintf("s-%d", g.r.IntN(g.cfg.skus)),
		qty: qty, amount: qty * (5 + g.r.IntN(46)), status: vocab.StatusNone}
	g.orders[key] = o
	g.orderKeys = append(g.orderKeys, key)
	in := &history.Value{Customer: o.cust, SKU: o.sku, Qty: o.qty, Amount: o.amount}
	g.command(vocab.ServiceOrders, vocab.FPlace, key, in, "order-"+key, func() ([]trace.Envelope, string) {
		return []trace.Envelope{ev(vocab.OrderPlaced, key, "")}, ""
	})
}

func (g *gen) cancel(key string) {
	o := g.orders[key]
	g.command(vocab.ServiceOrders, vocab.FCancel, key, nil, "order-"+key, func() ([]trace.Envelope, string) {
		if !vocab.Cancellable(o.status) {
			return nil, vocab.ErrNotCancellable
		}
		return []trace.Envelope{ev(vocab.OrderCancelled, key, "")}, ""
	})
}

// step delivers and handles one queued event at a random node; false when
// every queue is empty.
func (g *gen) step() bool {
	start := g.r.IntN(len(vocab.Services))
	for i := range vocab.Services {
		n := vocab.Services[(start+i)%len(vocab.Services)]
		if q := g.queue[n]; len(q) > 0 {
			g.queue[n] = q[1:]
			g.handle(n, q[0])
			return true
		}
	}
	return false
}

// handle delivers ref to node, makes the node's reaction and commits now and then.
func (g *gen) handle(node string, ref *trace.Ref) {
	g.tick()
	topic := vocab.TopicOf(ref.Aggregate)
	g.traceEv(trace.Event{Kind: trace.KindDeliver, Node: node, Ref: ref, Topic: topic})
	stream, envs := g.react(node, ref)
	if len(envs) > 0 {
		g.append(node, ref, nil, stream, envs)
	}
	g.traceEv(trace.Event{Kind: trace.KindHandle, Node: node, Ref: ref, Outcome: trace.OutcomeApplied, Topic: topic})
	if g.handled[node]++; g.handled[node]%64 == 0 {
		g.traceEv(trace.Event{Kind: trace.KindCommit, Node: node, Topic: topic})
	}
}

// react is the services' decision cores, as PROTOCOL.md describes the saga.
func (g *gen) react(node string, ref *trace.Ref) (string, []trace.Envelope) {
	o := g.orders[ref.Correlation]
	if o == nil {
		return "", nil // a restock or deposit: no saga reacts to it
	}
	one := func(stream, typ string) (string, []trace.Envelope) {
		return stream, []trace.Envelope{ev(typ, o.key, ref.ID)}
	}
	switch node + "/" + ref.Type {
	case vocab.ServiceInventory + "/" + vocab.OrderPlaced:
		if g.stock[o.sku] < o.qty {
			return one("sku-"+o.sku, vocab.StockRejected)
		}
		g.stock[o.sku] -= o.qty
		o.reserved = true
		return one("sku-"+o.sku, vocab.StockReserved)
	case vocab.ServiceInventory + "/" + vocab.OrderDeclined, vocab.ServiceInventory + "/" + vocab.OrderCancelled:
		if !o.reserved {
			return "", nil
		}
		g.stock[o.sku] += o.qty
		o.reserved = false
		return one("sku-"+o.sku, vocab.StockReleased)
	case vocab.ServicePayment + "/" + vocab.OrderReserved:
		if g.balance[o.cust] < o.amount {
			return one("acct-"+o.cust, vocab.PaymentDeclined)
		}
		g.balance[o.cust] -= o.amount
		o.charged = true
		return one("acct-"+o.cust, vocab.PaymentCharged)
	case vocab.ServicePayment + "/" + vocab.OrderCancelled:
		if !o.charged {
			return "", nil
		}
		g.balance[o.cust] += o.amount
		o.charged = false
		return one("acct-"+o.cust, vocab.PaymentRefunded)
	case vocab.ServiceShipping + "/" + vocab.OrderCharged:
		return one("ship-"+o.key, vocab.ShipmentShipped)
	case vocab.ServiceOrders + "/" + vocab.ShipmentShipped:
		if o.status != vocab.StatusCharged {
			return "", nil
		}
		return "order-" + o.key, []trace.Envelope{ev(vocab.OrderShipped, o.key, ref.ID), ev(vocab.OrderCompleted, o.key, ref.ID)}
	case vocab.ServiceOrders + "/" + vocab.StockReserved, vocab.ServiceOrders + "/" + vocab.StockRejected,
		vocab.ServiceOrders + "/" + vocab.PaymentCharged, vocab.ServiceOrders + "/" + vocab.PaymentDeclined:
		next := map[string][2]string{
			vocab.StockReserved:   {vocab.StatusPlaced, vocab.OrderReserved},
			vocab.StockRejected:   {vocab.StatusPlaced, vocab.OrderRejected},
			vocab.PaymentCharged:  {vocab.StatusReserved, vocab.OrderCharged},
			vocab.PaymentDeclined: {vocab.StatusReserved, vocab.OrderDeclined},
		}[ref.Type]
		if o.status != next[0] {
			return "", nil // the event does not fit the status: ignored
		}
		return one("order-"+o.key, next[1])
	case vocab.ServiceProjector + "/" + ref.Type:
		if s := vocab.StatusOf(ref.Type); s != "" {
			g.proj[o.key] = s
		}
	}
	return "", nil
}
