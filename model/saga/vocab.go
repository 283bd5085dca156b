package saga

import "github.com/jepsen-lite/jepsen-lite/vocab"

// Consumer indexes: the TLA+ set Consumers, in vocab.Services order. Every
// per-consumer variable of a State is an array indexed by these.
const (
	COrders = iota
	CInventory
	CPayment
	CShipping
	CProjector
	NumConsumers
)

// Consumers are the consumer (service) names by index.
var Consumers = [NumConsumers]string{vocab.ServiceOrders, vocab.ServiceInventory,
	vocab.ServicePayment, vocab.ServiceShipping, vocab.ServiceProjector}

// ConsumerIndex returns the index of a consumer name, -1 if it is none.
func ConsumerIndex(name string) int {
	for i, c := range Consumers {
		if c == name {
			return i
		}
	}
	return -1
}

// EventTypes is the TLA+ set EventTypes (OrderEvents first); an event
// type's index here is its code in State.Key.
var EventTypes = []string{
	vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderRejected, vocab.OrderCharged,
	vocab.OrderDeclined, vocab.OrderShipped, vocab.OrderCompleted, vocab.OrderCancelled,
	vocab.StockReserved, vocab.StockRejected, vocab.StockReleased,
	vocab.PaymentCharged, vocab.PaymentDeclined, vocab.PaymentRefunded,
	vocab.ShipmentShipped,
}

// statusOf is the TLA+ StatusOf: the status an order event leads to; "" for
// other event types.
var statusOf = map[string]string{
	vocab.OrderPlaced:    vocab.StatusPlaced,
	vocab.OrderReserved:  vocab.StatusReserved,
	vocab.OrderRejected:  vocab.StatusRejected,
	vocab.OrderCharged:   vocab.StatusCharged,
	vocab.OrderDeclined:  vocab.StatusDeclined,
	vocab.OrderShipped:   vocab.StatusShipped,
	vocab.OrderCompleted: vocab.StatusCompleted,
	vocab.OrderCancelled: vocab.StatusCancelled,
}

// isOrderEvent is TLA+ "t \in OrderEvents".
func isOrderEvent(t string) bool { return statusOf[t] != "" }

// isTerminal is TLA+ "s \in Terminal".
func isTerminal(s string) bool {
	switch s {
	case vocab.StatusCompleted, vocab.StatusRejected, vocab.StatusDeclined, vocab.StatusCancelled:
		return true
	}
	return false
}

// isCancellable is TLA+ "s \in Cancellable".
func isCancellable(s string) bool {
	return s == vocab.StatusPlaced || s == vocab.StatusReserved
}

// reacts is TLA+ Reacts(c): the event types consumer c is sent.
var reacts = [NumConsumers]map[string]bool{
	COrders: {vocab.StockReserved: true, vocab.StockRejected: true, vocab.PaymentCharged: true,
		vocab.PaymentDeclined: true, vocab.ShipmentShipped: true},
	CInventory: {vocab.OrderPlaced: true, vocab.OrderDeclined: true, vocab.OrderCancelled: true},
	CPayment:   {vocab.OrderReserved: true, vocab.OrderCancelled: true},
	CShipping:  {vocab.OrderCharged: true},
	CProjector: {vocab.OrderPlaced: true, vocab.OrderReserved: true, vocab.OrderRejected: true,
		vocab.OrderCharged: true, vocab.OrderDeclined: true, vocab.OrderShipped: true,
		vocab.OrderCompleted: true, vocab.OrderCancelled: true},
}

// Reacts reports TLA+ "t \in Reacts(c)" (c a consumer index).
func Reacts(c int, t string) bool { return reacts[c][t] }

// Streams (PROTOCOL.md "Keys and streams").
const (
	SkuStream  = "sku-s-1"
	AcctStream = "acct-c-1"
)

// OrderStream is TLA+ OrderStream(o).
func OrderStream(o string) string { return "order-" + o }

// ShipStream is TLA+ ShipStream(o).
func ShipStream(o string) string { return "ship-" + o }

// reach is TLA+ Reach(s): the statuses a reader may observe later than s
// (reflexive and transitive); statuses not listed reach only themselves.
var reach = map[string][]string{
	vocab.StatusNone: vocab.Statuses,
	vocab.StatusPlaced: {vocab.StatusPlaced, vocab.StatusReserved, vocab.StatusCharged,
		vocab.StatusShipped, vocab.StatusCompleted, vocab.StatusRejected, vocab.StatusDeclined,
		vocab.StatusCancelled},
	vocab.StatusReserved: {vocab.StatusReserved, vocab.StatusCharged, vocab.StatusShipped,
		vocab.StatusCompleted, vocab.StatusDeclined, vocab.StatusCancelled},
	vocab.StatusCharged: {vocab.StatusCharged, vocab.StatusShipped, vocab.StatusCompleted},
	vocab.StatusShipped: {vocab.StatusShipped, vocab.StatusCompleted},
}

// Reach reports TLA+ "g \in Reach(s)".
func Reach(s, g string) bool {
	r, ok := reach[s]
	if !ok {
		return g == s
	}
	for _, x := range r {
		if x == g {
			return true
		}
	}
	return false
}
