package logcheck

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/jepsen-lite/jepsen-lite/internal/jsonl"
)

// ParseError is a malformed history line; its message names the file and
// line so that a user can open it at that place.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ReadFile parses a log history file.
func ReadFile(path string) (*History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses a log history from r, one op per line; name is used in error
// messages. Every line is checked on its own (checkOp) and against the lines
// before it (an invoke and its completion pair up by process, as in Jepsen).
// A malformed last line without a newline is a run killed mid-write: it is
// skipped and the history marked Truncated rather than rejected.
func Read(r io.Reader, name string) (*History, error) {
	h := &History{}
	p := newPairer()
	err := jsonl.Scan(r, func(line int, b []byte, complete bool) error {
		var op Op
		err := jsonl.Decode(b, &op)
		if len(op.Value) == 0 {
			op.Value = nil // "value":[] and no value are the same op; keep one form
		}
		if len(op.Rebalance) == 0 {
			op.Rebalance = nil
		}
		if err == nil {
			err = checkOp(&op, len(h.Ops))
		}
		if err == nil {
			err = p.add(&op)
		}
		switch {
		case err == nil:
			h.Ops = append(h.Ops, op)
		case !complete:
			h.Truncated = true
		default:
			return &ParseError{name, line, err.Error()}
		}
		return nil
	})
	var pe *ParseError
	if err != nil && !errors.As(err, &pe) {
		err = fmt.Errorf("%s:%w", name, err) // jsonl.Scan's errors start with "line N:"
	}
	return h, err
}

// Write writes ops one per line in the format Read reads.
func Write(w io.Writer, ops []Op) error {
	bw := bufio.NewWriter(w)
	for i := range ops {
		b, err := json.Marshal(&ops[i])
		if err != nil {
			return err
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Validate checks a history built in code (not read from a file) by the
// same rules as Read; the error names the op index.
func Validate(ops []Op) error {
	p := newPairer()
	for i := range ops {
		if err := checkOp(&ops[i], i); err != nil {
			return fmt.Errorf("op %d: %w", i, err)
		}
		if err := p.add(&ops[i]); err != nil {
			return fmt.Errorf("op %d: %w", i, err)
		}
	}
	return nil
}

// checkOp checks one op on its own: fields in range, and micro-ops that fit
// its f.
func checkOp(op *Op, want int) error {
	if op.Index != want {
		return fmt.Errorf("index %d, want %d (indices must be 0, 1, 2, ...)", op.Index, want)
	}
	switch op.Type {
	case TypeInvoke, TypeOK, TypeFail, TypeInfo:
	default:
		return fmt.Errorf("type %q is not invoke, ok, fail or info", op.Type)
	}
	if op.Time < 0 {
		return fmt.Errorf("negative time %d", op.Time)
	}
	var allowed string // the micro-op f this op may carry; "" = either
	switch op.F {
	case FSend, FPoll:
		allowed = op.F
	case FTxn:
	case FAssign, FSubscribe, FCrash:
		if len(op.Value) > 0 {
			return fmt.Errorf("%s op carries micro-ops", op.F)
		}
	default:
		return fmt.Errorf("f %q is not send, poll, txn, assign, subscribe or crash", op.F)
	}
	for i := range op.Value {
		m := &op.Value[i]
		if err := m.validate(); err != nil {
			return fmt.Errorf("micro-op %d: %w", i, err)
		}
		if allowed != "" && m.F != allowed {
			return fmt.Errorf("micro-op %d: a %s op cannot hold a %s micro-op", i, op.F, m.F)
		}
		if op.Type == TypeInvoke && len(m.Polled) > 0 {
			return fmt.Errorf("micro-op %d: an invoke cannot hold polled entries", i)
		}
	}
	for _, k := range op.Rebalance {
		if k == "" {
			return errors.New("rebalance names an empty key")
		}
	}
	return nil
}

// pairer checks that ops pair up: each process has at most one op open, and
// a completion matches its process's open invoke. Invokes still open at the
// end are allowed (the op's outcome is unknown, as info).
type pairer struct {
	open map[int]string // process -> f of its open invoke
}

func newPairer() *pairer { return &pairer{open: map[int]string{}} }

func (p *pairer) add(op *Op) error {
	f, isOpen := p.open[op.Process]
	if op.Type == TypeInvoke {
		if isOpen {
			return fmt.Errorf("process %d invokes %s while its %s is still open", op.Process, op.F, f)
		}
		p.open[op.Process] = op.F
		return nil
	}
	if !isOpen {
		return fmt.Errorf("%s %s of process %d has no open invoke", op.Type, op.F, op.Process)
	}
	if f != op.F {
		return fmt.Errorf("%s %s of process %d completes its open %s", op.Type, op.F, op.Process, f)
	}
	delete(p.open, op.Process)
	return nil
}
