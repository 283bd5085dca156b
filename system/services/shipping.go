package services

import "github.com/jepsen-lite/jepsen-lite/vocab"

// Shipment is the shipping aggregate of one order.
type Shipment struct {
	Shipped int `json:"shipped"` // shipments made; more than one is a duplicate effect
}

// NewShipment is the state of a shipment with no events.
func NewShipment() *Shipment { return &Shipment{} }

// Apply evolves the shipment by one of its events.
func (s *Shipment) Apply(typ string, _ Data) {
	if typ == vocab.ShipmentShipped {
		s.Shipped++
	}
}

// Shipping is the shipping service's core.
type Shipping struct{}

// Target names the shipment stream an order event concerns, "" if none.
func (Shipping) Target(typ string, d Data) string {
	if typ == vocab.OrderCharged {
		return ShipStream(d.Order)
	}
	return ""
}

// React ships a charged order. Like the other services it trusts the dedup
// record: a redelivered OrderCharged without dedup ships twice.
func (Shipping) React(_ *Shipment, typ string, d Data) []Emit {
	if typ == vocab.OrderCharged {
		return []Emit{{vocab.ShipmentShipped, Data{Order: d.Order}}}
	}
	return nil
}

// Orders is the orders service's core as a consumer.
type Orders struct{}

// Target names the order stream another service's event concerns.
func (Orders) Target(typ string, d Data) string {
	switch typ {
	case vocab.StockReserved, vocab.StockRejected, vocab.PaymentCharged, vocab.PaymentDeclined, vocab.ShipmentShipped:
		return OrderStream(d.Order)
	}
	return ""
}

// React decides the order's next saga step.
func (Orders) React(o *Order, typ string, _ Data) []Emit { return OrdersReact(o, typ) }
