package harness

import (
	"sort"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
)

// Checkers returns every checker of a run of the reference system, in
// report order.
func Checkers() []checker.Checker {
	lin := checker.NewLinearizable()
	lin.Timeout = linearizableBudget
	out := append([]checker.Checker{lin, checker.NewStaleRead()}, checker.Properties()...)
	// Trace validation against the Go model of spec/tla (checker/tracemodel).
	return append(out, tracemodel.New())
}

// linearizableBudget bounds porcupine over all orders of one run; past it the
// orders not yet decided are unknown, never valid.
const linearizableBudget = 60 * time.Second

// Judge runs every checker over a history and its trace (nil if none).
func Judge(in *checker.Input) checker.Report {
	return checker.Run(in, Checkers())
}

// CheckerNames returns the names of a result map in a stable order: the
// report order of Checkers, then any others sorted.
func CheckerNames(m map[string]checker.Result) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range Checkers() {
		if _, ok := m[c.Name()]; ok {
			out = append(out, c.Name())
			seen[c.Name()] = true
		}
	}
	var rest []string
	for n := range m {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
