package campaign

import (
	"fmt"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Shrunk is a smaller reproducer of a failing run, with the options that
// rerun it.
type Shrunk struct {
	results.Shrunk
	Options harness.Options
}

// shrinkRunsMax bounds the simulations one shrink may run.
const shrinkRunsMax = 400

// Shrink reduces a failing run's workload (ops, concurrency) and fault
// schedule while it still shows the same anomaly type, and returns the
// command line of the smallest run found. Simulation is deterministic, so
// every candidate is judged exactly once.
func Shrink(o harness.Options) (*Shrunk, error) {
	rec, err := harness.RunSim(o)
	if err != nil {
		return nil, err
	}
	rep := harness.Judge(&checker.Input{Ops: rec.Ops, Trace: rec.Trace})
	anomaly := target(rep.AnomalyTypes(), o.Bug)
	if anomaly == "" {
		return nil, fmt.Errorf("seed %d does not fail: nothing to shrink", o.Seed)
	}
	s := &shrinker{anomaly: anomaly}
	best := o
	best.Schedule = harness.Opened(rec.Schedule, rec.Ops)
	out := &Shrunk{Shrunk: results.Shrunk{Anomaly: anomaly, Original: o.Command(), OpsBefore: o.Workload.Ops, WindowsBefore: len(best.Schedule)}}
	if !s.fails(best) {
		// Dropping the unopened windows must not matter; if it does, keep all.
		best.Schedule = rec.Schedule
	}
	best = s.shrinkOps(best)
	best = s.shrinkSchedule(best)
	best = s.shrinkConcurrency(best)
	best = s.shrinkOps(best) // fewer faults may allow fewer ops
	out.Command, out.OpsAfter, out.WindowsAfter, out.Options = best.Command(), best.Workload.Ops, len(best.Schedule), best
	out.Runs, out.BudgetExceeded = s.runs, s.runs >= shrinkRunsMax
	return out, s.err
}

// target picks the anomaly to preserve: the bug's expected one when found.
func target(found []string, bug string) string {
	for _, a := range vocab.ExpectedAnomalies[bug] {
		if slices.Contains(found, a) {
			return a
		}
	}
	if len(found) > 0 {
		return found[0]
	}
	return ""
}

type shrinker struct {
	anomaly string
	runs    int
	err     error
}

// fails runs a candidate and reports whether it still shows the anomaly.
func (s *shrinker) fails(o harness.Options) bool {
	if s.runs >= shrinkRunsMax || s.err != nil {
		return false
	}
	s.runs++
	rec, err := harness.RunSim(o)
	if err != nil {
		s.err = err
		return false
	}
	rep := harness.Judge(&checker.Input{Ops: rec.Ops, Trace: rec.Trace})
	return slices.Contains(rep.AnomalyTypes(), s.anomaly)
}

// shrinkOps looks for the fewest main-phase ops that still fail: a binary
// search, which assumes failing is monotone in ops; the result is verified.
func (s *shrinker) shrinkOps(o harness.Options) harness.Options {
	lo, hi := 0, o.Workload.Ops // hi fails
	for lo+1 < hi {
		mid := (lo + hi) / 2
		c := o
		c.Workload.Ops = mid
		if s.fails(c) {
			hi = mid
		} else {
			lo = mid
		}
	}
	o.Workload.Ops = hi
	return o
}

// shrinkSchedule removes fault windows: first halves, then one at a time,
// until no single window can go (a simple delta debugging).
func (s *shrinker) shrinkSchedule(o harness.Options) harness.Options {
	for chunk := max(len(o.Schedule)/2, 1); chunk >= 1; chunk /= 2 {
		for i := 0; i < len(o.Schedule); {
			c := o
			c.Schedule = without(o.Schedule, i, min(i+chunk, len(o.Schedule)))
			if s.fails(c) {
				o = c
				continue
			}
			i += chunk
		}
		if chunk == 1 {
			break
		}
	}
	return o
}

// shrinkConcurrency halves the client processes while the run still fails.
func (s *shrinker) shrinkConcurrency(o harness.Options) harness.Options {
	for o.Workload.Concurrency > 1 {
		c := o
		c.Workload.Concurrency = o.Workload.Concurrency / 2
		if !s.fails(c) {
			break
		}
		o = c
	}
	return o
}

// without returns s less s[from:to], never nil: a nil schedule would mean
// "draw one from the seed" instead of "no faults".
func without(s faults.Schedule, from, to int) faults.Schedule {
	out := make(faults.Schedule, 0, len(s)-(to-from))
	return append(append(out, s[:from]...), s[to:]...)
}
