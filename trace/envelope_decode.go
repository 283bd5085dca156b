package trace

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// DecodeEnvelope decodes an envelope as json.Unmarshal would into a zero
// Envelope. The layout json.Marshal writes (the fields in order, no
// whitespace, plain strings and integers) is read directly: a consumer
// decodes every record it polls, and encoding/json was an eighth of a Kafka
// run's CPU. Anything else goes to json.Unmarshal, so the result is the
// same for every input (FuzzDecodeEnvelope).
func DecodeEnvelope(b []byte, ev *Envelope) error {
	*ev = Envelope{}
	if decodeCanonical(b, ev) {
		return nil
	}
	*ev = Envelope{}
	return json.Unmarshal(b, ev)
}

// envReader reads the canonical layout; ok turns false at the first byte
// that is not where json.Marshal puts it.
type envReader struct {
	b  []byte
	ok bool
}

func decodeCanonical(b []byte, ev *Envelope) bool {
	r := &envReader{b: b, ok: true}
	r.lit(`{"id":`)
	ev.ID = r.str()
	r.lit(`,"aggregate":`)
	ev.Aggregate = r.str()
	r.lit(`,"version":`)
	ev.Version = int(r.num(strconv.IntSize))
	r.lit(`,"position":`)
	ev.Position = r.num(64)
	r.lit(`,"type":`)
	ev.Type = r.str()
	r.lit(`,"schema":`)
	ev.SchemaVersion = int(r.num(strconv.IntSize))
	r.lit(`,"correlation":`)
	ev.CorrelationID = r.str()
	if r.ok && bytes.HasPrefix(r.b, []byte(`,"causation":`)) {
		r.lit(`,"causation":`)
		ev.CausationID = r.str()
	}
	r.lit(`,"data":`)
	if !r.ok || len(r.b) < 2 || r.b[len(r.b)-1] != '}' {
		return false
	}
	data := r.b[:len(r.b)-1]
	if len(data) == 0 || data[0] != '{' || !json.Valid(data) {
		return false // null, other kinds and bad JSON: json.Unmarshal says what it makes of them
	}
	ev.Data = append(json.RawMessage(nil), data...)
	return true
}

func (r *envReader) lit(s string) {
	if r.ok && bytes.HasPrefix(r.b, []byte(s)) {
		r.b = r.b[len(s):]
		return
	}
	r.ok = false
}

// str reads a string with nothing to unescape or replace: printable ASCII
// without quotes or backslashes.
func (r *envReader) str() string {
	if !r.ok || len(r.b) == 0 || r.b[0] != '"' {
		r.ok = false
		return ""
	}
	for i := 1; i < len(r.b); i++ {
		switch c := r.b[i]; {
		case c == '"':
			s := string(r.b[1:i])
			r.b = r.b[i+1:]
			return s
		case c < 0x20 || c == '\\' || c >= 0x80:
			r.ok = false
			return ""
		}
	}
	r.ok = false
	return ""
}

// num reads an integer as json.Marshal writes one: an optional minus and
// digits without a leading zero, fitting bits.
func (r *envReader) num(bits int) int64 {
	if !r.ok {
		return 0
	}
	i := 0
	if i < len(r.b) && r.b[i] == '-' {
		i++
	}
	start := i
	for i < len(r.b) && r.b[i] >= '0' && r.b[i] <= '9' {
		i++
	}
	if i == start || (r.b[start] == '0' && i > start+1) {
		r.ok = false
		return 0
	}
	n, err := strconv.ParseInt(string(r.b[:i]), 10, bits)
	if err != nil {
		r.ok = false
		return 0
	}
	r.b = r.b[i:]
	return n
}
