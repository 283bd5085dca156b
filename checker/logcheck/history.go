package logcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Op types, as in Jepsen: an operation is an invoke followed, for the same
// process, by its completion. Info means the outcome is unknown.
const (
	TypeInvoke = "invoke"
	TypeOK     = "ok"
	TypeFail   = "fail"
	TypeInfo   = "info"
)

// Op names (the "f" of an Op). Send, poll and txn carry micro-ops; assign,
// subscribe and crash carry none and reset the process's expectations of
// where its next send and poll land (checks.go).
const (
	FSend      = "send"
	FPoll      = "poll"
	FTxn       = "txn" // sends and polls in one op; checked like both
	FAssign    = "assign"
	FSubscribe = "subscribe"
	FCrash     = "crash"
)

// OffsetUnknown is the offset of a send whose offset the client never
// learned (an invoke, or a send that timed out).
const OffsetUnknown int64 = -1

// History is a parsed log history. Truncated is set when the last line was
// incomplete (a run killed mid-write); that line is skipped, and checks that
// need the end of the history (unseen) cannot conclude.
type History struct {
	Ops       []Op
	Truncated bool
}

// Op is one history event of the log workload. Its top-level fields are those
// of history.jsonl (DESIGN.md, run directory) so the same tools read both;
// Value holds micro-ops instead of an order command.
type Op struct {
	// Index is the position in the history: 0, 1, 2, ...
	Index   int    `json:"index"`
	Type    string `json:"type"`
	Process int    `json:"process"`
	F       string `json:"f"`
	// Time is nanoseconds since the start of the run; only reports use it.
	Time  int64 `json:"time"`
	Value []Mop `json:"value,omitempty"`
	// Rebalance names the keys whose assignment changed while this op ran
	// (Jepsen's :rebalance-log): their positions are not expected to follow
	// on, within the op or from the process's previous op.
	Rebalance []string `json:"rebalance,omitempty"`
	// Error is why an op failed or is indeterminate; informational only.
	Error string `json:"error,omitempty"`
}

// Mop is one micro-op: a send of one value to one key, or a poll of
// whatever the consumer's assigned keys returned.
//
// On the wire a send is {"f":"send","key":"t-0","value":7,"offset":3}
// (offset absent or -1 when unknown) and a poll is
// {"f":"poll","polled":{"t-0":[{"offset":3,"value":7}]}}.
type Mop struct {
	F string
	// Key names a topic-partition; Value is the unique value sent to it and
	// Offset where it landed (OffsetUnknown if not known). Sends only.
	Key    string
	Value  int64
	Offset int64
	// Polled maps each key a poll returned to its entries, in the order the
	// consumer returned them. Polls only.
	Polled map[string][]Entry
}

// Entry is one record a poll returned.
type Entry struct {
	Offset int64 `json:"offset"`
	Value  int64 `json:"value"`
}

// Send returns a send micro-op.
func Send(key string, value, offset int64) Mop {
	return Mop{F: FSend, Key: key, Value: value, Offset: offset}
}

// Poll returns a poll micro-op; polled may be nil for an invoke.
func Poll(polled map[string][]Entry) Mop {
	return Mop{F: FPoll, Offset: OffsetUnknown, Polled: polled}
}

type sendWire struct {
	F      string `json:"f"`
	Key    string `json:"key"`
	Value  int64  `json:"value"`
	Offset int64  `json:"offset"`
}

type pollWire struct {
	F      string             `json:"f"`
	Polled map[string][]Entry `json:"polled,omitempty"`
}

// MarshalJSON writes a send with all four fields and a poll with f and
// polled only, so that a written history reads back unchanged.
func (m Mop) MarshalJSON() ([]byte, error) {
	if m.F == FSend {
		return json.Marshal(sendWire{m.F, m.Key, m.Value, m.Offset})
	}
	return json.Marshal(pollWire{m.F, m.Polled})
}

// readWire has pointers so that absent fields can be told from zeros: a
// send's value is required, its offset defaults to unknown, and a poll's
// entries need both offset and value.
type readWire struct {
	F      string                 `json:"f"`
	Key    *string                `json:"key"`
	Value  *int64                 `json:"value"`
	Offset *int64                 `json:"offset"`
	Polled map[string][]entryWire `json:"polled"`
}

type entryWire struct {
	Offset *int64 `json:"offset"`
	Value  *int64 `json:"value"`
}

// UnmarshalJSON reads a micro-op strictly: unknown fields, fields of the
// other kind of micro-op and missing required fields are errors. The outer
// decoder's DisallowUnknownFields does not reach into a custom unmarshaler,
// hence the decoder here.
func (m *Mop) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return errors.New("micro-op is null")
	}
	var w readWire
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("micro-op: %v", err)
	}
	*m = Mop{F: w.F, Offset: OffsetUnknown}
	switch w.F {
	case FSend:
		if w.Key == nil || w.Value == nil {
			return errors.New(`send micro-op needs "key" and "value"`)
		}
		if w.Polled != nil {
			return errors.New(`send micro-op has "polled"`)
		}
		m.Key, m.Value = *w.Key, *w.Value
		if w.Offset != nil {
			m.Offset = *w.Offset
		}
	case FPoll:
		if w.Key != nil || w.Value != nil || w.Offset != nil {
			return errors.New(`poll micro-op has "key", "value" or "offset" (they belong in "polled")`)
		}
		if len(w.Polled) > 0 {
			m.Polled = make(map[string][]Entry, len(w.Polled))
		}
		for k, ws := range w.Polled {
			es := make([]Entry, len(ws))
			for i, e := range ws {
				if e.Offset == nil || e.Value == nil {
					return fmt.Errorf("polled entry %d of key %q needs \"offset\" and \"value\"", i, k)
				}
				es[i] = Entry{*e.Offset, *e.Value}
			}
			if ws == nil {
				es = nil // "k": null reads back as it was written
			}
			m.Polled[k] = es
		}
	}
	return m.validate()
}

// validate checks one micro-op on its own; Validate (reader.go) checks how
// micro-ops fit their op.
func (m *Mop) validate() error {
	switch m.F {
	case FSend:
		if m.Key == "" {
			return errors.New("send micro-op has an empty key")
		}
		if m.Polled != nil {
			return errors.New("send micro-op has polled entries")
		}
		if m.Offset < OffsetUnknown {
			return fmt.Errorf("send micro-op has offset %d (want -1 for unknown, or >= 0)", m.Offset)
		}
	case FPoll:
		if m.Key != "" || m.Value != 0 || m.Offset != OffsetUnknown && m.Offset != 0 {
			return errors.New("poll micro-op has a key, value or offset (they belong in polled)")
		}
		for k, es := range m.Polled {
			if k == "" {
				return errors.New("poll micro-op has an empty key")
			}
			for _, e := range es {
				if e.Offset < OffsetUnknown {
					return fmt.Errorf("polled entry of key %q has offset %d", k, e.Offset)
				}
			}
		}
	default:
		return fmt.Errorf("micro-op f %q is not send or poll", m.F)
	}
	return nil
}
