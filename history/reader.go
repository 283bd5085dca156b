package history

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/jepsen-lite/jepsen-lite/internal/jsonl"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// ParseError is a malformed history line; its message names the file and line.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Result is a parsed history. Truncated is set when the last line was
// incomplete (a run killed mid-write); that line is skipped.
type Result struct {
	Ops       []Op
	Truncated bool
}

// ReadFile parses a history file.
func ReadFile(path string) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses a history from r; name is used in error messages.
func Read(r io.Reader, name string) (Result, error) {
	var res Result
	err := jsonl.Scan(r, func(line int, b []byte, complete bool) error {
		op, err := parseOp(b, len(res.Ops))
		switch {
		case err == nil:
			res.Ops = append(res.Ops, op)
		case !complete:
			res.Truncated = true
		default:
			return &ParseError{name, line, err.Error()}
		}
		return nil
	})
	var pe *ParseError
	if err != nil && !errors.As(err, &pe) {
		err = fmt.Errorf("%s:%w", name, err)
	}
	return res, err
}

func parseOp(b []byte, want int) (Op, error) {
	var op Op
	if err := jsonl.Decode(b, &op); err != nil {
		return op, err
	}
	if op.Index != want {
		return op, fmt.Errorf("index %d, want %d (indices must be 0, 1, 2, ...)", op.Index, want)
	}
	switch op.Type {
	case vocab.TypeInvoke, vocab.TypeOK, vocab.TypeFail, vocab.TypeInfo:
	default:
		return op, fmt.Errorf("type %q is not invoke, ok, fail or info", op.Type)
	}
	if op.F == "" {
		return op, errors.New(`missing "f"`)
	}
	if op.Time < 0 {
		return op, fmt.Errorf("negative time %d", op.Time)
	}
	return op, nil
}
