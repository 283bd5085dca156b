package sut

import (
	"fmt"
	"slices"
	"strings"

	"github.com/anishathalye/porcupine"
)

// BuiltinModels are the models `jepsen-lite check` can judge a history
// with again, by name.
var BuiltinModels = map[string]func() Model{
	"kv": KVModel,
}

func builtinNames() string {
	names := make([]string, 0, len(BuiltinModels))
	for n := range BuiltinModels {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// KVModel is the model of a key-value store whose keys are independent
// registers of integers, as Knossos' cas-register, one per key; every
// key starts absent. Its calls are:
//
//	f       argument (Op.Value)  result (Reply.Value)
//	read    none                 the value, or null when absent
//	write   v (int)              none
//	cas     [from, to] (ints)    none; ok when the value was from and is now to
//
// A cas that found another value must reply Fail (it took no effect).
// Reads whose outcome is unknown are skipped; writes and cas with unknown
// outcome may take effect at any time after their invoke.
func KVModel() Model {
	return Model{Name: "kv", Porcupine: kvPorcupine, Decode: kvDecode}
}

// kvState is one register: absent, or holding V. Comparable, as porcupine's
// default equality needs.
type kvState struct {
	Set bool
	V   int
}

func (s kvState) String() string {
	if !s.Set {
		return "absent"
	}
	return fmt.Sprint(s.V)
}

// kvInput is a decoded call; Got is a read's result.
type kvInput struct {
	F        string
	V, To    int
	Got      kvState
	Info     bool // the outcome is unknown
	Describe string
}

var kvPorcupine = porcupine.Model{
	Init: func() any { return kvState{} },
	Step: func(state, input, _ any) (bool, any) {
		s, in := state.(kvState), input.(kvInput)
		switch in.F {
		case "read":
			return s == in.Got, s
		case "write":
			return true, kvState{Set: true, V: in.V}
		}
		// cas
		if s == (kvState{Set: true, V: in.V}) {
			return true, kvState{Set: true, V: in.To}
		}
		return in.Info, s // an unknown cas may have found another value
	},
	DescribeOperation: func(input, _ any) string { return input.(kvInput).Describe },
	DescribeState:     func(state any) string { return state.(kvState).String() },
}

func kvDecode(c Call) (any, any, error) {
	in := kvInput{F: c.F, Info: c.Outcome == Info}
	switch c.F {
	case "read":
		if in.Info {
			return nil, nil, ErrSkip
		}
		var v *int
		if len(c.Ret) > 0 {
			if err := c.DecodeRet(&v); err != nil {
				return nil, nil, err
			}
		}
		if v != nil {
			in.Got = kvState{Set: true, V: *v}
		}
		in.Describe = fmt.Sprintf("read %s → %s", c.Key, in.Got)
	case "write":
		if err := c.DecodeArg(&in.V); err != nil {
			return nil, nil, err
		}
		in.Describe = fmt.Sprintf("write %s %d", c.Key, in.V)
	case "cas":
		var ft [2]int
		if err := c.DecodeArg(&ft); err != nil {
			return nil, nil, err
		}
		in.V, in.To = ft[0], ft[1]
		in.Describe = fmt.Sprintf("cas %s %d→%d", c.Key, in.V, in.To)
	default:
		return nil, nil, fmt.Errorf("history op %d: f %q is not read, write or cas", c.Invoke, c.F)
	}
	if in.Info {
		in.Describe += " (unknown)"
	}
	return in, nil, nil
}
