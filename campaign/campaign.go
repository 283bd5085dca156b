package campaign

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// Config is a campaign's inputs.
type Config struct {
	Seeds     int        // runs per nemesis set
	FirstSeed uint64     // seeds are FirstSeed, FirstSeed+1, ...
	Matrix    [][]string // nemesis sets, each a list of faults (empty = none)
	Bug       string
	Parallel  int
	Workload  workloads.Config
	// StopOnFail stops the campaign at the first failing run.
	StopOnFail bool
	// Out, when set, receives results.json and every failing run's directory.
	Out string
	// Progress, when set, is called after each run with done and total.
	Progress func(done, total, failed int)
}

// Run is one finished run of a campaign.
type Run = results.CampaignRun

// Result is a campaign's outcome (DIR/results.json of a campaign).
type Result = results.Campaign

// options returns the harness options of one run.
func (c Config) options(seed uint64, nemesis []string) harness.Options {
	o := harness.DefaultOptions()
	o.Seed, o.Nemesis, o.Bug, o.Workload = seed, nemesis, c.Bug, c.Workload
	o.SyncEvery = time.Second
	return o
}

type job struct {
	seed    uint64
	nemesis []string
}

// Execute runs the campaign.
func Execute(c Config) (*Result, error) {
	if c.Parallel < 1 {
		c.Parallel = 1
	}
	var jobs []job
	for _, nem := range c.Matrix {
		for i := range c.Seeds {
			jobs = append(jobs, job{c.FirstSeed + uint64(i), nem})
		}
	}
	start := time.Now()
	res := &Result{Bug: c.Bug}
	var mu sync.Mutex
	var firstErr error
	stop := false
	next := 0
	var wg sync.WaitGroup
	for range c.Parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if stop || next >= len(jobs) {
					mu.Unlock()
					return
				}
				j := jobs[next]
				next++
				mu.Unlock()
				run, err := c.runOne(j)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					stop = true
				}
				if err == nil {
					res.Runs = append(res.Runs, run)
					if run.Valid == verdict.Invalid && c.StopOnFail {
						stop = true
						res.Stopped = true
					}
				}
				if c.Progress != nil {
					c.Progress(len(res.Runs), len(jobs), failures(res.Runs))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	sort.Slice(res.Runs, func(i, k int) bool {
		a, b := res.Runs[i], res.Runs[k]
		if ka, kb := strings.Join(a.Nemesis, ","), strings.Join(b.Nemesis, ","); ka != kb {
			return ka < kb
		}
		return a.Seed < b.Seed
	})
	res.Valid = verdict.Valid
	res.Marks = map[string]int{}
	for _, n := range harness.MarkNames {
		res.Marks[n] = 0
	}
	for _, r := range res.Runs {
		res.Valid = verdict.Merge(res.Valid, r.Valid)
		for k, v := range r.Marks {
			res.Marks[k] += v
		}
	}
	for _, n := range harness.MarkNames {
		if res.Marks[n] == 0 {
			res.Never = append(res.Never, n)
		}
	}
	res.WallNS = int64(time.Since(start))
	return res, nil
}

func failures(runs []Run) int {
	n := 0
	for _, r := range runs {
		if r.Valid == verdict.Invalid {
			n++
		}
	}
	return n
}

// runOne runs and judges one seed in memory; a failing run is run again
// into its own directory (the simulation is deterministic, so it is the
// same run) to keep its history, trace and report.
func (c Config) runOne(j job) (Run, error) {
	o := c.options(j.seed, j.nemesis)
	t0 := time.Now()
	rec, err := harness.RunSim(o)
	if err != nil {
		return Run{}, err
	}
	rep := harness.Judge(&checker.Input{Ops: rec.Ops, Trace: rec.Trace})
	run := Run{Seed: j.seed, Nemesis: j.nemesis, Valid: rep.Valid, Anomalies: rep.AnomalyTypes(),
		Ops: harness.CountClientOps(rec.Ops), WallNS: int64(time.Since(t0)), Command: o.Command(),
		Marks: harness.Marks(rec.Ops, rec.Trace)}
	if run.Valid != verdict.Valid && c.Out != "" {
		o.OutDir = filepath.Join(c.Out, fmt.Sprintf("seed-%d-%s", j.seed, harness.FaultList(j.nemesis)))
		if _, _, err := harness.Execute(o); err != nil {
			return Run{}, err
		}
		run.Dir = o.OutDir
	}
	return run, nil
}
