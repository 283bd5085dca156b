package services

import (
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// SKU is the inventory aggregate: stock on hand and active reservations.
type SKU struct {
	Stock    int            `json:"stock"`
	Reserved map[string]int `json:"reserved,omitempty"` // order -> qty reserved and not released
}

// NewSKU is the state of a SKU with no events.
func NewSKU() *SKU { return &SKU{Reserved: map[string]int{}} }

// Apply evolves the SKU by one of its events.
func (s *SKU) Apply(typ string, d Data) {
	switch typ {
	case vocab.StockRestocked:
		s.Stock += d.Qty
	case vocab.StockReserved:
		s.Stock -= d.Qty
		s.Reserved[d.Order] += d.Qty
	case vocab.StockReleased:
		s.Stock += d.Qty
		s.Reserved[d.Order] -= d.Qty
		if s.Reserved[d.Order] <= 0 {
			delete(s.Reserved, d.Order)
		}
	}
}

// Restock decides a restock command.
func Restock(sku string, qty int) (Emit, error) {
	if !skuKey.MatchString(sku) {
		return Emit{}, &InvalidError{fmt.Sprintf("sku %q is not s-<n>", sku)}
	}
	if qty < 1 || qty > QtyMax {
		return Emit{}, &InvalidError{fmt.Sprintf("qty %d not in 1..%d", qty, QtyMax)}
	}
	return Emit{vocab.StockRestocked, Data{SKU: sku, Qty: qty}}, nil
}

// Inventory is the inventory service's core. NoCompensation is the bug
// switch that forgets to release stock for a declined payment.
type Inventory struct{ NoCompensation bool }

// Target names the SKU stream an order event concerns, "" if none. The
// inventory trusts the dedup record for exactly-once: reserving is not
// idempotent by itself.
func (Inventory) Target(typ string, d Data) string {
	switch typ {
	case vocab.OrderPlaced, vocab.OrderDeclined, vocab.OrderCancelled:
		return SKUStream(d.SKU)
	}
	return ""
}

// React decides the inventory's events for an order event.
func (inv Inventory) React(s *SKU, typ string, d Data) []Emit {
	sd := Data{Order: d.Order, SKU: d.SKU, Qty: d.Qty}
	switch typ {
	case vocab.OrderPlaced:
		if s.Stock >= d.Qty {
			return []Emit{{vocab.StockReserved, sd}}
		}
		sd.Reason = "out-of-stock"
		return []Emit{{vocab.StockRejected, sd}}
	case vocab.OrderDeclined:
		if inv.NoCompensation {
			return nil
		}
		fallthrough
	case vocab.OrderCancelled:
		if q := s.Reserved[d.Order]; q > 0 {
			sd.Qty = q
			return []Emit{{vocab.StockReleased, sd}}
		}
	}
	return nil
}

// DeadLettered is the inventory's compensation for an OrderPlaced it could
// not read: it rejects the order so that the saga still ends.
func DeadLettered(order, reason string) Emit {
	return Emit{vocab.StockRejected, Data{Order: order, Reason: "dead-lettered: " + reason}}
}
