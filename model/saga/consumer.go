package saga

import "github.com/jepsen-lite/jepsen-lite/vocab"

// This file holds the consumers of OrderSaga.tla and the services' pure
// cores (event -> emits).

// inventoryReact is TLA+ InventoryReact(e).
func (s State) inventoryReact(cfg Config, e Event) []Emit {
	switch {
	case e.Type == vocab.OrderPlaced:
		ok := s.Stock() >= cfg.Qty
		if cfg.Mutation == "inventory-strict-stock" {
			ok = s.Stock() > cfg.Qty
		}
		if ok {
			return []Emit{{Type: vocab.StockReserved, Order: e.Order, N: cfg.Qty}}
		}
		return []Emit{{Type: vocab.StockRejected, Order: e.Order, N: cfg.Qty}}
	case e.Type == vocab.OrderDeclined && cfg.is(vocab.BugNoCompensation):
		return nil
	case e.Type == vocab.OrderDeclined || e.Type == vocab.OrderCancelled:
		if r := s.Reserved(e.Order); r > 0 {
			return []Emit{{Type: vocab.StockReleased, Order: e.Order, N: r}}
		}
	}
	return nil
}

// paymentReact is TLA+ PaymentReact(e).
func (s State) paymentReact(cfg Config, e Event) []Emit {
	switch e.Type {
	case vocab.OrderReserved:
		if s.Balance() >= cfg.Amount {
			return []Emit{{Type: vocab.PaymentCharged, Order: e.Order, N: cfg.Amount}}
		}
		return []Emit{{Type: vocab.PaymentDeclined, Order: e.Order, N: cfg.Amount}}
	case vocab.OrderCancelled:
		if c := s.Charged(e.Order); c > 0 {
			return []Emit{{Type: vocab.PaymentRefunded, Order: e.Order, N: c}}
		}
	}
	return nil
}

// shippingReact is TLA+ ShippingReact(e).
func shippingReact(e Event) []Emit {
	if e.Type == vocab.OrderCharged {
		return []Emit{{Type: vocab.ShipmentShipped, Order: e.Order}}
	}
	return nil
}

// ordersReact is TLA+ OrdersReact(e, s): the saga's next step, or nothing
// when the event does not fit the order's status.
func ordersReact(e Event, status string) []Emit {
	o := e.Order
	em := func(t string) Emit { return Emit{Type: t, Order: o} }
	switch {
	case e.Type == vocab.StockReserved && status == vocab.StatusPlaced:
		return []Emit{em(vocab.OrderReserved)}
	case e.Type == vocab.StockRejected && status == vocab.StatusPlaced:
		return []Emit{em(vocab.OrderRejected)}
	case e.Type == vocab.PaymentCharged && status == vocab.StatusReserved:
		return []Emit{em(vocab.OrderCharged)}
	case e.Type == vocab.PaymentDeclined && status == vocab.StatusReserved:
		return []Emit{em(vocab.OrderDeclined)}
	case e.Type == vocab.ShipmentShipped && status == vocab.StatusCharged:
		return []Emit{em(vocab.OrderShipped), em(vocab.OrderCompleted)}
	}
	return nil
}

// target is TLA+ Target(c, e): the stream a consumer's reaction goes to.
func target(c int, e Event) string {
	switch c {
	case CInventory:
		return SkuStream
	case CPayment:
		return AcctStream
	case CShipping:
		return ShipStream(e.Order)
	}
	return OrderStream(e.Order)
}

// DeliverEv is TLA+ DeliverEv(c, id): inventory, payment, shipping or the
// projector takes id off the bus and handles it in one atomic step:
// duplicate -> skip and commit; early -> not enabled; otherwise apply the
// effect with the dedup record and commit.
func DeliverEv(cfg Config, s State, consumer string, id int) (State, bool) {
	c := ConsumerIndex(consumer)
	if c < 0 || c == COrders || s.Parted[c] || !s.Bus[c].Has(id) {
		return s, false
	}
	e, ok := s.event(id)
	if !ok {
		return s, false
	}
	if s.IsDup(cfg, c, id) {
		s.drop(c, id)
		return s, true
	}
	if !s.InOrder(cfg, c, id) {
		return s, false
	}
	s.Handled[c] = s.Handled[c].With(id)
	if c == CProjector {
		s.Projection = setAt(s.Projection, cfg.orderIndex(e.Order), statusOf[e.Type])
		s.drop(c, id)
		return s, true
	}
	var emits []Emit
	switch c {
	case CInventory:
		emits = s.inventoryReact(cfg, e)
	case CPayment:
		emits = s.paymentReact(cfg, e)
	default:
		emits = shippingReact(e)
	}
	evs := s.NewEvents(target(c, e), emits, id)
	s.drop(c, id)
	s.appendPublish(evs)
	return s, true
}

// OrdersDecideEv is TLA+ OrdersDecideEv(id): the orders consumer takes id
// off the bus and decides on the order's current state. A duplicate, or a
// reaction with no effect, is finished at once; an effect waits in
// OrdersWork for OrdersAppend.
func OrdersDecideEv(cfg Config, s State, id int) (State, bool) {
	if s.Parted[COrders] || !s.OrdersWork.None() || !s.Bus[COrders].Has(id) {
		return s, false
	}
	e, ok := s.event(id)
	if !ok {
		return s, false
	}
	if s.IsDup(cfg, COrders, id) {
		s.drop(COrders, id)
		return s, true
	}
	if !s.InOrder(cfg, COrders, id) {
		return s, false
	}
	emits := ordersReact(e, s.Status(e.Order))
	if len(emits) == 0 {
		s.Handled[COrders] = s.Handled[COrders].With(id)
		s.drop(COrders, id)
		return s, true
	}
	s.OrdersWork = Work{ID: id, Ver: s.Ver(OrderStream(e.Order)), Emits: emits}
	return s, true
}

// OrdersAppend is TLA+ OrdersAppend: append the decided reaction with the
// expected version, atomically with the dedup record, and commit; on a
// conflict drop the decision. no-occ: the version is not checked.
func OrdersAppend(cfg Config, s State) (State, bool) {
	w := s.OrdersWork
	if w.None() {
		return s, false
	}
	o := s.Log[w.ID-1].Order
	if cfg.is(vocab.BugNoOCC) || s.Ver(OrderStream(o)) == w.Ver {
		evs := s.NewEvents(OrderStream(o), w.Emits, w.ID)
		s.Handled[COrders] = s.Handled[COrders].With(w.ID)
		s.drop(COrders, w.ID)
		s.appendPublish(evs)
	}
	s.OrdersWork = Work{}
	return s, true
}
