package jepsen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"olympos.io/encoding/edn"
)

// Op types, as Jepsen writes them (without the colon).
const (
	TypeInvoke = "invoke"
	TypeOK     = "ok"
	TypeFail   = "fail"
	TypeInfo   = "info"
)

// Op is one record of a Jepsen history: a map with :type, :f, :value,
// :process, and optionally :time and :index.
type Op struct {
	// Record is the op's position in the file: 0, 1, 2, ...
	Record int
	// Line is the line of the file the record starts on.
	Line int
	// Index is Jepsen's :index, or Record when the history has none.
	Index int64
	Type  string
	// F is :f's keyword name ("read"), or the canonical text of a non-keyword.
	F string
	// Process is the client's number; Client is false for :nemesis and other
	// non-integer processes, whose ops no checker judges (Jepsen's client-ops).
	Process int64
	Client  bool
	// Time is :time in nanoseconds, -1 when absent.
	Time int64
	// Value is :value as the EDN library decoded it (nil when absent).
	Value any
	// Error is the canonical text of :error, "" when absent.
	Error string
	// Rebalance is :rebalance-log, as decoded (kafka workload only).
	Rebalance any
}

// History is a parsed Jepsen history.
type History struct {
	Name string // the file, for messages
	Ops  []Op
}

// maxHistoryBytes bounds the file ReadFile loads into memory.
const maxHistoryBytes = 2 << 30

// ReadFile reads a Jepsen history.edn.
func ReadFile(path string) (*History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a history from r: EDN maps one after another (Jepsen's
// history.edn) or one vector of maps (Knossos' data files); ; comments, #_
// discards and tagged records (#jepsen.history.Op{...}) are accepted. Errors
// are one line, "NAME:LINE: ...". Read checks each record's fields but not how
// records pair up: the checkers do (linear.go, kafka.go).
func Read(r io.Reader, name string) (*History, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxHistoryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(data) > maxHistoryBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxHistoryBytes)
	}
	forms, err := splitForms(data)
	if err != nil {
		return nil, fmt.Errorf("%s:%v", name, err) // scanner errors start with "N: ", the line
	}
	h := &History{Name: name, Ops: make([]Op, 0, len(forms))}
	values := decodeAll(data, forms)
	indexed := 0
	for i, f := range forms {
		var op Op
		var err error
		if values != nil {
			op, err = opFromValue(values[i])
		} else {
			op, err = decodeOp(f.text)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: record %d: %v", name, f.line, i, err)
		}
		op.Record, op.Line = i, f.line
		if op.Index >= 0 {
			indexed++
		} else {
			op.Index = int64(i)
		}
		h.Ops = append(h.Ops, op)
	}
	if indexed != 0 && indexed != len(h.Ops) {
		return nil, fmt.Errorf("%s: %d of %d records have an :index: want all or none", name, indexed, len(h.Ops))
	}
	return h, nil
}

// decodeAll decodes every record with one decoder over the bytes the
// records span: one buffer for the whole history instead of one per record
// (edn.Unmarshal's), several times faster. It returns nil when anything is
// off (an EDN error, a value that is not a map, a count that differs from the
// scanner's), and the caller decodes record by record, which names the bad
// record and its line.
func decodeAll(data []byte, forms []form) (values []any) {
	if len(forms) == 0 {
		return nil
	}
	defer func() {
		if recover() != nil {
			values = nil
		}
	}()
	d := edn.NewDecoder(bytes.NewReader(data[forms[0].start:forms[len(forms)-1].end]))
	values = make([]any, len(forms))
	for i := range values {
		if err := d.Decode(&values[i]); err != nil {
			return nil
		}
		v := values[i]
		if t, ok := v.(edn.Tag); ok {
			v = t.Value
		}
		if _, ok := v.(map[any]any); !ok {
			return nil
		}
	}
	var extra any
	if err := d.Decode(&extra); err != io.EOF {
		return nil
	}
	return values
}

// decodeOp decodes one record with the EDN library. The library may panic on
// input it does not expect; that is bad input, reported as an error.
func decodeOp(text []byte) (op Op, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("EDN: %v", r)
		}
	}()
	var v any
	if err := edn.Unmarshal(text, &v); err != nil {
		return Op{}, fmt.Errorf("EDN: %v", err)
	}
	return opFromValue(v)
}

// opFromValue checks a decoded record.
func opFromValue(v any) (Op, error) {
	if t, ok := v.(edn.Tag); ok { // a record, e.g. #jepsen.history.Op{...}
		v = t.Value
	}
	m, ok := v.(map[any]any)
	if !ok {
		return Op{}, fmt.Errorf("want a map like {:type :invoke, :f :read, :value nil, :process 0}, got %s", clip(Canonical(v)))
	}
	return opFromMap(m)
}

func opFromMap(m map[any]any) (Op, error) {
	op := Op{Index: -1, Time: -1}
	typ, ok := m[edn.Keyword("type")].(edn.Keyword)
	switch {
	case !ok:
		return op, errors.New("no :type keyword")
	case typ != TypeInvoke && typ != TypeOK && typ != TypeFail && typ != TypeInfo:
		return op, fmt.Errorf(":type :%s is not :invoke, :ok, :fail or :info", string(typ))
	}
	op.Type = string(typ)
	f, ok := m[edn.Keyword("f")]
	if !ok || f == nil {
		return op, errors.New("no :f")
	}
	op.F = keywordName(f)
	p, ok := m[edn.Keyword("process")]
	if !ok {
		return op, errors.New("no :process")
	}
	op.Process, op.Client = asInt(p)
	if idx, ok := m[edn.Keyword("index")]; ok {
		n, isInt := asInt(idx)
		if !isInt || n < 0 {
			return op, fmt.Errorf(":index %s is not a non-negative integer", clip(Canonical(idx)))
		}
		op.Index = n
	}
	if t, ok := m[edn.Keyword("time")]; ok {
		n, isInt := asInt(t)
		if !isInt || n < 0 {
			return op, fmt.Errorf(":time %s is not a non-negative integer", clip(Canonical(t)))
		}
		op.Time = n
	}
	op.Value = m[edn.Keyword("value")]
	if e, ok := m[edn.Keyword("error")]; ok && e != nil {
		op.Error = Canonical(e)
	}
	op.Rebalance = m[edn.Keyword("rebalance-log")]
	return op, nil
}

// clipMax bounds the length of a value quoted in an error message.
const clipMax = 80

func clip(s string) string {
	if len(s) <= clipMax {
		return s
	}
	return s[:clipMax] + "..."
}

// Where names an op's place for messages: "history.edn:12 (record 5)".
func (h *History) Where(op *Op) string {
	return fmt.Sprintf("%s:%d (record %d)", h.Name, op.Line, op.Record)
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
