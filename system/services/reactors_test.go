package services

import (
	"errors"
	"reflect"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

var order1 = Data{Order: "o-1", Customer: "c-1", SKU: "s-1", Qty: 3, Amount: 30}

// skuWith returns a SKU restocked with stock and, if reserve > 0, holding a
// reservation of reserve for o-1.
func skuWith(stock, reserve int) *SKU {
	s := NewSKU()
	s.Apply(vocab.StockRestocked, Data{SKU: "s-1", Qty: stock})
	if reserve > 0 {
		s.Apply(vocab.StockReserved, Data{Order: "o-1", SKU: "s-1", Qty: reserve})
	}
	return s
}

func TestInventoryReactReservesOrRejects(t *testing.T) {
	inv := Inventory{}
	got := inv.React(skuWith(3, 0), vocab.OrderPlaced, order1)
	want := []Emit{{vocab.StockReserved, Data{Order: "o-1", SKU: "s-1", Qty: 3}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stock 3, qty 3: %+v, want %+v", got, want)
	}
	got = inv.React(skuWith(2, 0), vocab.OrderPlaced, order1)
	want = []Emit{{vocab.StockRejected, Data{Order: "o-1", SKU: "s-1", Qty: 3, Reason: "out-of-stock"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stock 2, qty 3: %+v, want %+v", got, want)
	}
	if got := inv.Target(vocab.OrderPlaced, order1); got != "sku-s-1" {
		t.Errorf("Target(OrderPlaced) = %q, want sku-s-1", got)
	}
	if got := inv.Target(vocab.OrderReserved, order1); got != "" {
		t.Errorf("Target(OrderReserved) = %q, want none", got)
	}
}

func TestInventoryReleasesOnlyWhatIsReserved(t *testing.T) {
	release := []Emit{{vocab.StockReleased, Data{Order: "o-1", SKU: "s-1", Qty: 3}}}
	cases := []struct {
		name string
		inv  Inventory
		sku  *SKU
		typ  string
		want []Emit
	}{
		{"cancel of a reserved order", Inventory{}, skuWith(5, 3), vocab.OrderCancelled, release},
		{"cancel of an order never reserved", Inventory{}, skuWith(5, 0), vocab.OrderCancelled, nil},
		{"decline releases", Inventory{NoCompensation: false}, skuWith(5, 3), vocab.OrderDeclined, release},
		{"decline with the no-compensation bug", Inventory{NoCompensation: true}, skuWith(5, 3), vocab.OrderDeclined, nil},
		{"cancel with the no-compensation bug still releases", Inventory{NoCompensation: true}, skuWith(5, 3), vocab.OrderCancelled, release},
		{"order events it ignores", Inventory{}, skuWith(5, 3), vocab.OrderCharged, nil},
	}
	for _, c := range cases {
		if got := c.inv.React(c.sku, c.typ, order1); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	// The release gives back the reserved quantity, not the event's.
	got := Inventory{}.React(skuWith(5, 2), vocab.OrderCancelled, order1)
	if len(got) != 1 || got[0].Data.Qty != 2 {
		t.Errorf("release of a 2-unit reservation: %+v, want qty 2", got)
	}
}

func TestSKUApply(t *testing.T) {
	s := skuWith(10, 4)
	if s.Stock != 6 || s.Reserved["o-1"] != 4 {
		t.Fatalf("after restock 10, reserve 4: %+v", *s)
	}
	s.Apply(vocab.StockRejected, Data{Order: "o-2", Qty: 99})
	if s.Stock != 6 {
		t.Errorf("StockRejected changed stock: %d", s.Stock)
	}
	s.Apply(vocab.StockReleased, Data{Order: "o-1", Qty: 4})
	if s.Stock != 10 {
		t.Errorf("after release: stock %d, want 10", s.Stock)
	}
	if _, ok := s.Reserved["o-1"]; ok {
		t.Errorf("a released reservation stays: %+v", s.Reserved)
	}
}

func TestRestockValidation(t *testing.T) {
	if e, err := Restock("s-1", 5); err != nil || e != (Emit{vocab.StockRestocked, Data{SKU: "s-1", Qty: 5}}) {
		t.Errorf("Restock(s-1, 5) = %+v, %v", e, err)
	}
	for _, c := range []struct {
		sku string
		qty int
	}{{"x-1", 5}, {"s-1", 0}, {"s-1", QtyMax + 1}} {
		e, err := Restock(c.sku, c.qty)
		var ie *InvalidError
		if !errors.As(err, &ie) || e != (Emit{}) {
			t.Errorf("Restock(%q, %d) = %+v, %v, want InvalidError and no event", c.sku, c.qty, e, err)
		}
	}
}

// accountWith returns an account with balance deposited and, if charge > 0,
// a charge of it for o-1.
func accountWith(balance, charge int) *Account {
	a := NewAccount()
	a.Apply(vocab.AccountCredited, Data{Customer: "c-1", Amount: balance})
	if charge > 0 {
		a.Apply(vocab.PaymentCharged, Data{Order: "o-1", Customer: "c-1", Amount: charge})
	}
	return a
}

func TestPaymentReact(t *testing.T) {
	pay := Data{Order: "o-1", Customer: "c-1", Amount: 30}
	declined := pay
	declined.Reason = "insufficient-funds"
	cases := []struct {
		name string
		acct *Account
		typ  string
		want []Emit
	}{
		{"charge with exact funds", accountWith(30, 0), vocab.OrderReserved, []Emit{{vocab.PaymentCharged, pay}}},
		{"decline without funds", accountWith(29, 0), vocab.OrderReserved, []Emit{{vocab.PaymentDeclined, declined}}},
		{"refund a charged cancel", accountWith(100, 30), vocab.OrderCancelled, []Emit{{vocab.PaymentRefunded, pay}}},
		{"no refund when never charged", accountWith(100, 0), vocab.OrderCancelled, nil},
		{"ignores other order events", accountWith(100, 30), vocab.OrderShipped, nil},
	}
	for _, c := range cases {
		if got := (Payment{}).React(c.acct, c.typ, order1); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if got := (Payment{}).Target(vocab.OrderReserved, order1); got != "acct-c-1" {
		t.Errorf("Target(OrderReserved) = %q, want acct-c-1", got)
	}
	if got := (Payment{}).Target(vocab.OrderPlaced, order1); got != "" {
		t.Errorf("Target(OrderPlaced) = %q, want none", got)
	}
}

func TestAccountApplyAndDeposit(t *testing.T) {
	a := accountWith(100, 30)
	if a.Balance != 70 || a.Charged["o-1"] != 30 {
		t.Fatalf("after deposit 100, charge 30: %+v", *a)
	}
	a.Apply(vocab.PaymentRefunded, Data{Order: "o-1", Amount: 30})
	if a.Balance != 100 || len(a.Charged) != 0 {
		t.Errorf("after refund: %+v, want balance 100, no charges", *a)
	}
	a.Apply(vocab.PaymentDeclined, Data{Order: "o-2", Amount: 500})
	if a.Balance != 100 {
		t.Errorf("a decline moved money: %+v", *a)
	}
	if e, err := Deposit("c-1", 50); err != nil || e != (Emit{vocab.AccountCredited, Data{Customer: "c-1", Amount: 50}}) {
		t.Errorf("Deposit(c-1, 50) = %+v, %v", e, err)
	}
	for _, amt := range []int{0, AmountMax + 1} {
		if _, err := Deposit("c-1", amt); err == nil {
			t.Errorf("Deposit(c-1, %d) accepted", amt)
		}
	}
	if _, err := Deposit("acct-1", 5); err == nil {
		t.Error("Deposit to a malformed customer accepted")
	}
}

func TestShippingReact(t *testing.T) {
	sh := NewShipment()
	got := Shipping{}.React(sh, vocab.OrderCharged, order1)
	if !reflect.DeepEqual(got, []Emit{{vocab.ShipmentShipped, Data{Order: "o-1"}}}) {
		t.Errorf("OrderCharged: %+v, want one ShipmentShipped", got)
	}
	if got := (Shipping{}).React(sh, vocab.OrderPlaced, order1); got != nil {
		t.Errorf("OrderPlaced: %+v, want nothing", got)
	}
	if got := (Shipping{}).Target(vocab.OrderCharged, order1); got != "ship-o-1" {
		t.Errorf("Target = %q, want ship-o-1", got)
	}
	sh.Apply(vocab.ShipmentShipped, Data{})
	sh.Apply(vocab.ShipmentShipped, Data{})
	if sh.Shipped != 2 {
		t.Errorf("Shipped = %d, want 2 (duplicates are counted)", sh.Shipped)
	}
}

func TestReactorsWiring(t *testing.T) {
	rs := Reactors(true)
	for _, svc := range []string{vocab.ServiceOrders, vocab.ServiceInventory, vocab.ServicePayment, vocab.ServiceShipping} {
		if rs[svc].Service != svc {
			t.Errorf("Reactors()[%s].Service = %q", svc, rs[svc].Service)
		}
	}
	if _, ok := rs[vocab.ServiceProjector]; ok {
		t.Error("the projector has no reactor")
	}
	if rs[vocab.ServiceOrders].MaxSchema != 3 || rs[vocab.ServiceInventory].MaxSchema != CurrentSchema {
		t.Error("only the orders service reads schema 3")
	}
	inv := rs[vocab.ServiceInventory]
	// The bug switch reaches the inventory core.
	if got := inv.React(skuWith(5, 3), vocab.OrderDeclined, order1); got != nil {
		t.Errorf("Reactors(true) inventory released on decline: %+v", got)
	}
	if got := Reactors(false)[vocab.ServiceInventory].React(skuWith(5, 3), vocab.OrderDeclined, order1); len(got) != 1 {
		t.Errorf("Reactors(false) inventory did not release on decline: %+v", got)
	}
	dl := inv.DeadLetter(vocab.OrderPlaced, Data{}, "o-41", "unknown event schema")
	want := []Emit{{vocab.StockRejected, Data{Order: "o-41", Reason: "dead-lettered: unknown event schema"}}}
	if !reflect.DeepEqual(dl, want) || inv.DeadLetterStream != "sku-dlq" {
		t.Errorf("inventory dead letter = %+v on %q, want %+v on sku-dlq", dl, inv.DeadLetterStream, want)
	}
	if dl := inv.DeadLetter(vocab.OrderCancelled, Data{}, "o-41", "x"); dl != nil {
		t.Errorf("dead letter of a cancel: %+v, want none", dl)
	}
	if !rs[vocab.ServiceShipping].Types[vocab.OrderCharged] || rs[vocab.ServiceShipping].Types[vocab.OrderPlaced] {
		t.Error("shipping must react to OrderCharged only")
	}
}
