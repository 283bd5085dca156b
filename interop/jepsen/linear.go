package jepsen

import (
	"errors"
	"fmt"
	"math"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/model"
	"olympos.io/encoding/edn"
)

// This file turns a register history into porcupine operations the way
// Knossos prepares a history (knossos/history.clj: complete, without-failures):
//
//   - an :ok op takes the completion's :value (a read's invoke says nil);
//   - a :fail op did not happen: it is dropped with its invoke;
//   - an :info op, or an invoke the history never completes, may or may not
//     have happened, at any time after its invoke: it keeps the invoke's
//     :value, never returns (porcupine's recipe: an infinite return time) and
//     its output is model.Indeterminate, which the models always accept;
//   - a read whose value is nil is unknown and always legal, so an
//     indeterminate read (which constrains nothing) is dropped.
//
// Call and return times are record positions: Knossos orders ops by their
// place in the history, not by :time.

// Model names, as --model takes them.
const (
	ModelRegister      = "register"
	ModelCASRegister   = "cas-register"
	ModelMultiRegister = "multi-register"
	ModelKafka         = "kafka"
)

// Models lists the model names.
var Models = []string{ModelRegister, ModelCASRegister, ModelMultiRegister, ModelKafka}

// returnNever is the return time of an op whose outcome is unknown.
const returnNever = math.MaxInt64

// linGroup is the operations of one key: the whole history, or with
// Options.Independent one key of jepsen.independent's [key value] tuples.
type linGroup struct {
	key string
	ops []porcupine.Operation
}

// linGroups converts the pairs for a register model, grouped by key in order
// of each key's first op. The Metadata of each operation is its Pair.
func linGroups(h *History, pairs []Pair, modelName string, independent bool) ([]linGroup, error) {
	var groups []linGroup
	at := map[string]int{}
	for _, p := range pairs {
		outcome := p.Outcome()
		if outcome == TypeFail {
			continue
		}
		src := p.Invoke
		if outcome == TypeOK {
			src = p.Completion
		}
		key, value := "", src.Value
		if independent {
			tuple, ok := value.([]any)
			if !ok || len(tuple) != 2 {
				return nil, fmt.Errorf("%s: value %s is not a jepsen.independent [key value] tuple", h.Where(src), clip(Canonical(value)))
			}
			key, value = Canonical(tuple[0]), tuple[1]
		}
		in, err := linInput(modelName, p.Invoke.F, value)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", h.Where(src), err)
		}
		if outcome != TypeOK && unknownRead(in) {
			continue
		}
		ret, out := int64(returnNever), any(model.Indeterminate{})
		if outcome == TypeOK {
			ret, out = int64(p.Completion.Record), nil
		}
		g, ok := at[key]
		if !ok {
			g = len(groups)
			at[key] = g
			groups = append(groups, linGroup{key: key})
		}
		groups[g].ops = append(groups[g].ops, porcupine.Operation{
			ClientId: int(p.Invoke.Process),
			Input:    in,
			Call:     int64(p.Invoke.Record),
			Return:   ret,
			Output:   out,
			Metadata: p,
		})
	}
	return groups, nil
}

// looksIndependent reports whether every op's value is a two-element vector,
// as jepsen.independent's [key value] tuples are: a hint for a user who
// judged such a history as one register.
func looksIndependent(pairs []Pair) bool {
	n := 0
	for _, p := range pairs {
		if v, ok := p.Invoke.Value.([]any); !ok || len(v) != 2 {
			return false
		}
		n++
	}
	return n > 0
}

// unknownRead reports whether an op only reads and every value it read is
// unknown (nil): it can linearize anywhere and changes nothing.
func unknownRead(in any) bool {
	switch x := in.(type) {
	case model.RegisterInput:
		return x.F == model.RegRead && x.Value == model.Nil
	case model.MultiInput:
		for _, m := range x {
			if m.F != model.RegRead || m.Value != model.Nil {
				return false
			}
		}
		return true
	}
	return false
}

// linInput converts one op's :f and :value to the model's input.
func linInput(modelName, f string, value any) (any, error) {
	switch modelName {
	case ModelMultiRegister:
		if f != "txn" {
			return nil, fmt.Errorf(":f :%s: the multi-register model takes :txn ops", f)
		}
		return multiInput(value)
	case ModelRegister, ModelCASRegister:
		switch {
		case f == model.RegRead || f == model.RegWrite:
			return model.RegisterInput{F: f, Value: Canonical(value)}, nil
		case f == model.RegCAS && modelName == ModelCASRegister:
			pair, ok := value.([]any)
			if !ok || len(pair) != 2 {
				return nil, fmt.Errorf(":cas value %s is not [old new]", clip(Canonical(value)))
			}
			return model.RegisterInput{F: f, From: Canonical(pair[0]), To: Canonical(pair[1])}, nil
		}
		want := ":read and :write"
		if modelName == ModelCASRegister {
			want = ":read, :write and :cas"
		}
		return nil, fmt.Errorf(":f :%s: the %s model takes %s", f, modelName, want)
	}
	return nil, fmt.Errorf("model %q is not a register model", modelName)
}

// multiInput converts a transaction [[:read k v] [:write k v] ...].
func multiInput(value any) (model.MultiInput, error) {
	mops, ok := value.([]any)
	if !ok {
		return nil, fmt.Errorf(":txn value %s is not a vector of [f k v]", clip(Canonical(value)))
	}
	in := make(model.MultiInput, 0, len(mops))
	for i, x := range mops {
		mop, ok := x.([]any)
		if !ok || len(mop) != 3 || !(isKeyword(mop[0], model.RegRead) || isKeyword(mop[0], model.RegWrite)) {
			return nil, fmt.Errorf(":txn micro-op %d, %s, is not [:read k v] or [:write k v]", i, clip(Canonical(x)))
		}
		in = append(in, model.MultiMop{F: string(mop[0].(edn.Keyword)), Key: Canonical(mop[1]), Value: Canonical(mop[2])})
	}
	return in, nil
}

// porcupineModel returns the model with its initial value, an EDN text
// ("" = the model's default: nil for registers, {} for the multi-register).
func porcupineModel(modelName, initial string) (porcupine.Model, error) {
	if initial == "" {
		initial = "nil"
		if modelName == ModelMultiRegister {
			initial = "{}"
		}
	}
	var v any
	if err := decodeValue(initial, &v); err != nil {
		return porcupine.Model{}, fmt.Errorf("--initial %q: %v", initial, err)
	}
	switch modelName {
	case ModelRegister:
		return model.RegisterModel(Canonical(v)), nil
	case ModelCASRegister:
		return model.CASRegisterModel(Canonical(v)), nil
	case ModelMultiRegister:
		m, ok := v.(map[any]any)
		if !ok {
			return porcupine.Model{}, fmt.Errorf("--initial %q: the multi-register takes a map, e.g. {:x 0 :y 0}", initial)
		}
		init := make(map[string]string, len(m))
		for k, val := range m {
			init[Canonical(k)] = Canonical(val)
		}
		return model.MultiRegisterModel(init), nil
	}
	return porcupine.Model{}, fmt.Errorf("model %q is not a register model", modelName)
}

// decodeValue decodes one EDN value, turning a library panic into an error.
func decodeValue(text string, v *any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("EDN: %v", r)
		}
	}()
	if err := edn.UnmarshalString(text, v); err != nil {
		return errors.New(oneLine(err.Error()))
	}
	return nil
}
