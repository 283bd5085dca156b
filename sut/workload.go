package sut

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Workload says which operations a run draws. Either Generate is set, or
// Mix lists operation kinds with weights and Keys the keys they touch.
type Workload struct {
	// Generate draws the next main-phase operation from r. When nil, the
	// operations come from Mix and Keys.
	Generate func(r *rand.Rand) Op
	// Mix lists the operation kinds drawn, each with its relative weight.
	Mix []Kind
	// Keys are the keys Mix's operations touch, drawn uniformly; empty
	// means the operations touch no key.
	Keys []string
	// Final are operations run after the main phase, once every fault is
	// healed and the system had Test.Quiesce to settle (Jepsen's final
	// reads): for instance a read of every key.
	Final []Op
}

// Kind is one kind of operation in a Workload's Mix.
type Kind struct {
	// F names the operation ("read", "write", ...).
	F string
	// Weight is its relative frequency (> 0).
	Weight int
	// Value draws the operation's argument; nil means no argument.
	Value func(r *rand.Rand) any
}

// Keys returns n key names prefix0, prefix1, ...
func Keys(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

// validate reports the first bad field.
func (w Workload) validate() error {
	if w.Generate != nil {
		return nil
	}
	if len(w.Mix) == 0 {
		return errors.New("workload: set Generate or Mix")
	}
	for i, k := range w.Mix {
		if k.F == "" {
			return fmt.Errorf("workload: Mix[%d]: empty F", i)
		}
		if k.Weight <= 0 {
			return fmt.Errorf("workload: Mix[%d] (%s): weight %d, want > 0", i, k.F, k.Weight)
		}
	}
	return nil
}

// generator returns the function that draws main-phase operations.
func (w Workload) generator() func(r *rand.Rand) Op {
	if w.Generate != nil {
		return w.Generate
	}
	total := 0
	for _, k := range w.Mix {
		total += k.Weight
	}
	return func(r *rand.Rand) Op {
		x := r.IntN(total)
		k := w.Mix[len(w.Mix)-1]
		for _, m := range w.Mix {
			if x < m.Weight {
				k = m
				break
			}
			x -= m.Weight
		}
		op := Op{F: k.F}
		if len(w.Keys) > 0 {
			op.Key = w.Keys[r.IntN(len(w.Keys))]
		}
		if k.Value != nil {
			op.Value = k.Value(r)
		}
		return op
	}
}
