package services

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func envelope(typ string, schema int, data []byte) *trace.Envelope {
	return &trace.Envelope{ID: "ev-1", Aggregate: "order-o-1", Version: 1, Type: typ, SchemaVersion: schema, Data: data}
}

func TestEncodeDecodeRoundTripAtCurrentSchema(t *testing.T) {
	cases := []struct {
		typ string
		d   Data
	}{
		{vocab.OrderPlaced, Data{Order: "o-1", Customer: "c-2", SKU: "s-3", Qty: 4, Amount: 40}},
		{vocab.OrderCancelled, Data{Order: "o-1", Customer: "c-2", SKU: "s-3", Qty: 4, Amount: 40}},
		{vocab.StockRejected, Data{Order: "o-1", SKU: "s-3", Qty: 4, Reason: "out-of-stock"}},
		{vocab.PaymentCharged, Data{Order: "o-1", Customer: "c-2", Amount: 40}},
		{vocab.AccountCredited, Data{Customer: "c-2", Amount: 1000}},
		{vocab.ShipmentShipped, Data{Order: "o-1"}},
	}
	for _, c := range cases {
		b := Encode(c.typ, c.d, CurrentSchema)
		got, err := Decode(envelope(c.typ, CurrentSchema, b), CurrentSchema)
		if err != nil {
			t.Errorf("%s: Decode: %v", c.typ, err)
			continue
		}
		if got != c.d {
			t.Errorf("%s: round trip = %+v, want %+v (wire %s)", c.typ, got, c.d, b)
		}
	}
}

func TestOrderPlacedSchema1IsUpcast(t *testing.T) {
	// As the first release wrote it: a unit price, no amount.
	raw := []byte(`{"order":"o-1","customer":"c-1","sku":"s-1","qty":3,"price":7}`)
	got, err := Decode(envelope(vocab.OrderPlaced, 1, raw), CurrentSchema)
	if err != nil {
		t.Fatalf("Decode schema 1: %v", err)
	}
	want := Data{Order: "o-1", Customer: "c-1", SKU: "s-1", Qty: 3, Amount: 21}
	if got != want {
		t.Errorf("upcast = %+v, want %+v (amount = qty*price)", got, want)
	}

	// Encode at schema 1 writes the price, and decoding gives the amount back.
	d := Data{Order: "o-2", Customer: "c-1", SKU: "s-1", Qty: 5, Amount: 35}
	b := Encode(vocab.OrderPlaced, d, 1)
	var wire map[string]any
	if err := json.Unmarshal(b, &wire); err != nil {
		t.Fatal(err)
	}
	if wire["price"] != float64(7) || wire["amount"] != nil {
		t.Errorf("schema 1 wire = %s, want price 7 and no amount", b)
	}
	if got, err := Decode(envelope(vocab.OrderPlaced, 1, b), CurrentSchema); err != nil || got != d {
		t.Errorf("schema 1 round trip = %+v, %v, want %+v", got, err, d)
	}
}

func TestOrderPlacedSchema3NeedsANewReader(t *testing.T) {
	d := Data{Order: "o-41", Customer: "c-1", SKU: "s-2", Qty: 2, Amount: 30}
	b := Encode(vocab.OrderPlaced, d, 3)
	var wire struct {
		Lines []struct {
			SKU string `json:"sku"`
			Qty int    `json:"qty"`
		} `json:"lines"`
		SKU string `json:"sku"`
	}
	if err := json.Unmarshal(b, &wire); err != nil {
		t.Fatal(err)
	}
	if len(wire.Lines) != 1 || wire.Lines[0].SKU != "s-2" || wire.Lines[0].Qty != 2 || wire.SKU != "" {
		t.Errorf("schema 3 wire = %s, want one line {s-2 2} and no top-level sku", b)
	}
	e := envelope(vocab.OrderPlaced, 3, b)
	if got, err := Decode(e, 3); err != nil || got != d {
		t.Errorf("Decode(schema 3, maxSchema 3) = %+v, %v, want %+v", got, err, d)
	}
	if _, err := Decode(e, CurrentSchema); !errors.Is(err, ErrUnknownSchema) {
		t.Errorf("Decode(schema 3, maxSchema 2): err = %v, want ErrUnknownSchema", err)
	}
	// Two lines are readable JSON but not by this release: a plain error.
	two := []byte(`{"order":"o-1","customer":"c-1","lines":[{"sku":"s-1","qty":1},{"sku":"s-2","qty":1}],"amount":2}`)
	if _, err := Decode(envelope(vocab.OrderPlaced, 3, two), 3); err == nil || errors.Is(err, ErrUnknownSchema) {
		t.Errorf("two lines: err = %v, want a non-schema error", err)
	}
}

func TestDecodeRejectsSchemaOutOfRange(t *testing.T) {
	for _, schema := range []int{0, -1, 3, 9} {
		_, err := Decode(envelope(vocab.StockReserved, schema, []byte(`{}`)), CurrentSchema)
		if !errors.Is(err, ErrUnknownSchema) {
			t.Errorf("schema %d: err = %v, want ErrUnknownSchema", schema, err)
		}
	}
	if _, err := Decode(envelope(vocab.StockReserved, 2, []byte(`{not json`)), CurrentSchema); err == nil {
		t.Error("malformed data decoded without an error")
	}
}

func TestStreamNamesAndNewState(t *testing.T) {
	names := map[string]string{
		OrderStream("o-1"): "order-o-1", SKUStream("s-1"): "sku-s-1",
		AccountStream("c-1"): "acct-c-1", ShipStream("o-1"): "ship-o-1",
	}
	for got, want := range names {
		if got != want {
			t.Errorf("stream name %q, want %q", got, want)
		}
	}
	if _, ok := NewState("order-o-1").(*Order); !ok {
		t.Error("NewState(order-…) is not an *Order")
	}
	if _, ok := NewState("sku-s-1").(*SKU); !ok {
		t.Error("NewState(sku-…) is not a *SKU")
	}
	if _, ok := NewState("acct-c-1").(*Account); !ok {
		t.Error("NewState(acct-…) is not an *Account")
	}
	if _, ok := NewState("ship-o-1").(*Shipment); !ok {
		t.Error("NewState(ship-…) is not a *Shipment")
	}
}
