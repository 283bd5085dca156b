package saga

import "github.com/jepsen-lite/jepsen-lite/vocab"

// This file holds the derived state of OrderSaga.tla: what a service reads
// back from the event store. Each function is the TLA+ operator of the same
// name, computed from the log as the services rebuild it.

// Ver is TLA+ Ver(s): the current version of stream s (0 = empty).
func (s State) Ver(stream string) int {
	n := 0
	for _, e := range s.Log {
		if e.Agg == stream {
			n++
		}
	}
	return n
}

// Status is TLA+ Status(o): the order's status from its stream (the last
// order event's), "none" when nothing is stored.
func (s State) Status(o string) string {
	stream := OrderStream(o)
	for i := len(s.Log) - 1; i >= 0; i-- {
		if s.Log[i].Agg == stream {
			return statusOf[s.Log[i].Type]
		}
	}
	return vocab.StatusNone
}

// Placed is TLA+ Placed(o): the order's stream is not empty.
func (s State) Placed(o string) bool { return s.Ver(OrderStream(o)) > 0 }

// sum is TLA+ SumOf(t) (order "") or SumFor(t, o).
func (s State) sum(t, order string) int {
	n := 0
	for _, e := range s.Log {
		if e.Type == t && (order == "" || e.Order == order) {
			n += e.N
		}
	}
	return n
}

// Stock is TLA+ Stock: the stock of s-1.
func (s State) Stock() int {
	return s.Stock0 + s.sum(vocab.StockReleased, "") - s.sum(vocab.StockReserved, "")
}

// Reserved is TLA+ Reserved(o): the stock reserved for o.
func (s State) Reserved(o string) int {
	return s.sum(vocab.StockReserved, o) - s.sum(vocab.StockReleased, o)
}

// Balance is TLA+ Balance: the balance of c-1.
func (s State) Balance() int {
	return s.Bal0 + s.sum(vocab.PaymentRefunded, "") - s.sum(vocab.PaymentCharged, "")
}

// Charged is TLA+ Charged(o): what o was charged, net of refunds.
func (s State) Charged(o string) int {
	return s.sum(vocab.PaymentCharged, o) - s.sum(vocab.PaymentRefunded, o)
}

// event returns log[id] (1-based), false when id is not in DOMAIN log.
func (s State) event(id int) (Event, bool) {
	if id < 1 || id > len(s.Log) {
		return Event{}, false
	}
	return s.Log[id-1], true
}

// beforeHandled is TLA+ "Before(c, id) \subseteq handled[c]": c handled
// every earlier event of id's stream that it is sent.
func (s State) beforeHandled(c, id int) bool {
	e := s.Log[id-1]
	for j, x := range s.Log {
		if x.Agg == e.Agg && x.Ver < e.Ver && reacts[c][x.Type] && !s.Handled[c].Has(j+1) {
			return false
		}
	}
	return true
}

// IsDup is TLA+ IsDup(c, id): handled before, so a duplicate (never with
// no-dedup).
func (s State) IsDup(cfg Config, c, id int) bool {
	return !cfg.is(vocab.BugNoDedup) && s.Handled[c].Has(id)
}

// InOrder is TLA+ InOrder(c, id): id's predecessors (that c is sent) are
// handled (always with unordered-apply).
func (s State) InOrder(cfg Config, c, id int) bool {
	return cfg.is(vocab.BugUnorderedApply) || s.beforeHandled(c, id)
}

// Known is TLA+ Known(o): the latest status the client itself knows of.
func (s State) Known(cfg Config, oi int) string {
	switch {
	case s.CancelOp[oi] == OpOK:
		return vocab.StatusCancelled
	case s.ReadsLeft[oi] < cfg.MaxRead:
		return s.ReadObs[oi].Got
	case cfg.Mutation == "known-none":
		return vocab.StatusNone
	}
	return vocab.StatusPlaced
}

// Deliverable is TLA+ Deliverable: some consumer could still handle
// something on its bus (partitions aside).
func (s State) Deliverable(cfg Config) bool {
	for c := range NumConsumers {
		for _, id := range s.Bus[c] {
			if s.IsDup(cfg, c, id) || s.InOrder(cfg, c, id) {
				return true
			}
		}
	}
	return false
}

// Quiet is TLA+ Quiet: nothing can be handled any more and no command or
// reaction is half done.
func (s State) Quiet(cfg Config) bool {
	if s.Deliverable(cfg) || !s.OrdersWork.None() {
		return false
	}
	for i := range s.WB {
		if s.WB[i] || s.CancelOp[i] == OpPending {
			return false
		}
	}
	return true
}
