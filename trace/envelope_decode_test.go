package trace

import (
	"encoding/json"
	"reflect"
	"testing"
)

func sampleEnvelopes() [][]byte {
	var out [][]byte
	for _, ev := range []Envelope{
		{ID: "e-1", Aggregate: "order-o-1", Version: 1, Position: 7, Type: "OrderPlaced", SchemaVersion: 2,
			CorrelationID: "o-1", CausationID: "op-3", Data: json.RawMessage(`{"order":"o-1","qty":2}`)},
		{ID: "e-2", Aggregate: "sku-s-1", Version: 12, Position: 1 << 40, Type: "StockReserved", SchemaVersion: 1,
			CorrelationID: "o-9", Data: json.RawMessage(`{}`)},
		{ID: "e-<3>", Aggregate: "a\u00e9", Version: -1, Data: json.RawMessage(`{"x":"\u0026"}`)},
		{ID: "e-4"},
	} {
		b, err := json.Marshal(ev)
		if err != nil {
			panic(err)
		}
		out = append(out, b)
	}
	return out
}

// The canonical layout is read directly, and equals encoding/json's result.
func TestDecodeEnvelopeCanonical(t *testing.T) {
	for i, b := range sampleEnvelopes() {
		var fast Envelope
		canonical := decodeCanonical(b, &fast)
		if want := i < 2; canonical != want {
			t.Errorf("%s: read directly %v, want %v", b, canonical, want)
		}
		checkSame(t, b)
	}
}

// Every input decodes as json.Unmarshal decodes it: the same envelope, or
// an error where it errs.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, b := range sampleEnvelopes() {
		f.Add(b)
	}
	f.Add([]byte(`{"id":"x","aggregate":"a","version":01,"position":1,"type":"t","schema":1,"correlation":"c","data":{}}`))
	f.Add([]byte(`{"id":"x","aggregate":"a","version":1,"position":1,"type":"t","schema":1,"correlation":"c","data":{"a":}}`))
	f.Add([]byte(`{"id":"x","aggregate":"a","version":99999999999999999999,"position":1,"type":"t","schema":1,"correlation":"c","data":{}}`))
	f.Add([]byte(`{"id":"x","data":null}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) { checkSame(t, b) })
}

func checkSame(t *testing.T, b []byte) {
	t.Helper()
	var got, want Envelope
	gotErr := DecodeEnvelope(b, &got)
	wantErr := json.Unmarshal(b, &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%q: error %v, json.Unmarshal %v", b, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %+v\nwant %+v", b, got, want)
	}
}
