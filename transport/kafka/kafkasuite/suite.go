// Package kafkasuite is the Kafka suite every broker mode runs: the
// embedded cluster (harness tests), a real cluster by address
// (JEPSEN_LITE_KAFKA_BROKERS) and a testcontainers broker
// (transport/kafka/tctest). It is imported by tests only.
package kafkasuite

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// triesMax bounds the runs a bug gets to show itself: over sockets the
// interleaving is real, so one run may miss it; each try is another seed.
const triesMax = 3

// Run runs the suite against brokers (nil = a fresh embedded cluster per
// run): `run --bus kafka --seed 3 --nemesis all` is valid, log checker
// included, and (unless -short) every bug switch is caught by name.
func Run(t *testing.T, brokers []string) {
	t.Run("all-faults-valid", func(t *testing.T) {
		res := Execute(t, 3, "", brokers)
		if res.Valid != checker.Valid {
			t.Fatalf("seed 3 on %v: %v with %v\n%s", where(brokers), res.Valid, res.AnomalyTypes(), Failing(res))
		}
		if _, ok := res.Checkers[logcheck.Name]; !ok {
			t.Fatalf("no %q checker in the results", logcheck.Name)
		}
	})
	t.Run("bugs", func(t *testing.T) {
		if testing.Short() {
			t.Skip("a few Kafka runs per bug: skipped with -short")
		}
		for _, bug := range vocab.Bugs {
			t.Run(bug, func(t *testing.T) { CatchBug(t, bug, brokers) })
		}
	})
}

// Execute runs and judges one Kafka run with every fault.
func Execute(t *testing.T, seed uint64, bug string, brokers []string) checker.Report {
	t.Helper()
	o := harness.DefaultOptions()
	o.Bus, o.Brokers, o.Seed, o.Nemesis, o.Bug = "kafka", brokers, seed, vocab.Faults, bug
	o.Workload.Ops = harness.KafkaOps
	res, _, err := harness.Execute(o)
	if err != nil {
		t.Fatalf("seed %d bug %q on %s: %v", seed, bug, where(brokers), err)
	}
	return checker.Report{Valid: res.Valid, Checkers: res.Checkers}
}

// CatchBug requires that some run of the first triesMax seeds with the bug
// is invalid with one of the bug's expected anomaly types.
func CatchBug(t *testing.T, bug string, brokers []string) {
	t.Helper()
	want := vocab.ExpectedAnomalies[bug]
	var seen [][]string
	for seed := uint64(1); seed <= triesMax; seed++ {
		rep := Execute(t, seed, bug, brokers)
		found := rep.AnomalyTypes()
		if rep.Valid == checker.Invalid && slices.ContainsFunc(want, func(a string) bool { return slices.Contains(found, a) }) {
			t.Logf("--bug %s caught by seed %d: %v", bug, seed, found)
			return
		}
		seen = append(seen, found)
	}
	t.Fatalf("--bug %s on %s: anomalies per run %v, want one of %v in some run", bug, where(brokers), seen, want)
}

// Failing describes the checkers that did not find a run valid.
func Failing(rep checker.Report) string {
	var b strings.Builder
	for _, name := range harness.CheckerNames(rep.Checkers) {
		if r := rep.Checkers[name]; r.Valid != checker.Valid {
			as := r.Anomalies[:min(len(r.Anomalies), 2)]
			fmt.Fprintf(&b, "%s: %v %s %v\n", name, r.Valid, r.Note, as)
		}
	}
	return b.String()
}

func where(brokers []string) string {
	if len(brokers) == 0 {
		return "the embedded brokers"
	}
	return strings.Join(brokers, ",")
}
