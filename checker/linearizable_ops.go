package checker

import (
	"math"
	"runtime/metrics"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/model"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file turns a history into porcupine operations, one partition per
// order, and runs one bounded porcupine search.

// linReturnNever is the return time of an op whose outcome is unknown (info,
// or never completed): porcupine's recipe, so that it may linearize at any
// point after its invoke, including after every other op.
const linReturnNever = math.MaxInt64

// linRef ties a porcupine operation to the history; it is the operation's
// Metadata.
type linRef struct {
	inv  int // history index of the invoke
	comp int // history index of the completion, -1 when it never completed
}

// linPartition is one order's ops, in invoke order.
type linPartition struct {
	key string
	ops []porcupine.Operation
}

// linHistory is the part of a history the linearizability checker judges.
type linHistory struct {
	parts   []linPartition // in order of each order's first invoke
	ops     int            // operations kept
	dropped int            // place fails and read-strong fails/infos: they tell nothing
}

// linBuild pairs the history's client ops and keeps place, cancel and
// read-strong ops on orders. Dropped: place fails (they wrote nothing) and
// read-strong fails and infos (they observed nothing).
func linBuild(ops []history.Op) linHistory {
	var h linHistory
	at := map[string]int{}
	for _, p := range history.Pairs(ops) {
		inv := p.Invoke
		if inv.Key == "" || (inv.F != vocab.FPlace && inv.F != vocab.FCancel && inv.F != vocab.FReadStrong) {
			continue
		}
		outcome := p.Outcome()
		if outcome == vocab.TypeFail && inv.F == vocab.FPlace ||
			outcome != vocab.TypeOK && inv.F == vocab.FReadStrong {
			h.dropped++
			continue
		}
		op := linOperation(p, outcome)
		i, ok := at[inv.Key]
		if !ok {
			i = len(h.parts)
			at[inv.Key] = i
			h.parts = append(h.parts, linPartition{key: inv.Key})
		}
		h.parts[i].ops = append(h.parts[i].ops, op)
		h.ops++
	}
	return h
}

// linOperation converts one paired op; its ClientId is the process (remapped
// densely only for visualization, the search does not use it).
func linOperation(p history.Pair, outcome string) porcupine.Operation {
	ref := linRef{inv: p.Invoke.Index, comp: -1}
	out := model.OrderOutput{Type: outcome}
	ret := int64(linReturnNever)
	if c := p.Completion; c != nil {
		ref.comp = c.Index
		out.Error = c.Error
		if c.Value != nil {
			out.Status = c.Value.Status
		}
		if outcome != vocab.TypeInfo {
			ret = c.Time
		}
	}
	return porcupine.Operation{
		ClientId: p.Invoke.Process,
		Input:    model.OrderInput{Key: p.Invoke.Key, F: p.Invoke.F},
		Call:     p.Invoke.Time,
		Output:   out,
		Return:   ret,
		Metadata: ref,
	}
}

// linOutcome is the result of one search. why says what stopped an Unknown.
type linOutcome struct {
	res porcupine.CheckResult
	why string
}

const (
	linWhyTimeout = "time budget"
	linWhyMemory  = "memory bound"
)

// linGuard bounds the memory of one porcupine search. On every new step
// porcupine caches a copy of its linearized-ops bitset (n/8 bytes) and the
// new state, and frees nothing before it returns, so a deep search over n
// ops holds O(n²) bytes: an unpartitioned search of 500k ops would fill tens
// of GB within seconds, long before a timeout. Every linGuardEvery legal
// steps it reads the Go heap; past heapMax it refuses every step, the search
// unwinds in a moment, and the caller reports Unknown, never the Illegal
// porcupine then returns.
type linGuard struct {
	heapMax int64 // heap bytes (live and not yet swept) past which the search stops
	steps   int64 // touched only by the one search goroutine (one partition per call)
	tripped atomic.Bool
}

// linGuardEvery legal steps the guard reads the heap: a read costs about a
// microsecond, a step a few hundred nanoseconds.
const linGuardEvery = 1024

func (g *linGuard) wrap(m porcupine.Model) porcupine.Model {
	step := m.Step
	m.StepContext = nil
	m.Step = func(state, input, output any) (bool, any) {
		if g.tripped.Load() {
			return false, nil
		}
		ok, next := step(state, input, output)
		if ok {
			if g.steps++; g.steps%linGuardEvery == 0 && linHeapBytes() > g.heapMax {
				g.tripped.Store(true)
				return false, nil
			}
		}
		return ok, next
	}
	return m
}

// linHeapBytes returns the bytes of heap objects, live or not yet swept.
func linHeapBytes() int64 {
	s := [1]metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s[:])
	return int64(s[0].Value.Uint64())
}

// linSearch runs porcupine on ops (one partition: m must have no Partition
// function, or the guard's step count would be shared by several
// goroutines) within deadline (zero = no limit) and heapMax. Verbose also
// returns porcupine's linearization info, for explanations.
func linSearch(m porcupine.Model, ops []porcupine.Operation, deadline time.Time,
	heapMax int64, verbose bool) (linOutcome, porcupine.LinearizationInfo) {
	var info porcupine.LinearizationInfo
	var timeout time.Duration // porcupine: 0 = no limit
	if !deadline.IsZero() {
		if timeout = time.Until(deadline); timeout <= 0 {
			return linOutcome{res: porcupine.Unknown, why: linWhyTimeout}, info
		}
	}
	g := &linGuard{heapMax: heapMax}
	gm := g.wrap(m)
	var res porcupine.CheckResult
	if verbose {
		res, info = porcupine.CheckOperationsVerbose(gm, ops, timeout)
	} else {
		res = porcupine.CheckOperationsTimeout(gm, ops, timeout)
	}
	switch {
	case res == porcupine.Ok:
		return linOutcome{res: res}, info
	case g.tripped.Load():
		return linOutcome{res: porcupine.Unknown, why: linWhyMemory}, info
	case res == porcupine.Unknown:
		return linOutcome{res: res, why: linWhyTimeout}, info
	}
	return linOutcome{res: res}, info
}
