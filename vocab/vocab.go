// Package vocab is the shared vocabulary of jepsen-lite: the names of events,
// client operations, order statuses, anomalies, bug switches and faults.
//
// It is the one leaf package that system/, model/, checker/, workloads/ and
// faults/ may all import. It holds names and tiny pure helpers only, never
// behaviour: system/ and model/ are independent renditions of the protocol and
// must not share logic (DESIGN.md, independence rules).
package vocab

// Event types of the order saga. Every event carries an event ID, aggregate ID,
// version, type, schema version, correlation ID and causation ID.
const (
	// Order aggregate (stream "order-<id>"), written by the orders service.
	OrderPlaced    = "OrderPlaced"
	OrderReserved  = "OrderReserved"
	OrderRejected  = "OrderRejected" // out of stock: terminal
	OrderCharged   = "OrderCharged"
	OrderDeclined  = "OrderDeclined" // payment declined: terminal, compensation releases stock
	OrderShipped   = "OrderShipped"
	OrderCompleted = "OrderCompleted" // terminal
	OrderCancelled = "OrderCancelled" // terminal, compensation releases stock and refunds

	// SKU aggregate (stream "sku-<id>"), written by the inventory service.
	StockRestocked = "StockRestocked"
	StockReserved  = "StockReserved"
	StockRejected  = "StockRejected"
	StockReleased  = "StockReleased"

	// Account aggregate (stream "acct-<id>"), written by the payment service.
	PaymentCharged  = "PaymentCharged"
	PaymentDeclined = "PaymentDeclined"
	PaymentRefunded = "PaymentRefunded"

	// Shipment aggregate (stream "ship-<order id>"), written by the shipping service.
	ShipmentShipped = "ShipmentShipped"

	// Account aggregate: a deposit (setup phase).
	AccountCredited = "AccountCredited"
)

// Services (nodes) of the reference system. Each is also a consumer group.
const (
	ServiceOrders    = "orders"
	ServiceInventory = "inventory"
	ServicePayment   = "payment"
	ServiceShipping  = "shipping"
	// ServiceProjector maintains the read model (projection) of order statuses.
	ServiceProjector = "projector"
)

// Services lists every service in a fixed order (determinism: never range a map).
var Services = []string{ServiceOrders, ServiceInventory, ServicePayment, ServiceShipping, ServiceProjector}

// Topics of the bus. Each service publishes its aggregates' events to its own topic.
const (
	TopicOrders    = "orders"
	TopicInventory = "inventory"
	TopicPayments  = "payments"
	TopicShipping  = "shipping"
)

// Topics lists every topic in a fixed order.
var Topics = []string{TopicOrders, TopicInventory, TopicPayments, TopicShipping}

// Subscriptions says which topics each service consumes.
var Subscriptions = map[string][]string{
	ServiceOrders:    {TopicInventory, TopicPayments, TopicShipping},
	ServiceInventory: {TopicOrders},
	ServicePayment:   {TopicOrders},
	ServiceShipping:  {TopicOrders},
	ServiceProjector: {TopicOrders},
}

// StreamPrefix, per topic, is the prefix of the streams published there.
var StreamPrefix = map[string]string{
	TopicOrders:    "order-",
	TopicInventory: "sku-",
	TopicPayments:  "acct-",
	TopicShipping:  "ship-",
}

// TopicOf returns the topic a stream's events are published to, "" if none.
func TopicOf(stream string) string {
	for _, t := range Topics {
		p := StreamPrefix[t]
		if len(stream) > len(p) && stream[:len(p)] == p {
			return t
		}
	}
	return ""
}

// Order statuses as returned by reads.
const (
	StatusNone      = "none" // no such order
	StatusPlaced    = "placed"
	StatusReserved  = "reserved"
	StatusCharged   = "charged"
	StatusShipped   = "shipped"
	StatusCompleted = "completed"
	StatusRejected  = "rejected"
	StatusDeclined  = "declined"
	StatusCancelled = "cancelled"
)

// Statuses lists every status in a fixed order; its index is a status's bit in
// bit-set encodings.
var Statuses = []string{StatusNone, StatusPlaced, StatusReserved, StatusCharged,
	StatusShipped, StatusCompleted, StatusRejected, StatusDeclined, StatusCancelled}

// Terminal reports whether a status ends an order's saga.
func Terminal(status string) bool {
	switch status {
	case StatusCompleted, StatusRejected, StatusDeclined, StatusCancelled:
		return true
	}
	return false
}

// Cancellable reports whether a cancel command is accepted in a status.
func Cancellable(status string) bool {
	switch status {
	case StatusPlaced, StatusReserved:
		return true
	}
	return false
}

// StatusOf returns the order status an order event leads to, "" for an
// event of another aggregate.
func StatusOf(eventType string) string {
	switch eventType {
	case OrderPlaced:
		return StatusPlaced
	case OrderReserved:
		return StatusReserved
	case OrderRejected:
		return StatusRejected
	case OrderCharged:
		return StatusCharged
	case OrderDeclined:
		return StatusDeclined
	case OrderShipped:
		return StatusShipped
	case OrderCompleted:
		return StatusCompleted
	case OrderCancelled:
		return StatusCancelled
	}
	return ""
}
