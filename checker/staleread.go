package checker

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// StaleRead is a cheap real-time check of strong reads that names the
// precise ops: a read-strong R is stale when an op A on the same order
// completed ok strictly before R was invoked and R's status cannot follow
// the status A observed or imposed (place ok: placed; cancel ok: cancelled;
// read-strong ok: the status read).
//
// "Can follow" is reachability over every move PROTOCOL.md allows: place
// (none → placed), the saga steps (placed → reserved|rejected, reserved →
// charged|declined, charged → shipped → completed) and cancel
// (placed|reserved → cancelled). It never flags a linearizable history: any
// linearization puts A before R (A returned before R began), the order is in
// A's status right after A, and every later change, including one by an info
// op, is one of those moves. So an unreachable status has no linearization.
// It misses what needs overlapping ops to see; Linearizable catches those.
type StaleRead struct{}

// NewStaleRead returns the stale-read checker.
func NewStaleRead() *StaleRead { return &StaleRead{} }

// Name is "stale-read".
func (*StaleRead) Name() string { return "stale-read" }

// staleAnomaliesMax caps the anomalies one check lists: a stale-read bug
// breaks most reads alike, and the first ones tell the story.
const staleAnomaliesMax = 100

// staleMoves are the status moves PROTOCOL.md allows, client ops included.
var staleMoves = map[string][]string{
	vocab.StatusNone:     {vocab.StatusPlaced},
	vocab.StatusPlaced:   {vocab.StatusReserved, vocab.StatusRejected, vocab.StatusCancelled},
	vocab.StatusReserved: {vocab.StatusCharged, vocab.StatusDeclined, vocab.StatusCancelled},
	vocab.StatusCharged:  {vocab.StatusShipped},
	vocab.StatusShipped:  {vocab.StatusCompleted},
}

// staleReach[i][j] is set when status j can follow status i (or i == j),
// indices into vocab.Statuses.
var staleReach = func() [][]bool {
	n := len(vocab.Statuses)
	r := make([][]bool, n)
	for i, s := range vocab.Statuses {
		r[i] = make([]bool, n)
		for todo := []string{s}; len(todo) > 0; todo = todo[1:] {
			j := slices.Index(vocab.Statuses, todo[0])
			if r[i][j] {
				continue
			}
			r[i][j] = true
			todo = append(todo, staleMoves[todo[0]]...)
		}
	}
	return r
}()

// staleOp is one ok op on an order with the status it shows.
type staleOp struct {
	pair   history.Pair
	status int // index into vocab.Statuses
}

// staleOrder is what the check needs of one order.
type staleOrder struct {
	key       string
	witnesses []staleOp // ok place, cancel and read-strong ops
	reads     []staleOp // ok read-strong ops
}

// Check sweeps each order's reads in invoke order against the ops that
// completed before each read began.
func (*StaleRead) Check(in *Input) Result {
	orders, reads := staleCollect(in.Ops)
	res := Result{Valid: Valid}
	found := 0
	for _, o := range orders {
		for _, a := range staleSweep(o) {
			found++
			if found <= staleAnomaliesMax {
				res.Invalidate(a)
			}
		}
	}
	res.Note = fmt.Sprintf("%d strong reads of %d orders against the ops completed before each began", reads, len(orders))
	if found > staleAnomaliesMax {
		res.Note += fmt.Sprintf("; listing %d of %d stale reads", staleAnomaliesMax, found)
	}
	return res
}

// staleCollect files the ok place, cancel and read-strong ops by order, in
// order of first appearance. Reads of a status not in vocab.Statuses are
// skipped (Linearizable flags them).
func staleCollect(ops []history.Op) ([]*staleOrder, int) {
	var orders []*staleOrder
	byKey := map[string]*staleOrder{}
	reads := 0
	for _, p := range history.Pairs(ops) {
		if p.Outcome() != vocab.TypeOK || p.Invoke.Key == "" {
			continue
		}
		var status string
		switch p.Invoke.F {
		case vocab.FPlace:
			status = vocab.StatusPlaced
		case vocab.FCancel:
			status = vocab.StatusCancelled
		case vocab.FReadStrong:
			if p.Completion.Value != nil {
				status = p.Completion.Value.Status
			}
		default:
			continue
		}
		s := slices.Index(vocab.Statuses, status)
		if s < 0 {
			continue
		}
		o := byKey[p.Invoke.Key]
		if o == nil {
			o = &staleOrder{key: p.Invoke.Key}
			byKey[o.key] = o
			orders = append(orders, o)
		}
		op := staleOp{pair: p, status: s}
		o.witnesses = append(o.witnesses, op)
		if p.Invoke.F == vocab.FReadStrong {
			o.reads = append(o.reads, op)
			reads++
		}
	}
	return orders, reads
}

// staleSweep returns one anomaly per stale read of o. Reads go in invoke
// order, witnesses in completion order; latest[s] is the last witness of
// status s completed before the current read began. The reported witness is
// the latest-completed one whose status the read cannot follow.
func staleSweep(o *staleOrder) []Anomaly {
	slices.SortStableFunc(o.witnesses, func(a, b staleOp) int {
		return cmp.Compare(a.pair.Completion.Time, b.pair.Completion.Time)
	})
	slices.SortStableFunc(o.reads, func(a, b staleOp) int {
		return cmp.Compare(a.pair.Invoke.Time, b.pair.Invoke.Time)
	})
	latest := make([]*staleOp, len(vocab.Statuses))
	var out []Anomaly
	next := 0
	for _, r := range o.reads {
		for ; next < len(o.witnesses) && o.witnesses[next].pair.Completion.Time < r.pair.Invoke.Time; next++ {
			latest[o.witnesses[next].status] = &o.witnesses[next]
		}
		var w *staleOp
		for s, a := range latest {
			if a != nil && !staleReach[s][r.status] &&
				(w == nil || a.pair.Completion.Time > w.pair.Completion.Time) {
				w = a
			}
		}
		if w == nil {
			continue
		}
		out = append(out, Anomaly{
			Type: vocab.AnomalyStaleRead,
			Key:  o.key,
			Ops:  []int{w.pair.Completion.Index, r.pair.Invoke.Index, r.pair.Completion.Index},
			Detail: fmt.Sprintf("read-strong (history %d→%d) returned %s, which cannot follow %s shown by %s (history %d→%d) completed before it began",
				r.pair.Invoke.Index, r.pair.Completion.Index, vocab.Statuses[r.status], vocab.Statuses[w.status],
				w.pair.Invoke.F, w.pair.Invoke.Index, w.pair.Completion.Index),
		})
	}
	return out
}
