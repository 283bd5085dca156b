package services

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Data is the payload of every event at the current schema (2). Order
// events carry the order's details so that compensations need no lookup.
type Data struct {
	Order    string `json:"order,omitempty"`
	Customer string `json:"customer,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Qty      int    `json:"qty,omitempty"`
	Amount   int    `json:"amount,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// CurrentSchema is the schema version this release writes.
const CurrentSchema = 2

// orderPlacedV1 is OrderPlaced as the first release wrote it: a unit price
// instead of the total amount.
type orderPlacedV1 struct {
	Order    string `json:"order"`
	Customer string `json:"customer"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Price    int    `json:"price"`
}

// orderPlacedV3 is OrderPlaced as the next release writes it: order lines.
// Only the orders service reads it; older consumers dead-letter it.
type orderPlacedV3 struct {
	Order    string   `json:"order"`
	Customer string   `json:"customer"`
	Lines    []lineV3 `json:"lines"`
	Amount   int      `json:"amount"`
}

type lineV3 struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

// ErrUnknownSchema is a permanent decoding error: the event was written by a
// release this reader does not know. Retrying cannot help; it is a poison event.
var ErrUnknownSchema = errors.New("unknown event schema")

// Encode writes d as event type typ at schema version schema.
func Encode(typ string, d Data, schema int) []byte {
	var v any = d
	if typ == vocab.OrderPlaced {
		switch schema {
		case 1:
			v = orderPlacedV1{d.Order, d.Customer, d.SKU, d.Qty, d.Amount / max(d.Qty, 1)}
		case 3:
			v = orderPlacedV3{d.Order, d.Customer, []lineV3{{d.SKU, d.Qty}}, d.Amount}
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("services: encode %s: %v", typ, err)) // plain structs always encode
	}
	return b
}

// Decode reads an event's data, upcasting older schemas to the current one.
// maxSchema is the newest schema the reader knows.
func Decode(e *trace.Envelope, maxSchema int) (Data, error) {
	if e.SchemaVersion > maxSchema || e.SchemaVersion < 1 {
		return Data{}, fmt.Errorf("%w: %s schema %d (reader knows up to %d)", ErrUnknownSchema, e.Type, e.SchemaVersion, maxSchema)
	}
	if e.Type == vocab.OrderPlaced {
		switch e.SchemaVersion {
		case 1:
			var v orderPlacedV1
			if err := json.Unmarshal(e.Data, &v); err != nil {
				return Data{}, err
			}
			return Data{Order: v.Order, Customer: v.Customer, SKU: v.SKU, Qty: v.Qty, Amount: v.Qty * v.Price}, nil
		case 3:
			var v orderPlacedV3
			if err := json.Unmarshal(e.Data, &v); err != nil {
				return Data{}, err
			}
			if len(v.Lines) != 1 {
				return Data{}, fmt.Errorf("OrderPlaced schema 3 with %d lines: this release handles one", len(v.Lines))
			}
			return Data{Order: v.Order, Customer: v.Customer, SKU: v.Lines[0].SKU, Qty: v.Lines[0].Qty, Amount: v.Amount}, nil
		}
	}
	var d Data
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return Data{}, err
	}
	return d, nil
}

// Emit is one event a core decided to append.
type Emit struct {
	Type string
	Data Data
}

// Stream names of the aggregates.
func OrderStream(order string) string  { return "order-" + order }
func SKUStream(sku string) string      { return "sku-" + sku }
func AccountStream(cust string) string { return "acct-" + cust }
func ShipStream(order string) string   { return "ship-" + order }
