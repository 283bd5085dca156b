package checker

import (
	"sort"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

// Input is what checkers judge.
type Input struct {
	Ops []history.Op
	// Trace is nil when no trace is available; checkers that need it return unknown.
	Trace []trace.Event
	// HistoryTruncated and TraceTruncated are set when the last line of a
	// file was incomplete (a killed run).
	HistoryTruncated bool
	TraceTruncated   bool
	// OutDir receives artifacts (visualizations); empty means none are written.
	OutDir string

	// idx caches the property checkers' shared index (checker/index.go).
	idx any
}

// Checker is one named check.
type Checker interface {
	Name() string
	Check(in *Input) Result
}

// Report is the composed verdict of several checkers.
type Report struct {
	Valid    Validity          `json:"valid"`
	Checkers map[string]Result `json:"checkers"`
}

// Run runs every checker and merges the verdicts.
func Run(in *Input, checkers []Checker) Report {
	rep := Report{Valid: Valid, Checkers: make(map[string]Result, len(checkers))}
	for _, c := range checkers {
		r := c.Check(in)
		rep.Checkers[c.Name()] = r
		rep.Valid = Merge(rep.Valid, r.Valid)
	}
	return rep
}

// AnomalyTypes returns the sorted distinct anomaly types of a report.
func (r Report) AnomalyTypes() []string {
	seen := map[string]bool{}
	for _, res := range r.Checkers {
		for _, a := range res.Anomalies {
			seen[a.Type] = true
		}
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
