package sut

import (
	"encoding/json"
	"fmt"
)

// Op is one operation a client performs: its kind F ("read", "write",
// "cas", ...), the Key it touches ("" for none; linearizability is checked
// per key) and its argument Value, which must encode as JSON (it is
// recorded in history.jsonl as the op's "data").
type Op struct {
	F     string
	Key   string
	Value any
}

// Outcome is what a client knows of an operation once Invoke returns.
type Outcome string

// The three outcomes, as in Jepsen.
const (
	// OK: the operation took effect (its Reply.Value is the result).
	OK Outcome = "ok"
	// Fail: the operation certainly did not take effect.
	Fail Outcome = "fail"
	// Info: the outcome is unknown (a timeout, a lost reply): the operation
	// may or may not have taken effect, now or later. When in doubt, a
	// client must answer Info, never Fail.
	Info Outcome = "info"
)

// Reply is the completion of an operation: its outcome, its result value
// (for OK; must encode as JSON) and, for Fail and Info, why.
type Reply struct {
	Outcome Outcome
	Value   any
	Error   string
}

// Ok is an OK reply with result v (nil for none).
func Ok(v any) Reply { return Reply{Outcome: OK, Value: v} }

// Failed is a Fail reply: the operation certainly did not take effect.
func Failed(format string, args ...any) Reply {
	return Reply{Outcome: Fail, Error: fmt.Sprintf(format, args...)}
}

// Unknown is an Info reply: the operation may or may not have taken effect.
func Unknown(format string, args ...any) Reply {
	return Reply{Outcome: Info, Error: fmt.Sprintf(format, args...)}
}

// Call is one recorded operation as the checkers read it back from
// history.jsonl: the invoke's argument and the completion's result, both
// as the JSON that was recorded, so that a run judged live and its history
// judged again by `jepsen-lite check` see exactly the same values.
type Call struct {
	// Invoke and Complete are the history indices of the invoke and the
	// completion (Complete is -1 when the op never completed).
	Invoke, Complete int
	Process          int
	F, Key           string
	// Arg is the invoke's value (Op.Value as JSON), nil when it had none.
	Arg json.RawMessage
	// Outcome is ok, fail or info; an op that never completed is info.
	Outcome Outcome
	// Ret is the completion's value (Reply.Value as JSON), nil for none.
	Ret   json.RawMessage
	Error string
	// Call and Return are the invoke's and the completion's times in
	// nanoseconds since the start of the run (Return is the invoke's time
	// when the op never completed).
	Call, Return int64
}

// DecodeArg decodes the op's argument into v.
func (c Call) DecodeArg(v any) error { return decodeData(c.Arg, v, c.Invoke, "argument") }

// DecodeRet decodes the op's result into v.
func (c Call) DecodeRet(v any) error { return decodeData(c.Ret, v, c.Complete, "result") }

func decodeData(b json.RawMessage, v any, index int, what string) error {
	if len(b) == 0 {
		return fmt.Errorf("history op %d: no %s", index, what)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("history op %d: %s %s: %v", index, what, b, err)
	}
	return nil
}
