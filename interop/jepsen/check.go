package jepsen

import (
	"fmt"
	"slices"
	"time"

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
	// Independent reads values as jepsen.independent's [key value] tuples
	// and checks each key as its own register (Jepsen's independent/checker).
	Independent bool
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
		if opts.Initial != "" || opts.Independent {
			return Report{}, fmt.Errorf("--initial and --independent apply to the register models, not to %s", ModelKafka)
		}
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
