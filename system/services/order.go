package services

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Order is the order aggregate's state.
type Order struct {
	Key      string `json:"key"`
	Customer string `json:"customer"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Amount   int    `json:"amount"`
	Status   string `json:"status"`
	// Terminals counts terminal events seen: more than one is a broken stream
	// (it can only happen without optimistic concurrency).
	Terminals int `json:"terminals,omitempty"`
}

// NewOrder is the state of an order that does not exist.
func NewOrder() *Order { return &Order{Status: vocab.StatusNone} }

// Apply evolves the order by one of its events.
func (o *Order) Apply(typ string, d Data) {
	if typ == vocab.OrderPlaced {
		o.Key, o.Customer, o.SKU, o.Qty, o.Amount = d.Order, d.Customer, d.SKU, d.Qty, d.Amount
	}
	if s := vocab.StatusOf(typ); s != "" {
		o.Status = s
		if vocab.Terminal(s) {
			o.Terminals++
		}
	}
}

func (o *Order) data() Data {
	return Data{Order: o.Key, Customer: o.Customer, SKU: o.SKU, Qty: o.Qty, Amount: o.Amount}
}

// Command errors: a rejected command writes nothing.
var (
	ErrNotFound       = errors.New(vocab.ErrNotFound)
	ErrNotCancellable = errors.New(vocab.ErrNotCancellable)
	ErrDuplicateID    = errors.New(vocab.ErrDuplicateID)
)

// InvalidError is a command rejected by validation.
type InvalidError struct{ Reason string }

func (e *InvalidError) Error() string { return vocab.ErrInvalid + ": " + e.Reason }

var (
	orderKey    = regexp.MustCompile(`^o-[0-9]{1,9}$`)
	customerKey = regexp.MustCompile(`^c-[0-9]{1,9}$`)
	skuKey      = regexp.MustCompile(`^s-[0-9]{1,9}$`)
)

// Limits on command values.
const (
	QtyMax    = 1000
	AmountMax = 1_000_000
)

// Place decides a place-order command on the order's current state.
func Place(o *Order, key, customer, sku string, qty, amount int) (Emit, error) {
	switch {
	case !orderKey.MatchString(key):
		return Emit{}, &InvalidError{fmt.Sprintf("order id %q is not o-<n>", key)}
	case !customerKey.MatchString(customer):
		return Emit{}, &InvalidError{fmt.Sprintf("customer %q is not c-<n>", customer)}
	case !skuKey.MatchString(sku):
		return Emit{}, &InvalidError{fmt.Sprintf("sku %q is not s-<n>", sku)}
	case qty < 1 || qty > QtyMax:
		return Emit{}, &InvalidError{fmt.Sprintf("qty %d not in 1..%d", qty, QtyMax)}
	case amount < 1 || amount > AmountMax || amount%qty != 0:
		return Emit{}, &InvalidError{fmt.Sprintf("amount %d not in 1..%d or not a multiple of qty %d", amount, AmountMax, qty)}
	case o.Status != vocab.StatusNone:
		return Emit{}, ErrDuplicateID
	}
	return Emit{vocab.OrderPlaced, Data{Order: key, Customer: customer, SKU: sku, Qty: qty, Amount: amount}}, nil
}

// Cancel decides a cancel command.
func Cancel(o *Order) (Emit, error) {
	switch {
	case o.Status == vocab.StatusNone:
		return Emit{}, ErrNotFound
	case !vocab.Cancellable(o.Status):
		return Emit{}, ErrNotCancellable
	}
	return Emit{vocab.OrderCancelled, o.data()}, nil
}

// OrdersReact decides the orders service's reaction to another service's
// event about this order: the saga's next step, or nothing when the event
// does not fit the order's status (e.g. a charge for a cancelled order,
// which the payment service refunds on the cancel).
func OrdersReact(o *Order, typ string) []Emit {
	next := map[string][2]string{
		vocab.StockReserved:   {vocab.StatusPlaced, vocab.OrderReserved},
		vocab.StockRejected:   {vocab.StatusPlaced, vocab.OrderRejected},
		vocab.PaymentCharged:  {vocab.StatusReserved, vocab.OrderCharged},
		vocab.PaymentDeclined: {vocab.StatusReserved, vocab.OrderDeclined},
		vocab.ShipmentShipped: {vocab.StatusCharged, vocab.OrderShipped},
	}[typ]
	if next[0] == "" || o.Status != next[0] {
		return nil
	}
	out := []Emit{{next[1], o.data()}}
	if next[1] == vocab.OrderShipped {
		out = append(out, Emit{vocab.OrderCompleted, o.data()})
	}
	return out
}
