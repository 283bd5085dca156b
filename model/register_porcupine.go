package model

import (
	"fmt"
	"hash/fnv"

	"github.com/anishathalye/porcupine"
)

// This file holds porcupine models of the registers Jepsen's Knossos checks
// (knossos/model.clj: register, cas-register): a single value that clients
// read, write and compare-and-set. They judge histories imported from Jepsen
// (interop/jepsen), not the order system.
//
// Values are opaque canonical strings (the importer writes EDN values in one
// canonical text form), so that two values are equal exactly when Clojure's
// = says so for the value kinds histories hold. As in Knossos, an op's input
// is the op as completed: a read carries the value it returned, and a read
// of Nil (Knossos: a nil :value) returned an unknown value and is always legal.

// Nil is the canonical form of EDN nil: the initial value of a register built
// with no value, and, in a read, "the value read is unknown".
const Nil = "nil"

// Register op names, Knossos' :f values without the colon.
const (
	RegRead  = "read"
	RegWrite = "write"
	RegCAS   = "cas"
)

// RegisterInput is one register op as Knossos' models take it: the invoke's
// :f with the completion's :value (the invoke's for an op that never
// completed). From and To are the two values of a cas; Value is used
// otherwise.
type RegisterInput struct {
	F     string
	Value string
	From  string
	To    string
}

// String is the op as Jepsen prints it, e.g. "read 3" or "cas [1 2]".
func (in RegisterInput) String() string {
	if in.F == RegCAS {
		return fmt.Sprintf("cas [%s %s]", in.From, in.To)
	}
	return in.F + " " + in.Value
}

// StepRegister is Knossos' Register: write sets the value, read must return
// it (or Nil, unknown). A cas is not part of a plain register and never
// linearizes.
func StepRegister(state string, in RegisterInput) (bool, string) {
	switch in.F {
	case RegWrite:
		return true, in.Value
	case RegRead:
		return in.Value == Nil || in.Value == state, state
	}
	return false, state
}

// StepCASRegister is Knossos' CASRegister: a register with cas [from to],
// which succeeds only when the value is from. A cas in the history is one the
// client saw succeed (or one whose outcome is unknown): failed cas ops did not
// happen and the importer drops them, as Knossos does.
func StepCASRegister(state string, in RegisterInput) (bool, string) {
	if in.F == RegCAS {
		if in.From != state {
			return false, state
		}
		return true, in.To
	}
	return StepRegister(state, in)
}

// Indeterminate is the porcupine output of an op whose outcome is unknown
// (Jepsen's :info, or an invoke that never completed); any other output,
// nil included, means the op completed ok. An indeterminate op may or may not
// have taken effect: it is always legal, and it changes the state only when
// it could have taken effect where porcupine places it (a cas whose compare
// fails there leaves the value as it was, as a cas that did not happen).
// Porcupine gives such ops an infinite return time, so "never happened" is
// also "placed after every completed op".
type Indeterminate struct{}

// indeterminate lifts a step so that Indeterminate outputs are always legal.
func indeterminate[S, I any](step func(S, I) (bool, S)) func(state, input, output interface{}) (bool, interface{}) {
	return func(state, input, output interface{}) (bool, interface{}) {
		ok, next := step(state.(S), input.(I))
		if _, unknown := output.(Indeterminate); unknown && !ok {
			return true, state
		}
		return ok, next
	}
}

// RegisterModel is Knossos' (register initial) for porcupine: inputs are
// RegisterInput, outputs nil or Indeterminate. Partition is left to the caller.
func RegisterModel(initial string) porcupine.Model {
	return registerModel(initial, StepRegister)
}

// CASRegisterModel is Knossos' (cas-register initial) for porcupine.
func CASRegisterModel(initial string) porcupine.Model {
	return registerModel(initial, StepCASRegister)
}

func registerModel(initial string, step func(string, RegisterInput) (bool, string)) porcupine.Model {
	return porcupine.Model{
		Init:  func() interface{} { return initial },
		Step:  indeterminate(step),
		Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
		Hash:  func(s interface{}) uint64 { return hashString(s.(string)) },
		DescribeOperation: func(input, _ interface{}) string {
			return input.(RegisterInput).String()
		},
		DescribeState: func(s interface{}) string { return s.(string) },
	}
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
