package checker

import (
	"cmp"
	"container/heap"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file generates large linearizable histories of place, cancel and
// read-strong ops for the linearizability tests and benchmark. It simulates
// a correct system directly: every op takes effect at one instant (its
// linearization point) strictly inside [invoke, completion], and the saga
// moves each order on between ops. Processes run one op at a time and pick
// orders from a window that slides over the keys, so ops on one order
// overlap. Every choice comes from the one seeded *rand.Rand.

// linGenConfig sizes a generated history.
type linGenConfig struct {
	events int // history length (invokes + completions)
	orders int
	procs  int
	window int // ops pick among this many recent orders: sets the overlap per order
}

// linGenOp is one generated op, kept small: a million-event history holds
// half a million of them.
type linGenOp struct {
	order          int32
	proc           int32
	f              string
	inv, lin, comp int64
	typ, status    string
	err            string
}

// linGenProcs is a min-heap of processes by the time they are next free.
type linGenProcs [][2]int64 // {free time, process}

func (h linGenProcs) Len() int { return len(h) }
func (h linGenProcs) Less(i, j int) bool {
	return h[i][0] < h[j][0] || h[i][0] == h[j][0] && h[i][1] < h[j][1]
}
func (h linGenProcs) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *linGenProcs) Push(x any)   { *h = append(*h, x.([2]int64)) }
func (h *linGenProcs) Pop() any     { x := (*h)[len(*h)-1]; *h = (*h)[:len(*h)-1]; return x }

// linGenHistory returns a linearizable history of about cfg.events ops.
func linGenHistory(r *rand.Rand, cfg linGenConfig) []history.Op {
	ops := linGenSchedule(r, cfg)
	linGenOutcomes(r, cfg, ops)
	return linGenEmit(cfg, ops)
}

// linGenSchedule picks, in invoke order, who calls what on which order and
// when it takes effect and returns. The first op on each order places it.
func linGenSchedule(r *rand.Rand, cfg linGenConfig) []linGenOp {
	n := cfg.events / 2
	ops := make([]linGenOp, 0, n)
	placed := make([]bool, cfg.orders)
	procs := make(linGenProcs, cfg.procs)
	for p := range procs {
		procs[p] = [2]int64{r.Int64N(100), int64(p)}
	}
	heap.Init(&procs)
	for i := range n {
		free, p := procs[0][0], procs[0][1]
		o := int32(i*(cfg.orders-cfg.window)/n + r.IntN(cfg.window))
		f := vocab.FReadStrong
		switch {
		case !placed[o]:
			f, placed[o] = vocab.FPlace, true
		case r.IntN(40) == 0:
			f = vocab.FCancel
		}
		inv := free
		comp := inv + 2 + r.Int64N(2000)
		lin := inv + 1 + r.Int64N(comp-inv-1)
		ops = append(ops, linGenOp{order: o, proc: int32(p), f: f, inv: inv, lin: lin, comp: comp})
		procs[0][0] = comp + 1 + r.Int64N(400)
		heap.Fix(&procs, 0)
	}
	return ops
}

// linGenSaga lists each status's saga successors, repeated to weight them:
// most orders get through, some are rejected or declined.
var linGenSaga = map[string][]string{
	vocab.StatusPlaced:   {vocab.StatusReserved, vocab.StatusReserved, vocab.StatusReserved, vocab.StatusRejected},
	vocab.StatusReserved: {vocab.StatusCharged, vocab.StatusCharged, vocab.StatusCharged, vocab.StatusDeclined},
	vocab.StatusCharged:  {vocab.StatusShipped},
	vocab.StatusShipped:  {vocab.StatusCompleted},
}

// linGenOutcomes runs each order's ops in linearization order against its
// true status and fills in what the clients saw.
func linGenOutcomes(r *rand.Rand, cfg linGenConfig, ops []linGenOp) {
	byOrder := make([][]int32, cfg.orders)
	for i := range ops {
		byOrder[ops[i].order] = append(byOrder[ops[i].order], int32(i))
	}
	for _, idx := range byOrder {
		slices.SortFunc(idx, func(a, b int32) int { return cmp.Compare(ops[a].lin, ops[b].lin) })
		status := vocab.StatusNone
		for _, i := range idx {
			for next := linGenSaga[status]; len(next) > 0 && r.IntN(8) == 0; next = linGenSaga[status] {
				status = next[r.IntN(len(next))]
			}
			status = linGenApply(r, &ops[i], status)
		}
	}
}

// linGenApply gives op its outcome in status and returns the new status.
// Some ops end info: a place or cancel may then have taken effect or not.
func linGenApply(r *rand.Rand, op *linGenOp, status string) string {
	op.typ = vocab.TypeOK
	infoRoll := r.IntN(100)
	switch op.f {
	case vocab.FReadStrong:
		switch {
		case infoRoll == 0:
			op.typ = vocab.TypeInfo
		case infoRoll == 1:
			op.typ, op.err = vocab.TypeFail, "unavailable"
		default:
			op.status = status
		}
		return status
	case vocab.FPlace:
		if status != vocab.StatusNone {
			op.typ, op.err = vocab.TypeFail, vocab.ErrDuplicateID
			return status
		}
		if infoRoll < 3 {
			op.typ = vocab.TypeInfo
			if infoRoll == 0 {
				return status // lost before it was written
			}
		}
		return vocab.StatusPlaced
	}
	switch {
	case status == vocab.StatusNone:
		op.typ, op.err = vocab.TypeFail, vocab.ErrNotFound
	case status != vocab.StatusPlaced && status != vocab.StatusReserved:
		op.typ, op.err = vocab.TypeFail, vocab.ErrNotCancellable
	case infoRoll < 10:
		op.typ = vocab.TypeInfo
		if infoRoll < 5 {
			return status
		}
		return vocab.StatusCancelled
	default:
		return vocab.StatusCancelled
	}
	if infoRoll < 5 { // a fail can also time out: the client then sees info
		op.typ, op.err = vocab.TypeInfo, ""
	}
	return status
}

// linGenEmit writes the ops as history events in time order. An op's
// completion and the process's next invoke never share a time.
func linGenEmit(cfg linGenConfig, ops []linGenOp) []history.Op {
	keys := make([]string, cfg.orders)
	for i := range keys {
		keys[i] = fmt.Sprintf("o-%d", i)
	}
	// Values are shared between events: nothing downstream writes to them.
	placeValue := &history.Value{Customer: "c-1", SKU: "s-1", Qty: 1, Amount: 10}
	statusValues := map[string]*history.Value{}
	for _, s := range vocab.Statuses {
		statusValues[s] = &history.Value{Status: s}
	}
	events := make([]int64, 0, 2*len(ops)) // op index << 1 | 1 for a completion
	for i := range ops {
		events = append(events, int64(i)<<1, int64(i)<<1|1)
	}
	at := func(e int64) int64 {
		if e&1 == 0 {
			return ops[e>>1].inv
		}
		return ops[e>>1].comp
	}
	slices.SortFunc(events, func(a, b int64) int { return cmp.Or(cmp.Compare(at(a), at(b)), cmp.Compare(a, b)) })
	out := make([]history.Op, len(events))
	for i, e := range events {
		op := &ops[e>>1]
		h := history.Op{Index: i, Type: vocab.TypeInvoke, Process: int(op.proc), F: op.f, Key: keys[op.order], Time: op.inv}
		if e&1 == 0 {
			if op.f == vocab.FPlace {
				h.Value = placeValue
			}
		} else {
			h.Type, h.Time, h.Error = op.typ, op.comp, op.err
			if op.status != "" {
				h.Value = statusValues[op.status]
			}
		}
		out[i] = h
	}
	return out
}
