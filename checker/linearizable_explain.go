package checker

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/model"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// This file explains one non-linearizable order: it re-runs porcupine with
// linearization info on that order's ops alone (the fast pass keeps none),
// names where the search got stuck, and writes porcupine's visualization of
// that order only, so that the file stays small.

// explain builds the anomaly of failing partition p and, when visualize is
// set and in.OutDir is not empty, writes OutDir/linearizable-<key>.html and
// returns its name.
func (c *Linearizable) explain(in *Input, p linPartition, deadline time.Time, heapMax int64, visualize bool) (Anomaly, string, error) {
	ops := linDenseClients(p.ops)
	a := Anomaly{Type: vocab.AnomalyNonlinearizable, Key: p.key}
	if least := time.Now().Add(linExplainMin); !deadline.IsZero() && deadline.Before(least) {
		deadline = least
	}
	m := orderModel()
	m.DescribeOperationMetadata = linDescribeRef
	o, info := linSearch(m, ops, deadline, heapMax, true)
	if o.res != porcupine.Illegal {
		a.Ops, a.Detail = linCapOps(ops, -1, fmt.Sprintf(
			"no linearization of %d ops (the detailed re-run stopped at its %s)", len(ops), o.why))
		return a, "", nil
	}
	var prefix []int
	if parts := info.PartialLinearizations(); len(parts) == 1 {
		prefix = linLongest(parts[0])
	}
	state := model.SetOf(vocab.StatusNone)
	for _, id := range prefix {
		_, state = model.StepOrder(state, ops[id].Input.(model.OrderInput), ops[id].Output.(model.OrderOutput))
	}
	stuck := linStuck(ops, prefix)
	detail := fmt.Sprintf("no linearization: the longest linearizable prefix has %d of %d ops and leaves the order in %v",
		len(prefix), len(ops), state.Closure())
	if stuck >= 0 {
		detail += fmt.Sprintf("; the next op to return, %s (%s), cannot follow it",
			model.DescribeOrderOp(ops[stuck].Input.(model.OrderInput), ops[stuck].Output.(model.OrderOutput)),
			linDescribeRef(ops[stuck].Metadata))
	}
	a.Ops, a.Detail = linCapOps(ops, stuck, detail)
	if !visualize || in.OutDir == "" {
		return a, "", nil
	}
	name := "linearizable-" + linFileKey(p.key) + ".html"
	if err := porcupine.VisualizePath(m, info, filepath.Join(in.OutDir, name)); err != nil {
		return a, "", fmt.Errorf("linearizable: visualization of %s: %w", p.key, err)
	}
	return a, name, nil
}

// linDenseClients copies ops with client ids renumbered 0, 1, … by first
// appearance: porcupine's visualization draws one row per id up to the largest.
func linDenseClients(ops []porcupine.Operation) []porcupine.Operation {
	out := slices.Clone(ops)
	ids := map[int]int{}
	for i := range out {
		id, ok := ids[out[i].ClientId]
		if !ok {
			id = len(ids)
			ids[out[i].ClientId] = id
		}
		out[i].ClientId = id
	}
	return out
}

// linLongest returns the longest partial linearization, the smallest
// lexicographically among equals: porcupine returns them in map order.
func linLongest(partials [][]int) []int {
	var best []int
	for _, p := range partials {
		if len(p) > len(best) || len(p) == len(best) && slices.Compare(p, best) < 0 {
			best = p
		}
	}
	return best
}

// linStuck returns the op, not in prefix, that returns first: porcupine
// backtracks when it reaches the return of an op it could not linearize.
// -1 when every op is in prefix.
func linStuck(ops []porcupine.Operation, prefix []int) int {
	in := make([]bool, len(ops))
	for _, id := range prefix {
		in[id] = true
	}
	stuck := -1
	for i, op := range ops {
		if in[i] {
			continue
		}
		if stuck < 0 || op.Return < ops[stuck].Return ||
			op.Return == ops[stuck].Return && op.Call < ops[stuck].Call {
			stuck = i
		}
	}
	return stuck
}

// linCapOps lists the history indices of ops, sorted, the stuck op's (if
// any) always among them, at most linAnomalyOpsMax; detail says when capped.
func linCapOps(ops []porcupine.Operation, stuck int, detail string) ([]int, string) {
	idx := make([]int, 0, 2*len(ops))
	add := func(r linRef) {
		idx = append(idx, r.inv)
		if r.comp >= 0 {
			idx = append(idx, r.comp)
		}
	}
	if stuck >= 0 {
		add(ops[stuck].Metadata.(linRef))
	}
	for i, op := range ops {
		if i != stuck {
			add(op.Metadata.(linRef))
		}
	}
	total := len(idx)
	if total > linAnomalyOpsMax {
		idx = idx[:linAnomalyOpsMax]
		detail += fmt.Sprintf(" (listing %d of %d history indices)", linAnomalyOpsMax, total)
	}
	slices.Sort(idx)
	return idx, detail
}

// linDescribeRef renders an op's Metadata (a linRef) as its history indices.
func linDescribeRef(meta any) string {
	r, ok := meta.(linRef)
	if !ok {
		return ""
	}
	if r.comp < 0 {
		return fmt.Sprintf("history %d, never completed", r.inv)
	}
	return fmt.Sprintf("history %d→%d", r.inv, r.comp)
}

// linFileKey makes a key safe as part of a file name.
func linFileKey(key string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, key)
}
