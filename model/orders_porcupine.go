package model

import (
	"fmt"
	"strings"

	"github.com/anishathalye/porcupine"
)

// This file is a porcupine model of every order at once. Judging a run never
// needs it: orders are independent, so a history is linearizable iff each
// order's sub-history is, and the checker partitions by order. It exists so
// that a benchmark can run porcupine on a whole history unpartitioned and
// show what partitioning buys (the search then interleaves unrelated orders).

// ordersChunkLen orders share one chunk of the persistent vector below.
const ordersChunkLen = 64

type ordersChunk [ordersChunkLen]StatusSet

// ordersState is one immutable state of every order. It is a persistent
// vector: a step copies the chunk table and the one chunk it changes, so a
// step costs keys/64 pointers plus 128 bytes instead of a copy of every
// order. Sets are stored closed (StatusSet.Closure), which makes equal
// states byte-equal; hash is kept up to date on every step so that porcupine's
// cache compares only states whose hashes collide.
type ordersState struct {
	chunks []*ordersChunk
	hash   uint64 // XOR over orders whose set is not {none} of ordersMix(slot, set)
}

// ordersMix is a 64-bit mixer (splitmix64's finalizer) of a slot and its set.
func ordersMix(slot int, s StatusSet) uint64 {
	if s == setNone {
		return 0 // Init's state hashes to 0 without a pass over every order
	}
	x := uint64(slot)<<16 | uint64(s)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// OrdersModel returns a porcupine model of all the orders of keys in one
// state, without a partition function. Inputs and outputs are those of
// OrderModel; a step on a key not in keys panics (the caller lists every
// order of the history it checks).
func OrdersModel(keys []string) porcupine.Model {
	slots := make(map[string]int, len(keys))
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		if _, dup := slots[k]; !dup {
			slots[k] = len(names)
			names = append(names, k)
		}
	}
	blank := new(ordersChunk)
	for i := range blank {
		blank[i] = setNone
	}
	chunks := (len(names) + ordersChunkLen - 1) / ordersChunkLen
	return porcupine.Model{
		Init: func() any {
			st := &ordersState{chunks: make([]*ordersChunk, chunks)}
			for i := range st.chunks {
				st.chunks[i] = blank // shared: chunks are never written after creation
			}
			return st
		},
		Step: func(state, input, output any) (bool, any) {
			in := input.(OrderInput)
			slot, ok := slots[in.Key]
			if !ok {
				panic(fmt.Sprintf("model: OrdersModel has no order %q", in.Key))
			}
			return ordersStep(state.(*ordersState), slot, in, output.(OrderOutput))
		},
		Equal: func(a, b any) bool { return ordersEqual(a.(*ordersState), b.(*ordersState)) },
		Hash:  func(s any) uint64 { return s.(*ordersState).hash },
		DescribeOperation: func(input, output any) string {
			in := input.(OrderInput)
			return in.Key + " " + DescribeOrderOp(in, output.(OrderOutput))
		},
		DescribeState: func(s any) string { return ordersDescribe(s.(*ordersState), names) },
	}
}

func ordersStep(st *ordersState, slot int, in OrderInput, out OrderOutput) (bool, any) {
	ci, off := slot/ordersChunkLen, slot%ordersChunkLen
	old := st.chunks[ci][off]
	ok, next := StepOrder(old, in, out)
	if !ok {
		return false, nil
	}
	next = next.Closure()
	if next == old {
		return true, st // unchanged: sharing an immutable state is pure
	}
	chunk := *st.chunks[ci]
	chunk[off] = next
	ns := &ordersState{
		chunks: append([]*ordersChunk(nil), st.chunks...),
		hash:   st.hash ^ ordersMix(slot, old) ^ ordersMix(slot, next),
	}
	ns.chunks[ci] = &chunk
	return true, ns
}

func ordersEqual(a, b *ordersState) bool {
	if a == b {
		return true
	}
	if a.hash != b.hash || len(a.chunks) != len(b.chunks) {
		return false
	}
	for i := range a.chunks {
		if a.chunks[i] != b.chunks[i] && *a.chunks[i] != *b.chunks[i] {
			return false
		}
	}
	return true
}

// ordersDescribeMax bounds how many orders DescribeState lists.
const ordersDescribeMax = 20

func ordersDescribe(st *ordersState, names []string) string {
	var b strings.Builder
	b.WriteByte('{')
	n := 0
	for slot, name := range names {
		s := st.chunks[slot/ordersChunkLen][slot%ordersChunkLen]
		if s == setNone {
			continue
		}
		if n == ordersDescribeMax {
			b.WriteString(", …")
			break
		}
		if n > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", name, s)
		n++
	}
	b.WriteByte('}')
	return b.String()
}
