package services

import "github.com/jepsen-lite/jepsen-lite/vocab"

// State is an aggregate state that events evolve.
type State interface {
	Apply(typ string, d Data)
}

// Reactor is a service's core as a consumer, in a form the runtime can drive
// without knowing the service: which event types it reacts to, which stream
// decides the reaction, and the reaction itself.
type Reactor struct {
	Service string
	// MaxSchema is the newest event schema this service's release reads.
	MaxSchema int
	// Types are the event types the service reacts to; others are handled
	// (recorded) with no effect and are not decoded.
	Types    map[string]bool
	Target   func(typ string, d Data) string
	NewState func(stream string) State
	React    func(s State, typ string, d Data) []Emit
	// DeadLetter, when set, is the compensation for an event given up on:
	// the events to append to DeadLetterStream so that the saga still ends.
	DeadLetter       func(typ string, d Data, order, reason string) []Emit
	DeadLetterStream string
}

// NewState returns the empty state of any stream by its prefix.
func NewState(stream string) State {
	switch {
	case len(stream) > 6 && stream[:6] == "order-":
		return NewOrder()
	case len(stream) > 4 && stream[:4] == "sku-":
		return NewSKU()
	case len(stream) > 5 && stream[:5] == "acct-":
		return NewAccount()
	}
	return NewShipment()
}

// Reactors returns the consumer cores of the services that react to events
// (the projector is driven separately). noCompensation is the bug switch.
func Reactors(noCompensation bool) map[string]Reactor {
	inv := Inventory{NoCompensation: noCompensation}
	return map[string]Reactor{
		vocab.ServiceOrders: {
			Service: vocab.ServiceOrders, MaxSchema: 3, NewState: NewState,
			Types:  set(vocab.StockReserved, vocab.StockRejected, vocab.PaymentCharged, vocab.PaymentDeclined, vocab.ShipmentShipped),
			Target: Orders{}.Target,
			React:  func(s State, t string, d Data) []Emit { return Orders{}.React(s.(*Order), t, d) },
		},
		vocab.ServiceInventory: {
			Service: vocab.ServiceInventory, MaxSchema: CurrentSchema, NewState: NewState,
			Types:  set(vocab.OrderPlaced, vocab.OrderDeclined, vocab.OrderCancelled),
			Target: inv.Target,
			React:  func(s State, t string, d Data) []Emit { return inv.React(s.(*SKU), t, d) },
			DeadLetter: func(t string, _ Data, order, reason string) []Emit {
				if t != vocab.OrderPlaced {
					return nil
				}
				return []Emit{DeadLettered(order, reason)}
			},
			DeadLetterStream: SKUStream("dlq"),
		},
		vocab.ServicePayment: {
			Service: vocab.ServicePayment, MaxSchema: CurrentSchema, NewState: NewState,
			Types:  set(vocab.OrderReserved, vocab.OrderCancelled),
			Target: Payment{}.Target,
			React:  func(s State, t string, d Data) []Emit { return Payment{}.React(s.(*Account), t, d) },
		},
		vocab.ServiceShipping: {
			Service: vocab.ServiceShipping, MaxSchema: CurrentSchema, NewState: NewState,
			Types:  set(vocab.OrderCharged),
			Target: Shipping{}.Target,
			React:  func(s State, t string, d Data) []Emit { return Shipping{}.React(s.(*Shipment), t, d) },
		},
	}
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
