package replay

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/replay/cex"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// specDir is the repository's spec/ directory.
func specDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "spec")
}

// goldenCheck returns the committed TLC check of a config's expected property.
func goldenCheck(t testing.TB, config string) formal.Check {
	t.Helper()
	c, err := cex.Expected(specDir(t), "tlc", config)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// replayed runs a bug config's counterexample in the simulator.
func replayed(t *testing.T, bug string) (Schedule, Outcome) {
	t.Helper()
	s, err := FromTLC(goldenCheck(t, bug))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, out
}

// Issue 6 point 5: the TLC counterexample of every bug config (the property
// spec/expected.json names) becomes a simulator schedule that reproduces the
// bug's anomaly in the implementation with that bug switch.
func TestReplayReproducesEveryBug(t *testing.T) {
	for _, bug := range vocab.Bugs {
		t.Run(bug, func(t *testing.T) {
			t.Parallel()
			s, out := replayed(t, bug)
			t.Logf("%s/%s: ops %s faults %q; seed %d after %d seed(s); anomalies %v",
				s.Config, s.Property, opsString(s), faults.Format(s.Faults), out.Seed, out.Tried, out.Anomalies)
			if !out.Reproduced {
				t.Fatalf("not reproduced in %d seeds: last anomalies %v, want one of %v", out.Tried, out.Anomalies, s.Anomalies)
			}
			if !slices.ContainsFunc(vocab.ExpectedAnomalies[bug], func(a string) bool { return slices.Contains(out.Anomalies, a) }) {
				t.Fatalf("anomalies %v, want one of %v", out.Anomalies, vocab.ExpectedAnomalies[bug])
			}
			// The loop closes: the run's trace is a behaviour of the bug's
			// model (trace validation), not of the correct one.
			rec, err := harness.RunSim(out.Options)
			if err != nil {
				t.Fatal(err)
			}
			if sum := tracemodel.Run(bug, rec.Ops, rec.Trace, true); sum.Result != "accepted" {
				t.Errorf("the %s model does not accept the replayed run's trace: %s", bug, sum.Note())
			}
			if sum := tracemodel.Run("", rec.Ops, rec.Trace, true); sum.Result == "accepted" {
				t.Errorf("the correct model accepts the replayed run's trace")
			}
		})
	}
}

// The same schedules with the bug switch off give no anomaly, over every
// seed up to the one that reproduced the bug (at least 8).
func TestReplayBugOffIsValid(t *testing.T) {
	for _, bug := range vocab.Bugs {
		t.Run(bug, func(t *testing.T) {
			t.Parallel()
			s, on := replayed(t, bug)
			out, err := Run(s, Options{BugOff: true, SeedsMax: max(int(on.Seed), 8)})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Anomalies) > 0 || out.Report.Valid != checker.Valid {
				t.Fatalf("bug off, seed %d: %v with anomalies %v", out.Seed, out.Report.Valid, out.Anomalies)
			}
		})
	}
}

// The faults the counterexample calls for matter: without its fault
// windows a schedule that has some does not reproduce in the same seeds.
func TestReplayNeedsItsFaults(t *testing.T) {
	n := 0
	for _, bug := range vocab.Bugs {
		s, on := replayed(t, bug)
		if len(s.Faults) == 0 {
			continue
		}
		n++
		s.Faults = faults.Schedule{}
		out, err := Run(s, Options{SeedsMax: max(int(on.Seed), 8)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Reproduced {
			t.Errorf("%s without its faults: reproduced at seed %d (%v): the faults were not needed", bug, out.Seed, out.Anomalies)
		}
	}
	if n < 4 {
		t.Fatalf("only %d bug schedules have faults; want the crash, duplicate and reorder ones", n)
	}
}

// Every failing TLC check in the golden, not only the expected ones, reads
// back into the Go model step by step and maps onto the simulator; the
// fault schedule prints in --faults syntax and parses back.
func TestFromTLCEveryCounterexample(t *testing.T) {
	checks, err := cex.Failed(specDir(t), "tlc")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range checks {
		n++
		cx, err := cex.ReadTLC(c)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(cx.States) != len(cx.Steps)+1 || len(cx.Steps) == 0 {
			t.Errorf("%s/%s: %d steps, %d states", c.Config, c.Property, len(cx.Steps), len(cx.States))
		}
		s, err := FromCounterexample(cx)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		back, err := faults.ParseSchedule(faults.Format(s.Faults))
		if err != nil || faults.Format(back) != faults.Format(s.Faults) {
			t.Errorf("%s/%s: schedule %q does not parse back: %v", c.Config, c.Property, faults.Format(s.Faults), err)
		}
		if len(s.Steps) != len(cx.Steps) {
			t.Errorf("%s/%s: %d steps mapped of %d", c.Config, c.Property, len(s.Steps), len(cx.Steps))
		}
	}
	if n < len(vocab.Bugs) {
		t.Fatalf("only %d failing checks with a trace in the golden", n)
	}
}

func opsString(s Schedule) string {
	var b strings.Builder
	for i, op := range s.Ops {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s@%v", op.F, op.Key, op.At)
	}
	return b.String()
}

// The simulator runs exactly the schedule's ops, in order, none before its
// time, and opens every window of the schedule.
func TestScheduleRunsItsOps(t *testing.T) {
	s, err := FromTLC(goldenCheck(t, vocab.BugUnorderedApply))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := harness.RunSim(s.HarnessOptions(1, s.Bug))
	if err != nil {
		t.Fatal(err)
	}
	var main []history.Op
	for _, op := range rec.Ops {
		if op.IsClient() && op.Type == vocab.TypeInvoke && (op.F == vocab.FPlace || op.F == vocab.FCancel ||
			(op.F == vocab.FReadStrong && len(main) < len(s.Ops))) {
			main = append(main, op)
		}
	}
	if len(main) < len(s.Ops) {
		t.Fatalf("%d main-phase ops, want %d", len(main), len(s.Ops))
	}
	for i, want := range s.Ops {
		got := main[i]
		if got.F != want.F || got.Key != want.Key || time.Duration(got.Time) < want.At {
			t.Errorf("op %d: %s %s at %v, want %s %s at or after %v", i, got.F, got.Key, time.Duration(got.Time), want.F, want.Key, want.At)
		}
	}
	if opened := harness.Opened(rec.Schedule, rec.Ops); len(opened) != len(s.Faults) {
		t.Errorf("opened %v, want every window of %v", opened, s.Faults)
	}
}

// Run with OutDir leaves the reproducing run's files, judged as a run is.
func TestRunWritesTheRun(t *testing.T) {
	s, err := FromTLC(goldenCheck(t, vocab.BugNoCompensation))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, err := Run(s, Options{OutDir: dir})
	if err != nil || !out.Reproduced {
		t.Fatalf("reproduced %v: %v", out.Reproduced, err)
	}
	for _, f := range []string{"history.jsonl", "trace.ndjson", "results.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil || !strings.Contains(string(b), vocab.AnomalyInventoryLeak) {
		t.Errorf("results.json does not name %s: %v", vocab.AnomalyInventoryLeak, err)
	}
}
