package replay

import (
	"fmt"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// SeedsMaxDefault bounds the seeds Run tries when Options.SeedsMax is 0.
const SeedsMaxDefault = 64

// Options say how Run searches.
type Options struct {
	// FirstSeed is the first simulator seed tried (0 = 1); seeds vary the
	// interleaving (latencies, the duplicate coin) under the schedule.
	FirstSeed uint64
	// SeedsMax bounds the seeds tried (0 = SeedsMaxDefault).
	SeedsMax int
	// BugOff runs the schedule with the bug switch off: the negative case.
	BugOff bool
	// OutDir, when set, receives the files of the run Run returns
	// (history.jsonl, trace.ndjson, results.json, report.html).
	OutDir string
}

// Outcome is what Run found.
type Outcome struct {
	// Reproduced is set when a run showed one of the schedule's anomalies
	// (with BugOff: never; Run then reports the first run with any anomaly).
	Reproduced bool
	Seed       uint64 // the seed of the run reported
	Tried      int    // seeds run
	// Anomalies are the anomaly types of the run reported.
	Anomalies []string
	Report    checker.Report
	Options   harness.Options // that run's options
}

// HarnessOptions returns the simulator options that run the schedule
// with one seed and bug switch (bug "" = the correct system).
func (s Schedule) HarnessOptions(seed uint64, bug string) harness.Options {
	o := harness.DefaultOptions()
	o.Seed, o.Bug = seed, bug
	o.Schedule = append(s.Faults[:0:0], s.Faults...) // non-nil: "no faults" when empty
	w := workloads.Default()
	w.Ops, w.Concurrency, w.SKUs, w.Customers = len(s.Ops), 1, 1, 1
	w.StockInitial, w.BalanceInitial = s.Stock, s.Balance
	w.ThinkMax = 0
	w.Script, w.ScriptUntil = s.Ops, s.Until
	o.Workload = w
	return o
}

// RunSeed runs the schedule once and judges the run with every checker of
// a simulator run (harness.Judge).
func RunSeed(s Schedule, seed uint64, bug, outDir string) (checker.Report, harness.Options, error) {
	o := s.HarnessOptions(seed, bug)
	if outDir != "" {
		o.OutDir = outDir
		res, _, err := harness.Execute(o)
		if err != nil {
			return checker.Report{}, o, err
		}
		return checker.Report{Valid: res.Valid, Checkers: res.Checkers}, o, nil
	}
	rec, err := harness.RunSim(o)
	if err != nil {
		return checker.Report{}, o, err
	}
	return harness.Judge(&checker.Input{Ops: rec.Ops, Trace: rec.Trace}), o, nil
}

// Run runs the schedule under seeds FirstSeed, FirstSeed+1, … until a run
// shows one of s.Anomalies (with BugOff: until a run shows any anomaly),
// at most SeedsMax runs. Not reproducing is an Outcome, not an error.
func Run(s Schedule, opt Options) (Outcome, error) {
	if len(s.Ops) == 0 && len(s.Faults) == 0 {
		return Outcome{}, fmt.Errorf("replay %s/%s: the schedule has no op and no fault", s.Config, s.Property)
	}
	first, n := max(opt.FirstSeed, 1), opt.SeedsMax
	if n <= 0 {
		n = SeedsMaxDefault
	}
	bug := s.Bug
	if opt.BugOff {
		bug = ""
	}
	var out Outcome
	for i := range n {
		seed := first + uint64(i)
		rep, o, err := RunSeed(s, seed, bug, "")
		if err != nil {
			return out, fmt.Errorf("replay %s/%s seed %d: %w", s.Config, s.Property, seed, err)
		}
		out = Outcome{Seed: seed, Tried: i + 1, Anomalies: rep.AnomalyTypes(), Report: rep, Options: o}
		hit := !opt.BugOff && slices.ContainsFunc(s.Anomalies, func(a string) bool { return slices.Contains(out.Anomalies, a) })
		if hit || (opt.BugOff && len(out.Anomalies) > 0) {
			out.Reproduced = hit
			break
		}
	}
	if opt.OutDir != "" {
		if _, _, err := RunSeed(s, out.Seed, bug, opt.OutDir); err != nil {
			return out, err
		}
	}
	return out, nil
}
