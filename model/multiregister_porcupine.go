package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/anishathalye/porcupine"
)

// This file is a porcupine model of Knossos' multi-register
// (knossos/model.clj: multi-register): registers named by keys, read and
// written by transactions. A transaction (Knossos: :f :txn, :value
// [[:read k v] [:write k v] ...]) applies its micro-ops in order; a read of
// Nil is always legal, a read of a key never written returns Nil.
//
// The state is a map encoded as a canonical string (MultiState) so that
// porcupine can compare and hash states; keys and values are canonical
// strings as in register_porcupine.go.

// MultiMop is one micro-op of a multi-register transaction: F is RegRead or
// RegWrite.
type MultiMop struct {
	F     string
	Key   string
	Value string
}

// MultiInput is a transaction, as completed (reads carry the values read).
type MultiInput []MultiMop

func (in MultiInput) String() string {
	parts := make([]string, len(in))
	for i, m := range in {
		parts[i] = fmt.Sprintf("[%s %s %s]", m.F, m.Key, m.Value)
	}
	return "txn [" + strings.Join(parts, " ") + "]"
}

// MultiState is the encoded state: keys in sorted order, each key and value
// length-prefixed, so that equal maps have equal encodings.
type MultiState string

// EncodeMulti encodes a map of keys to canonical values.
func EncodeMulti(m map[string]string) MultiState {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, s := range []string{k, m[k]} {
			b.WriteString(strconv.Itoa(len(s)))
			b.WriteByte(':')
			b.WriteString(s)
		}
	}
	return MultiState(b.String())
}

// Decode returns the map the state encodes. An encoding EncodeMulti did not
// produce decodes as far as it is well formed.
func (s MultiState) Decode() map[string]string {
	m := map[string]string{}
	rest := string(s)
	for rest != "" {
		k, r, ok := cutPrefixed(rest)
		if !ok {
			break
		}
		v, r, ok := cutPrefixed(r)
		if !ok {
			break
		}
		m[k], rest = v, r
	}
	return m
}

func cutPrefixed(s string) (string, string, bool) {
	n, body, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", false
	}
	l, err := strconv.Atoi(n)
	if err != nil || l < 0 || l > len(body) {
		return "", "", false
	}
	return body[:l], body[l:], true
}

// String shows the map, e.g. "{x 1, y 2}".
func (s MultiState) String() string {
	m := s.Decode()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + m[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// StepMultiRegister applies a transaction: every read must match the state as
// the transaction's earlier writes left it. It does not modify s.
func StepMultiRegister(s MultiState, in MultiInput) (bool, MultiState) {
	m := s.Decode()
	for _, mop := range in {
		switch mop.F {
		case RegWrite:
			m[mop.Key] = mop.Value
		case RegRead:
			cur, ok := m[mop.Key]
			if !ok {
				cur = Nil
			}
			if mop.Value != Nil && mop.Value != cur {
				return false, s
			}
		default:
			return false, s
		}
	}
	return true, EncodeMulti(m)
}

// MultiRegisterModel is Knossos' (multi-register initial) for porcupine:
// inputs are MultiInput, outputs nil or Indeterminate.
func MultiRegisterModel(initial map[string]string) porcupine.Model {
	init := EncodeMulti(initial)
	return porcupine.Model{
		Init:  func() interface{} { return init },
		Step:  indeterminate(StepMultiRegister),
		Equal: func(a, b interface{}) bool { return a.(MultiState) == b.(MultiState) },
		Hash:  func(s interface{}) uint64 { return hashString(string(s.(MultiState))) },
		DescribeOperation: func(input, _ interface{}) string {
			return input.(MultiInput).String()
		},
		DescribeState: func(s interface{}) string { return s.(MultiState).String() },
	}
}
