package jepsen

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// linKeysMax caps the non-linearizable keys listed as anomalies; the rest
// are counted in the note.
const linKeysMax = 20

// checkLinearizable runs porcupine on each key (one key unless
// Options.Independent): valid when every key is, invalid when one is not,
// unknown when a search ran out of Options.Timeout (shared by all keys).
func checkLinearizable(h *History, pairs []Pair, modelName string, opts Options) (verdict.Result, error) {
	m, err := porcupineModel(modelName, opts.Initial)
	if err != nil {
		return verdict.Result{}, err
	}
	groups, err := linGroups(h, pairs, modelName, opts.Independent)
	if err != nil {
		return verdict.Result{}, err
	}
	m.DescribeOperationMetadata = describePair
	var deadline time.Time
	if opts.Timeout > 0 {
		deadline = time.Now().Add(opts.Timeout)
	}
	r := verdict.Result{Valid: verdict.Valid}
	ops, unknown, bad := 0, []string{}, 0
	for _, g := range groups {
		ops += len(g.ops)
		budget := time.Duration(0)
		if !deadline.IsZero() {
			if budget = time.Until(deadline); budget <= 0 {
				unknown = append(unknown, g.key)
				continue
			}
		}
		res, info := porcupine.CheckOperationsVerbose(m, g.ops, budget)
		switch res {
		case porcupine.Unknown:
			unknown = append(unknown, g.key)
		case porcupine.Illegal:
			if bad++; bad > linKeysMax {
				continue
			}
			a := explain(m, g.ops, info)
			a.Key = g.key
			r.Invalidate(a)
			if opts.OutDir != "" && len(r.Files) == 0 {
				if err := porcupine.VisualizePath(m, info, filepath.Join(opts.OutDir, VisualizationFile)); err != nil {
					return r, fmt.Errorf("visualization: %v", err)
				}
				r.Files = []string{VisualizationFile}
			}
		}
	}
	r.Note = linNote(m, modelName, ops, len(groups), opts.Independent)
	if bad > linKeysMax {
		r.Note += fmt.Sprintf("; %d keys not linearizable, the first %d listed", bad, linKeysMax)
	}
	if len(unknown) > 0 {
		r.Valid = verdict.Merge(r.Valid, verdict.Unknown)
		r.Note += fmt.Sprintf("; unknown: the search of %d key(s) did not finish within --timeout %v", len(unknown), opts.Timeout)
	}
	if r.Valid == verdict.Invalid && !opts.Independent && looksIndependent(pairs) {
		r.Note += "; every value is a two-element vector, as jepsen.independent's [key value] tuples are: if so, judge with --independent"
	}
	return r, nil
}

func linNote(m porcupine.Model, modelName string, ops, keys int, independent bool) string {
	if ops == 0 {
		return "no client op that reads or writes: nothing to linearize"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d ops checked against %s (initial %s) with porcupine", ops, modelName, m.DescribeState(m.Init()))
	if independent {
		fmt.Fprintf(&b, ", %d independent keys", keys)
	}
	return b.String()
}

// explain names where porcupine got stuck: after the longest linearizable
// prefix, the op not in it that returns first cannot follow it (as Knossos
// names the op it could not linearize).
func explain(m porcupine.Model, ops []porcupine.Operation, info porcupine.LinearizationInfo) verdict.Anomaly {
	var prefix []int
	if parts := info.PartialLinearizations(); len(parts) == 1 {
		for _, p := range parts[0] {
			if len(p) > len(prefix) || len(p) == len(prefix) && slices.Compare(p, prefix) < 0 {
				prefix = p
			}
		}
	}
	in := make([]bool, len(ops))
	state := m.Init()
	for _, id := range prefix {
		in[id] = true
		_, state = m.Step(state, ops[id].Input, ops[id].Output)
	}
	stuck := -1
	for i, op := range ops {
		if !in[i] && op.Return != returnNever && (stuck < 0 || op.Return < ops[stuck].Return) {
			stuck = i
		}
	}
	a := verdict.Anomaly{Type: "nonlinearizable", Ops: []int{}}
	a.Detail = fmt.Sprintf("no linearization: the longest linearizable prefix has %d of %d ops and leaves the register at %s",
		len(prefix), len(ops), m.DescribeState(state))
	if stuck >= 0 {
		p := ops[stuck].Metadata.(Pair)
		a.Ops = append(a.Ops, int(p.Invoke.Index))
		if p.Completion != nil {
			a.Ops = append(a.Ops, int(p.Completion.Index))
		}
		a.Detail += fmt.Sprintf("; %s by process %d (%s) cannot follow it",
			m.DescribeOperation(ops[stuck].Input, nil), p.Invoke.Process, describePair(p))
	}
	return a
}

// describePair renders an operation's Metadata as the Jepsen indices and
// lines of its records.
func describePair(meta any) string {
	p, ok := meta.(Pair)
	if !ok {
		return ""
	}
	if p.Completion == nil {
		return fmt.Sprintf(":index %d, line %d, never completed", p.Invoke.Index, p.Invoke.Line)
	}
	return fmt.Sprintf(":index %d→%d, lines %d→%d", p.Invoke.Index, p.Completion.Index, p.Invoke.Line, p.Completion.Line)
}
