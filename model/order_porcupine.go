package model

import (
	"strings"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file is a porcupine model of ONE order's status under the saga of
// docs/PROTOCOL.md. It is written from the protocol text alone: the model
// must not share logic with system/, or it would share its bugs.
//
// The saga moves an order on its own between two client ops (placed →
// reserved, …), so the model cannot know the exact status after an op. Its
// state is therefore the set of statuses the order may be in; the saga steps
// are applied lazily, as a reflexive-transitive closure, when the next op is
// judged. Two states with the same closure accept exactly the same futures,
// so Equal and Hash compare closures: porcupine's cache then merges them.

// StatusSet is a set of order statuses: bit i stands for vocab.Statuses[i].
type StatusSet uint16

// statusBits maps a status name to its one-bit set.
var statusBits = func() map[string]StatusSet {
	if len(vocab.Statuses) > 16 {
		panic("model: StatusSet has 16 bits, vocab.Statuses has more")
	}
	m := make(map[string]StatusSet, len(vocab.Statuses))
	for i, s := range vocab.Statuses {
		m[s] = 1 << i
	}
	return m
}()

// sagaSteps are the internal transitions a reader may observe between two
// client ops (PROTOCOL.md, Saga). Only place and cancel move an order otherwise.
var sagaSteps = map[string][]string{
	vocab.StatusPlaced:   {vocab.StatusReserved, vocab.StatusRejected},
	vocab.StatusReserved: {vocab.StatusCharged, vocab.StatusDeclined},
	vocab.StatusCharged:  {vocab.StatusShipped},
	vocab.StatusShipped:  {vocab.StatusCompleted},
}

// sagaReach[i] is the reflexive-transitive closure of sagaSteps from status i.
var sagaReach = func() [16]StatusSet {
	var r [16]StatusSet
	for i, s := range vocab.Statuses {
		r[i] = 1 << i
		for frontier := []string{s}; len(frontier) > 0; {
			next := frontier[0]
			frontier = frontier[1:]
			for _, t := range sagaSteps[next] {
				if b := statusBits[t]; r[i]&b == 0 {
					r[i] |= b
					frontier = append(frontier, t)
				}
			}
		}
	}
	return r
}()

// Sets the steps test against.
var (
	setNone           = SetOf(vocab.StatusNone)
	setPlaced         = SetOf(vocab.StatusPlaced)
	setCancelled      = SetOf(vocab.StatusCancelled)
	setCancellable    = SetOf(vocab.StatusPlaced, vocab.StatusReserved)
	setNotCancellable = SetOf(vocab.StatusCharged, vocab.StatusShipped, vocab.StatusCompleted,
		vocab.StatusRejected, vocab.StatusDeclined, vocab.StatusCancelled)
)

// SetOf returns the set of the named statuses; names not in vocab.Statuses
// are ignored.
func SetOf(statuses ...string) StatusSet {
	var s StatusSet
	for _, name := range statuses {
		s |= statusBits[name]
	}
	return s
}

// Has reports whether status is in s.
func (s StatusSet) Has(status string) bool {
	b, ok := statusBits[status]
	return ok && s&b != 0
}

// Closure returns s with every status the saga can reach from it on its own.
func (s StatusSet) Closure() StatusSet {
	var c StatusSet
	for i := range vocab.Statuses {
		if s&(1<<i) != 0 {
			c |= sagaReach[i]
		}
	}
	return c
}

// String lists the statuses in vocab.Statuses order, e.g. "{placed|reserved}".
func (s StatusSet) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, name := range vocab.Statuses {
		if s&(1<<i) == 0 {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte('|')
		}
		b.WriteString(name)
	}
	b.WriteByte('}')
	return b.String()
}

// OrderInput is what a client asked: the porcupine input of one op.
type OrderInput struct {
	Key string // the order, o-N; the partition key
	F   string // vocab.FPlace, vocab.FCancel or vocab.FReadStrong
}

// OrderOutput is what the client saw: the porcupine output of one op.
type OrderOutput struct {
	Type   string // vocab.TypeOK, vocab.TypeFail or vocab.TypeInfo
	Status string // the status a read-strong ok returned
	Error  string // the error of a fail
}

// StepOrder is the model's transition: whether an order whose status is one
// of s may answer in with out, and the set it may be in afterwards. It is
// pure; the result is not closed (the next step closes it).
//
// An info op (outcome unknown) may or may not have taken effect, so its
// result is the union of both: legal from every state. Treating it as ok
// would be unsound: porcupine gives it an infinite return time, and an info
// cancel that in fact failed on a charged order could then linearize nowhere.
func StepOrder(s StatusSet, in OrderInput, out OrderOutput) (bool, StatusSet) {
	c := s.Closure()
	switch in.F {
	case vocab.FPlace:
		return stepPlace(s, c, out)
	case vocab.FCancel:
		return stepCancel(s, c, out)
	case vocab.FReadStrong:
		return stepRead(s, c, out)
	}
	return false, 0
}

func stepPlace(s, c StatusSet, out OrderOutput) (bool, StatusSet) {
	switch out.Type {
	case vocab.TypeOK:
		return c&setNone != 0, setPlaced
	case vocab.TypeInfo:
		if c&setNone != 0 {
			return true, s | setPlaced
		}
		return true, s
	case vocab.TypeFail:
		// A failed place wrote nothing (validation or duplicate id).
		return true, s
	}
	return false, 0
}

func stepCancel(s, c StatusSet, out OrderOutput) (bool, StatusSet) {
	switch out.Type {
	case vocab.TypeOK:
		return c&setCancellable != 0, setCancelled
	case vocab.TypeInfo:
		if c&setCancellable != 0 {
			return true, s | setCancelled
		}
		return true, s
	case vocab.TypeFail:
		switch out.Error {
		case vocab.ErrNotFound:
			return c&setNone != 0, setNone
		case vocab.ErrNotCancellable:
			x := c & setNotCancellable
			return x != 0, x
		}
		// Any other error wrote nothing and says nothing about the status.
		return true, s
	}
	return false, 0
}

func stepRead(s, c StatusSet, out OrderOutput) (bool, StatusSet) {
	switch out.Type {
	case vocab.TypeOK:
		b, ok := statusBits[out.Status]
		return ok && c&b != 0, b
	case vocab.TypeFail, vocab.TypeInfo:
		return true, s // a read that failed or timed out observed nothing
	}
	return false, 0
}

// OrderModel returns the porcupine model of one order, partitioned by
// OrderInput.Key: inputs are OrderInput, outputs OrderOutput, states
// StatusSet. Init is {none}.
func OrderModel() porcupine.Model {
	return porcupine.Model{
		Partition: PartitionByOrder,
		Init:      func() any { return setNone },
		Step: func(state, input, output any) (bool, any) {
			ok, next := StepOrder(state.(StatusSet), input.(OrderInput), output.(OrderOutput))
			return ok, next
		},
		Equal: func(a, b any) bool { return a.(StatusSet).Closure() == b.(StatusSet).Closure() },
		Hash:  func(s any) uint64 { return uint64(s.(StatusSet).Closure()) },
		DescribeOperation: func(input, output any) string {
			return DescribeOrderOp(input.(OrderInput), output.(OrderOutput))
		},
		DescribeState: func(s any) string { return s.(StatusSet).String() },
	}
}

// PartitionByOrder splits a history by OrderInput.Key, partitions in order of
// first appearance so that results are deterministic.
func PartitionByOrder(ops []porcupine.Operation) [][]porcupine.Operation {
	at := map[string]int{}
	var parts [][]porcupine.Operation
	for _, op := range ops {
		key := op.Input.(OrderInput).Key
		i, ok := at[key]
		if !ok {
			i = len(parts)
			at[key] = i
			parts = append(parts, nil)
		}
		parts[i] = append(parts[i], op)
	}
	return parts
}

// DescribeOrderOp renders one op for people, e.g. "read-strong → charged",
// "cancel → not-cancellable", "place → info".
func DescribeOrderOp(in OrderInput, out OrderOutput) string {
	res := out.Type
	switch {
	case out.Type == vocab.TypeOK && in.F == vocab.FReadStrong:
		res = out.Status
		if res == "" {
			res = `""`
		}
	case out.Type == vocab.TypeFail && out.Error != "":
		res = out.Error
	}
	return in.F + " → " + res
}
