package harness

import (
	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/results"
)

// NewResults assembles results.json from a checker report.
func NewResults(rep checker.Report, ops []history.Op) results.Results {
	return results.Results{Valid: rep.Valid, Nemesis: []string{}, Stats: results.CountOps(ops),
		Checkers: rep.Checkers, Order: CheckerNames(rep.Checkers), Anomalies: rep.AnomalyTypes()}
}

// Windows converts a fault schedule to its results.json form.
func Windows(s faults.Schedule) []results.Window {
	out := make([]results.Window, len(s))
	for i, w := range s {
		out[i] = results.Window{Fault: w.Fault, Target: w.Target, Start: w.Start, Stop: w.Stop}
	}
	return out
}
