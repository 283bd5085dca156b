package campaign

import (
	"os"
	"slices"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/verdict"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func config(seeds int, bug string) Config {
	w := harness.DefaultOptions().Workload
	w.Ops = 500
	return Config{Seeds: seeds, FirstSeed: 1, Matrix: [][]string{vocab.Faults}, Bug: bug, Parallel: 2, Workload: w}
}

// The correct system passes a campaign under every fault; every run is
// recorded and the coverage marks of the campaign are reached.
func TestCorrectCampaignIsValid(t *testing.T) {
	c := config(40, "")
	c.Matrix = [][]string{nil, vocab.Faults, {vocab.FaultPartition, vocab.FaultCrash}}
	res, err := Execute(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs) != 120 {
		t.Fatalf("%d runs recorded, want 120", len(res.Runs))
	}
	for _, r := range res.Runs {
		if r.Valid != verdict.Valid {
			t.Fatalf("seed %d nemesis %v: %v %v\nreproduce: %s", r.Seed, r.Nemesis, r.Valid, r.Anomalies, r.Command)
		}
	}
	if res.Valid != verdict.Valid {
		t.Fatalf("campaign verdict %v", res.Valid)
	}
	for _, m := range []string{harness.MarkRedeliveryAfterCrash, harness.MarkOCCConflict, harness.MarkPartitionDuringCheckout, harness.MarkDeadLetter} {
		if res.Marks[m] == 0 {
			t.Errorf("mark %s never reached in 120 runs", m)
		}
	}
}

// With each bug, a campaign fails, keeps the failing run's directory, and
// the shrunk reproducer is smaller and still shows the same anomaly.
func TestBugCampaignKeepsAndShrinks(t *testing.T) {
	for _, bug := range vocab.Bugs {
		t.Run(bug, func(t *testing.T) {
			c := config(20, bug)
			c.StopOnFail = true
			c.Out = t.TempDir()
			res, err := Execute(c)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid != verdict.Invalid {
				t.Fatalf("--bug %s: campaign verdict %v", bug, res.Valid)
			}
			var failing *Run
			for i := range res.Runs {
				if res.Runs[i].Valid == verdict.Invalid {
					failing = &res.Runs[i]
					break
				}
			}
			if _, err := os.Stat(failing.Dir + "/history.jsonl"); err != nil {
				t.Fatalf("failing seed %d not kept: %v", failing.Seed, err)
			}
			o := c.options(failing.Seed, failing.Nemesis)
			s, err := Shrink(o)
			if err != nil {
				t.Fatal(err)
			}
			if s.OpsAfter > s.OpsBefore || s.WindowsAfter > s.WindowsBefore || s.Command == s.Original {
				t.Fatalf("not smaller: %+v", s)
			}
			rec, err := harness.RunSim(s.Options)
			if err != nil {
				t.Fatal(err)
			}
			rep := harness.Judge(&checker.Input{Ops: rec.Ops, Trace: rec.Trace})
			if !slices.Contains(rep.AnomalyTypes(), s.Anomaly) {
				t.Fatalf("shrunk run %q shows %v, not %s", s.Command, rep.AnomalyTypes(), s.Anomaly)
			}
			t.Logf("%s: %s (ops %d->%d, windows %d->%d)", bug, s.Command, s.OpsBefore, s.OpsAfter, s.WindowsBefore, s.WindowsAfter)
		})
	}
}
