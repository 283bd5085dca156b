package services

import (
	"errors"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// orderIn returns an order that went through the given events.
func orderIn(types ...string) *Order {
	o := NewOrder()
	for _, typ := range types {
		o.Apply(typ, Data{Order: "o-1", Customer: "c-1", SKU: "s-1", Qty: 2, Amount: 20})
	}
	return o
}

func TestPlaceRejectsInvalidCommands(t *testing.T) {
	cases := []struct {
		name               string
		key, customer, sku string
		qty, amount        int
		reasonHas          string
	}{
		{"bad order id", "order-1", "c-1", "s-1", 1, 10, "order id"},
		{"empty order id", "", "c-1", "s-1", 1, 10, "order id"},
		{"order id with suffix", "o-1x", "c-1", "s-1", 1, 10, "order id"},
		{"bad customer", "o-1", "cust-1", "s-1", 1, 10, "customer"},
		{"bad sku", "o-1", "c-1", "sku", 1, 10, "sku"},
		{"qty 0", "o-1", "c-1", "s-1", 0, 10, "qty 0"},
		{"qty negative", "o-1", "c-1", "s-1", -2, 10, "qty -2"},
		{"qty over max", "o-1", "c-1", "s-1", QtyMax + 1, QtyMax + 1, "qty"},
		{"amount 0", "o-1", "c-1", "s-1", 1, 0, "amount 0"},
		{"amount over max", "o-1", "c-1", "s-1", 1, AmountMax + 1, "amount"},
		{"amount not multiple of qty", "o-1", "c-1", "s-1", 3, 10, "multiple of qty 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			emit, err := Place(NewOrder(), c.key, c.customer, c.sku, c.qty, c.amount)
			var ie *InvalidError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want *InvalidError", err)
			}
			if !strings.Contains(ie.Reason, c.reasonHas) {
				t.Errorf("reason %q does not mention %q", ie.Reason, c.reasonHas)
			}
			if !strings.HasPrefix(err.Error(), vocab.ErrInvalid+": ") {
				t.Errorf("error %q lacks the %q prefix clients see", err, vocab.ErrInvalid)
			}
			if emit != (Emit{}) {
				t.Errorf("a rejected command decided an event: %+v", emit)
			}
		})
	}
}

func TestPlaceAcceptsBoundsAndRejectsDuplicateID(t *testing.T) {
	emit, err := Place(NewOrder(), "o-7", "c-2", "s-3", QtyMax, QtyMax)
	if err != nil {
		t.Fatalf("Place at qty=QtyMax: %v", err)
	}
	want := Emit{vocab.OrderPlaced, Data{Order: "o-7", Customer: "c-2", SKU: "s-3", Qty: QtyMax, Amount: QtyMax}}
	if emit != want {
		t.Errorf("emit = %+v, want %+v", emit, want)
	}
	if _, err := Place(NewOrder(), "o-7", "c-2", "s-3", 1, AmountMax); err != nil {
		t.Errorf("Place at amount=AmountMax: %v", err)
	}
	for _, st := range []string{vocab.OrderPlaced, vocab.OrderCancelled, vocab.OrderCompleted} {
		o := orderIn(vocab.OrderPlaced, st)
		emit, err := Place(o, "o-1", "c-1", "s-1", 1, 10)
		if !errors.Is(err, ErrDuplicateID) || emit != (Emit{}) {
			t.Errorf("Place on an order in status %s: %+v, %v, want no event and ErrDuplicateID", o.Status, emit, err)
		}
	}
}

func TestCancelDecisions(t *testing.T) {
	cases := []struct {
		events []string
		err    error
	}{
		{nil, ErrNotFound},
		{[]string{vocab.OrderPlaced}, nil},
		{[]string{vocab.OrderPlaced, vocab.OrderReserved}, nil},
		{[]string{vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderCharged}, ErrNotCancellable},
		{[]string{vocab.OrderPlaced, vocab.OrderRejected}, ErrNotCancellable},
		{[]string{vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderDeclined}, ErrNotCancellable},
		{[]string{vocab.OrderPlaced, vocab.OrderCancelled}, ErrNotCancellable},
		{[]string{vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderCharged, vocab.OrderShipped, vocab.OrderCompleted}, ErrNotCancellable},
	}
	for _, c := range cases {
		o := orderIn(c.events...)
		emit, err := Cancel(o)
		if !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("Cancel in %s: err = %v, want %v", o.Status, err, c.err)
			continue
		}
		if c.err != nil {
			if emit != (Emit{}) {
				t.Errorf("Cancel in %s was refused but decided %+v", o.Status, emit)
			}
			continue
		}
		// The cancel carries the order's details for the compensations.
		want := Emit{vocab.OrderCancelled, Data{Order: "o-1", Customer: "c-1", SKU: "s-1", Qty: 2, Amount: 20}}
		if emit != want {
			t.Errorf("Cancel in %s = %+v, want %+v", o.Status, emit, want)
		}
	}
	if ErrNotFound.Error() != vocab.ErrNotFound || ErrNotCancellable.Error() != vocab.ErrNotCancellable {
		t.Error("command errors must read as the history's error names")
	}
}

func TestOrderApplyStatusTransitions(t *testing.T) {
	o := NewOrder()
	if o.Status != vocab.StatusNone {
		t.Fatalf("new order status = %q, want none", o.Status)
	}
	o.Apply(vocab.OrderPlaced, Data{Order: "o-3", Customer: "c-4", SKU: "s-5", Qty: 6, Amount: 42})
	if *o != (Order{Key: "o-3", Customer: "c-4", SKU: "s-5", Qty: 6, Amount: 42, Status: vocab.StatusPlaced}) {
		t.Errorf("after OrderPlaced: %+v", *o)
	}
	steps := []struct{ typ, status string }{
		{vocab.OrderReserved, vocab.StatusReserved},
		{vocab.StockReserved, vocab.StatusReserved}, // not an order event: no change
		{vocab.OrderCharged, vocab.StatusCharged},
		{vocab.OrderShipped, vocab.StatusShipped},
		{vocab.OrderCompleted, vocab.StatusCompleted},
	}
	for _, s := range steps {
		o.Apply(s.typ, Data{Order: "o-3"})
		if o.Status != s.status {
			t.Errorf("after %s: status %q, want %q", s.typ, o.Status, s.status)
		}
	}
	if o.Amount != 42 || o.SKU != "s-5" {
		t.Errorf("later events overwrote the order's details: %+v", *o)
	}
	if o.Terminals != 1 {
		t.Errorf("Terminals = %d, want 1", o.Terminals)
	}
	// A second terminal (only possible without OCC) is counted.
	o.Apply(vocab.OrderCancelled, Data{})
	if o.Terminals != 2 || o.Status != vocab.StatusCancelled {
		t.Errorf("after a second terminal: %+v, want Terminals 2 status cancelled", *o)
	}
}

func TestOrdersReactFollowsTheSaga(t *testing.T) {
	placed := []string{vocab.OrderPlaced}
	reserved := []string{vocab.OrderPlaced, vocab.OrderReserved}
	charged := []string{vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderCharged}
	cancelled := []string{vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderCancelled}
	cases := []struct {
		name   string
		events []string
		typ    string
		want   []string
	}{
		{"reserved on placed", placed, vocab.StockReserved, []string{vocab.OrderReserved}},
		{"rejected on placed", placed, vocab.StockRejected, []string{vocab.OrderRejected}},
		{"charged on reserved", reserved, vocab.PaymentCharged, []string{vocab.OrderCharged}},
		{"declined on reserved", reserved, vocab.PaymentDeclined, []string{vocab.OrderDeclined}},
		{"shipped on charged", charged, vocab.ShipmentShipped, []string{vocab.OrderShipped, vocab.OrderCompleted}},
		{"charge for a cancelled order", cancelled, vocab.PaymentCharged, nil},
		{"stock reserved for a cancelled order", cancelled, vocab.StockReserved, nil},
		{"redelivered StockReserved on reserved", reserved, vocab.StockReserved, nil},
		{"charge before reservation", placed, vocab.PaymentCharged, nil},
		{"shipment on reserved", reserved, vocab.ShipmentShipped, nil},
		{"event for an unknown order", nil, vocab.StockReserved, nil},
		{"not a saga event", placed, vocab.StockRestocked, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := orderIn(c.events...)
			got := OrdersReact(o, c.typ)
			var types []string
			for _, e := range got {
				types = append(types, e.Type)
				if e.Data.Order != "o-1" || e.Data.Amount != 20 || e.Data.SKU != "s-1" {
					t.Errorf("%s carries %+v, want the order's details", e.Type, e.Data)
				}
			}
			if strings.Join(types, ",") != strings.Join(c.want, ",") {
				t.Errorf("OrdersReact(%s, %s) = %v, want %v", o.Status, c.typ, types, c.want)
			}
			if (Orders{}).Target(c.typ, Data{Order: "o-1"}) == "" && c.want != nil {
				t.Errorf("Orders.Target(%s) is empty for an event it reacts to", c.typ)
			}
		})
	}
	if got := (Orders{}).Target(vocab.StockReserved, Data{Order: "o-9"}); got != "order-o-9" {
		t.Errorf("Orders.Target = %q, want order-o-9", got)
	}
}
