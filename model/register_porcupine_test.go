package model

import (
	"testing"

	"github.com/anishathalye/porcupine"
)

// Cases from knossos/model.clj's Register, CASRegister and MultiRegister.
func TestStepRegisters(t *testing.T) {
	for _, c := range []struct {
		name  string
		cas   bool
		state string
		in    RegisterInput
		ok    bool
		next  string
	}{
		{"write sets", false, "0", RegisterInput{F: RegWrite, Value: "3"}, true, "3"},
		{"read equal", false, "3", RegisterInput{F: RegRead, Value: "3"}, true, "3"},
		{"read other", false, "3", RegisterInput{F: RegRead, Value: "4"}, false, "3"},
		{"nil read is unknown", false, "3", RegisterInput{F: RegRead, Value: Nil}, true, "3"},
		{"register has no cas", false, "1", RegisterInput{F: RegCAS, From: "1", To: "2"}, false, "1"},
		{"cas matches", true, "1", RegisterInput{F: RegCAS, From: "1", To: "2"}, true, "2"},
		{"cas mismatch", true, "0", RegisterInput{F: RegCAS, From: "1", To: "2"}, false, "0"},
		{"cas from nil", true, Nil, RegisterInput{F: RegCAS, From: Nil, To: "2"}, true, "2"},
		{"cas register reads", true, "2", RegisterInput{F: RegRead, Value: "1"}, false, "2"},
		{"strings differ from ints", true, `"1"`, RegisterInput{F: RegRead, Value: "1"}, false, `"1"`},
	} {
		step := StepRegister
		if c.cas {
			step = StepCASRegister
		}
		ok, next := step(c.state, c.in)
		if ok != c.ok || next != c.next {
			t.Errorf("%s: step(%q, %v) = %v, %q; want %v, %q", c.name, c.state, c.in, ok, next, c.ok, c.next)
		}
	}
}

func TestStepMultiRegister(t *testing.T) {
	s := EncodeMulti(map[string]string{":x": "0", ":y": "0"})
	ok, s2 := StepMultiRegister(s, MultiInput{{RegRead, ":x", "0"}, {RegWrite, ":y", "2"}, {RegRead, ":y", "2"}})
	if !ok || s2.String() != "{:x 0, :y 2}" {
		t.Fatalf("txn: ok=%v state=%s", ok, s2)
	}
	if s.String() != "{:x 0, :y 0}" {
		t.Fatalf("step modified its input state: %s", s)
	}
	if ok, _ := StepMultiRegister(s2, MultiInput{{RegRead, ":y", "0"}}); ok {
		t.Fatal("read of an overwritten value linearized")
	}
	if ok, _ := StepMultiRegister(s2, MultiInput{{RegRead, ":z", "1"}}); ok {
		t.Fatal("read of 1 from a key never written linearized")
	}
	if ok, _ := StepMultiRegister(s2, MultiInput{{RegRead, ":z", Nil}, {RegRead, ":x", Nil}}); !ok {
		t.Fatal("nil reads must always linearize")
	}
	// Length prefixes keep keys and values with separators apart.
	odd := map[string]string{"a:1": "2:b", "": "", "k": "nil"}
	if got := EncodeMulti(odd).Decode(); len(got) != 3 || got["a:1"] != "2:b" || got[""] != "" || got["k"] != "nil" {
		t.Fatalf("round trip: %v", got)
	}
	if got := MultiState("3:ab").Decode(); len(got) != 0 {
		t.Fatalf("malformed state decoded to %v", got)
	}
}

// A stale read after a completed write is not linearizable; the same read
// concurrent with the write is.
func TestRegisterModelsWithPorcupine(t *testing.T) {
	ops := func(readAt int64) []porcupine.Operation {
		return []porcupine.Operation{
			{ClientId: 0, Input: RegisterInput{F: RegWrite, Value: "1"}, Call: 0, Return: 10},
			{ClientId: 1, Input: RegisterInput{F: RegRead, Value: "0"}, Call: readAt, Return: readAt + 10},
		}
	}
	for _, m := range []porcupine.Model{RegisterModel("0"), CASRegisterModel("0")} {
		if porcupine.CheckOperations(m, ops(20)) {
			t.Error("stale read after the write linearized")
		}
		if !porcupine.CheckOperations(m, ops(5)) {
			t.Error("read concurrent with the write did not linearize")
		}
	}
	multi := []porcupine.Operation{
		{ClientId: 0, Input: MultiInput{{RegWrite, ":x", "1"}, {RegWrite, ":y", "1"}}, Call: 0, Return: 10},
		{ClientId: 1, Input: MultiInput{{RegRead, ":x", "1"}, {RegRead, ":y", "0"}}, Call: 5, Return: 15},
	}
	if porcupine.CheckOperations(MultiRegisterModel(map[string]string{":x": "0", ":y": "0"}), multi) {
		t.Error("a torn read of a two-key write linearized")
	}
}

// An op whose outcome is unknown may not have happened: a pending cas whose
// compare can never succeed, and a pending write nobody read, still
// linearize; a read of that write's value shows it happened.
func TestIndeterminateOps(t *testing.T) {
	never := int64(1 << 62)
	pending := []porcupine.Operation{
		{ClientId: 0, Input: RegisterInput{F: RegWrite, Value: "3"}, Call: 0, Return: never, Output: Indeterminate{}},
		{ClientId: 1, Input: RegisterInput{F: RegCAS, From: "1", To: "0"}, Call: 1, Return: never, Output: Indeterminate{}},
		{ClientId: 2, Input: RegisterInput{F: RegRead, Value: "0"}, Call: 2, Return: 3},
	}
	if !porcupine.CheckOperations(CASRegisterModel("0"), pending) {
		t.Fatal("pending write and impossible pending cas did not linearize")
	}
	pending[2].Input = RegisterInput{F: RegRead, Value: "3"}
	if !porcupine.CheckOperations(CASRegisterModel("0"), pending) {
		t.Fatal("a read of a pending write's value did not linearize")
	}
	pending[2].Input = RegisterInput{F: RegRead, Value: "5"}
	if porcupine.CheckOperations(CASRegisterModel("0"), pending) {
		t.Fatal("a read of a value nobody wrote linearized")
	}
	// The same cas completed ok must take effect, so it cannot linearize.
	okCAS := []porcupine.Operation{{ClientId: 1, Input: RegisterInput{F: RegCAS, From: "1", To: "0"}, Call: 1, Return: 2}}
	if porcupine.CheckOperations(CASRegisterModel("0"), okCAS) {
		t.Fatal("an ok cas from a value the register never held linearized")
	}
}
