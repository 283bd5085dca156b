package sut

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/clock"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/realtime"
	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/sim"
)

// Result is what a run found: results.json's content, the history it
// judged and the run directory (empty when the run stayed in memory).
type Result struct {
	results.Results
	Ops []history.Op
	Dir string
}

// syncEvery bounds how long a history line may stay unsynced: a killed run
// leaves a history that `jepsen-lite check` reads.
const syncEvery = 50 * time.Millisecond

// Run runs a test: it starts the system (Setup), runs Ops operations of the
// Workload over Concurrency client processes while the Nemesis opens and
// closes fault windows drawn from the Seed, heals every fault, lets the
// system settle (Quiesce), runs the Final operations, stops the system
// (Teardown) and judges the history with the Checkers. With OutDir set it
// writes the run directory as it goes: history.jsonl (synced, so a killed
// run can still be checked) and test.json first, then results.json,
// report.html, junit.xml and summary.md.
//
// It prints the seed first and the verdict, the report and the reproduce
// command last, to Test.Log. The error is for runs that could not be done
// (a bad Test, a failed Setup or fault callback, an unwritable OutDir); a
// run that found anomalies returns them in the Result with a nil error.
func Run(ctx context.Context, t Test) (Result, error) {
	t = t.withDefaults()
	if err := t.Validate(); err != nil {
		return Result{}, err
	}
	log := t.Log
	if log == nil {
		log = os.Stderr
	}
	fmt.Fprintf(log, "seed %d\n", t.Seed)
	fmt.Fprintf(log, "test %s · mode %s · nemesis %s · bug %s · ops %d · concurrency %d · out %s\n",
		orDash(t.Name), t.mode(), listOr(t.Nemesis.Names(), "none"), orDash(t.Bug), t.Ops, t.Concurrency, orDash(t.OutDir))
	wall := time.Now()
	ops, sched, virtual, err := execute(ctx, t)
	if err != nil {
		return Result{Ops: ops, Dir: t.OutDir}, err
	}
	in := &checker.Input{Ops: ops, OutDir: t.OutDir}
	res := Result{Results: judged(checker.Run(in, t.Checkers), t.Checkers, ops), Ops: ops, Dir: t.OutDir}
	res.Seed, res.Bug, res.Nemesis, res.Command = t.Seed, t.Bug, t.Nemesis.Names(), t.Command
	res.Schedule = harness.Windows(harness.Opened(sched, ops))
	res.Marks = marks(t.Nemesis, ops)
	res.Stats.VirtualNS, res.Stats.WallNS = int64(virtual), int64(time.Since(wall))
	if t.OutDir != "" {
		if err := res.Write(t.OutDir); err != nil {
			return res, err
		}
		if err := reports.Render(t.OutDir); err != nil {
			return res, err
		}
	}
	printVerdict(log, res)
	return res, nil
}

// execute runs the phases and returns the history, the schedule and how
// long the run took on its clock.
func execute(ctx context.Context, t Test) ([]history.Op, faults.Schedule, time.Duration, error) {
	var w *history.Writer
	if t.OutDir != "" {
		if err := os.MkdirAll(t.OutDir, 0o755); err != nil {
			return nil, nil, 0, err
		}
		if err := WriteSpec(t.OutDir, t.Name, t.Checkers); err != nil {
			return nil, nil, 0, err
		}
		var err error
		if w, err = history.Create(filepath.Join(t.OutDir, reports.HistoryFile), syncEvery); err != nil {
			return nil, nil, 0, err
		}
	}
	rec := history.NewRecorder(w)
	src := newSeeds(t.Seed)
	sched := t.Schedule
	if sched == nil {
		sched = t.Nemesis.Schedule(src.faults, t.horizon())
	}
	inj := newInjector(ctx, t.Nemesis)
	var now func() time.Duration
	var run func(*driver, *faults.Nemesis) error
	var sc clock.Scheduler
	if t.Stepped {
		loop := &sim.Loop{}
		sc, now = loop, loop.Now
		run = func(d *driver, n *faults.Nemesis) error { return runStepped(d, loop, n, sched) }
	} else {
		loop := realtime.New()
		defer loop.Close()
		sc, now = loop, loop.Now
		run = func(d *driver, n *faults.Nemesis) error { return runRealtime(d, loop, n, sched) }
	}
	var errs []error
	if t.Setup != nil {
		if err := t.Setup(ctx, Env{Rand: src.system, Clock: sc, Stepped: t.Stepped}); err != nil {
			errs = append(errs, fmt.Errorf("setup: %w", err))
		}
	}
	if len(errs) == 0 {
		d := newDriver(ctx, t, rec, src.workload, now)
		errs = append(errs, run(d, faults.NewNemesis(sc, inj, rec)), inj.firstErr())
	}
	virtual := now()
	if t.Teardown != nil {
		if err := t.Teardown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("teardown: %w", err))
		}
	}
	errs = append(errs, rec.Err())
	if w != nil {
		errs = append(errs, w.Close())
	}
	return rec.Ops(), sched, virtual, errors.Join(errs...)
}

// seeds are independent sources for the parts of a run, so that a change in
// one part's draws does not shift another's.
type seeds struct{ workload, faults, system *rand.Rand }

func newSeeds(seed uint64) seeds {
	root := rand.New(rand.NewPCG(seed, 0x737574)) // "sut"
	mk := func() *rand.Rand { return rand.New(rand.NewPCG(root.Uint64(), root.Uint64())) }
	return seeds{workload: mk(), faults: mk(), system: mk()}
}

// judged turns a checker report into results.json's content; the checkers
// are listed in the test's order.
func judged(rep checker.Report, cs []checker.Checker, ops []history.Op) results.Results {
	order := make([]string, len(cs))
	for i, c := range cs {
		order[i] = c.Name()
	}
	return results.Results{Valid: rep.Valid, Nemesis: []string{}, Stats: results.CountOps(ops),
		Checkers: rep.Checkers, Order: order, Anomalies: rep.AnomalyTypes()}
}

func (t Test) mode() string {
	if t.Stepped {
		return "stepped"
	}
	return "real-time"
}

// printVerdict prints each checker's verdict with its first anomalies, the
// verdict, the report and, last, the reproduce command.
func printVerdict(w io.Writer, res Result) {
	for _, name := range res.Order {
		r := res.Checkers[name]
		fmt.Fprintf(w, "  %-14s %s", name, r.Valid)
		if len(r.Anomalies) > 0 {
			fmt.Fprintf(w, ", %d anomalies", len(r.Anomalies))
		}
		if r.Valid == checker.Unknown {
			fmt.Fprintf(w, ": %s", r.Note)
		}
		fmt.Fprintln(w)
		for i, a := range r.Anomalies {
			if i == 3 {
				fmt.Fprintf(w, "      ... %d more\n", len(r.Anomalies)-3)
				break
			}
			fmt.Fprintf(w, "      %s key=%s ops=%v %s\n", a.Type, a.Key, a.Ops[:min(len(a.Ops), 8)], a.Detail)
		}
	}
	fmt.Fprintf(w, "verdict: %s", res.Valid)
	if len(res.Anomalies) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(res.Anomalies, ", "))
	}
	fmt.Fprintln(w)
	if res.Dir != "" {
		fmt.Fprintf(w, "report: %s\n", filepath.Join(res.Dir, reports.HTMLFile))
	}
	if res.Command != "" {
		fmt.Fprintf(w, "reproduce: %s\n", res.Command)
	} else {
		fmt.Fprintf(w, "reproduce: seed %d\n", res.Seed)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func listOr(xs []string, def string) string {
	if len(xs) == 0 {
		return def
	}
	return strings.Join(xs, ",")
}
