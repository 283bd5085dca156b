package jepsen

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// Options say how to judge an imported history.
type Options struct {
	// Model is one of Models; "" detects it from the ops (Detect).
	Model string
	// Initial is the register's initial value as EDN text ("" = nil; the
	// multi-register takes a map such as {:x 0 :y 0}, default {}).
	Initial string
	// Timeout bounds porcupine's search; 0 = no limit. A search that does
	// not finish in it is unknown.
	Timeout time.Duration
	// OutDir receives porcupine's visualization of a non-linearizable
	// history ("" = none written).
	OutDir string
}

// Report is the verdict on an imported history.
type Report struct {
	// Model is the model judged against (detected when Options.Model was "").
	Model string
	// Checker is the checker's name in results.json: "linearizable" or "log".
	Checker string
	Result  verdict.Result
	Stats   Stats
}

// VisualizationFile is the name of porcupine's visualization in OutDir.
const VisualizationFile = "linearizable.html"

// Check judges h under opts. Errors are bad input (a history that does not
// fit the model, a bad option) and name the record or the option.
func Check(h *History, opts Options) (Report, error) {
	pairs, err := h.Pairs()
	if err != nil {
		return Report{}, err
	}
	rep := Report{Model: opts.Model, Stats: Count(pairs)}
	if rep.Model == "" {
		rep.Model = Detect(pairs)
	}
	if !slices.Contains(Models, rep.Model) {
		return Report{}, fmt.Errorf("--model %q: want one of %v", rep.Model, Models)
	}
	if rep.Model == ModelKafka {
		rep.Checker = "log"
		rep.Result, err = checkKafka(h)
		return rep, err
	}
	rep.Checker = "linearizable"
	rep.Result, err = checkLinearizable(h, pairs, rep.Model, opts)
	return rep, err
}

// Detect names the model a history's client ops call for: kafka when they
// send or poll, multi-register for :txn of [:read k v] / [:write k v],
// cas-register otherwise (a register history is a cas-register history
// without :cas, judged the same).
func Detect(pairs []Pair) string {
	for _, p := range pairs {
		switch p.Invoke.F {
		case "send", "poll", "assign", "subscribe":
			return ModelKafka
		case "txn":
			if kafkaTxn(p.Invoke.Value) {
				return ModelKafka
			}
			return ModelMultiRegister
		}
	}
	return ModelCASRegister
}

// kafkaTxn reports whether a :txn value holds [:send ...] or [:poll ...].
func kafkaTxn(v any) bool {
	mops, _ := v.([]any)
	for _, m := range mops {
		if mop, ok := m.([]any); ok && len(mop) > 0 && (isKeyword(mop[0], "send") || isKeyword(mop[0], "poll")) {
			return true
		}
	}
	return false
}

func checkLinearizable(h *History, pairs []Pair, modelName string, opts Options) (verdict.Result, error) {
	m, err := porcupineModel(modelName, opts.Initial)
	if err != nil {
		return verdict.Result{}, err
	}
	ops, err := linOperations(h, pairs, modelName)
	if err != nil {
		return verdict.Result{}, err
	}
	if len(ops) == 0 {
		return verdict.Result{Valid: verdict.Valid, Note: "no client op that reads or writes: nothing to linearize"}, nil
	}
	m.DescribeOperationMetadata = describePair
	res, info := porcupine.CheckOperationsVerbose(m, ops, opts.Timeout)
	note := fmt.Sprintf("%d ops checked against %s (initial %s) with porcupine", len(ops), modelName, m.DescribeState(m.Init()))
	switch res {
	case porcupine.Ok:
		return verdict.Result{Valid: verdict.Valid, Note: note}, nil
	case porcupine.Unknown:
		return verdict.Result{Valid: verdict.Unknown, Note: fmt.Sprintf("%s: the search did not finish in %v", note, opts.Timeout)}, nil
	}
	r := verdict.Result{Note: note}
	r.Invalidate(explain(m, ops, info))
	if opts.OutDir != "" {
		if err := porcupine.VisualizePath(m, info, filepath.Join(opts.OutDir, VisualizationFile)); err != nil {
			return r, fmt.Errorf("visualization: %v", err)
		}
		r.Files = []string{VisualizationFile}
	}
	return r, nil
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
