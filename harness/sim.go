package harness

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/jepsen-lite/jepsen-lite/clock"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/sim"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// virtualMax bounds a simulated run's virtual time: a run that has not
// finished by then is an internal error, never a verdict.
const virtualMax = 2 * time.Hour

// Recorded is what a run leaves behind for the checkers.
type Recorded struct {
	Ops      []history.Op
	Trace    []trace.Event
	Schedule faults.Schedule
	Virtual  time.Duration // virtual time the run took (wall time over Kafka)
	Steps    uint64        // scheduler events run
	Records  int64         // records published to the bus
	Log      *KafkaLog     // the log history of a Kafka run; nil in simulation
}

// RunSim runs one seeded simulation and returns what it recorded. Files are
// written as the run goes when opts.OutDir is set.
func RunSim(opts Options) (*Recorded, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	files, err := openFiles(opts)
	if err != nil {
		return nil, err
	}
	defer files.close()
	sd := deriveSeeds(opts.Seed)
	loop := &sim.Loop{}
	var events traceBuf
	sink := func(e trace.Event) {
		events.add(e)
		files.trace(e)
	}
	bugs := Bugs(opts.Bug)
	cluster := sim.NewCluster(loop, sd.system, sim.DefaultConfig(),
		func(svc string) node.Config { return node.DefaultConfig(svc, bugs) }, sink)
	rec := history.NewRecorder(files.history)
	nem := faults.NewNemesis(loop, cluster, rec)
	sched := opts.Schedule
	if sched == nil {
		sched = faults.Generate(sd.faults, opts.Nemesis, horizon(opts), opts.FaultGap)
	}
	runner := workloads.NewRunner(opts.Workload, sd.workload, sim.NewClient(cluster), loop, rec)

	var mainEnded bool
	runner.Start(func(next func(bool)) {
		mainEnded = true
		nem.Heal()
		waitQuiet(loop, cluster, opts.Workload, next)
	})
	nem.Start(sched)
	if opts.TimeLimit > 0 {
		loop.RunUntil(opts.TimeLimit, func() bool { return mainEnded })
		if !mainEnded {
			// Stop drawing new main-phase ops; the in-flight ones complete.
			runner.StopMain()
		}
	}
	if !loop.RunUntil(virtualMax, runner.Done) {
		return nil, fmt.Errorf("simulation did not finish within %v of virtual time (seed %d)", virtualMax, opts.Seed)
	}
	if err := rec.Err(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", filepath.Join(opts.OutDir, "history.jsonl"), err)
	}
	return &Recorded{Ops: rec.Ops(), Trace: events.events(), Schedule: sched, Virtual: loop.Now(),
		Steps: loop.Steps(), Records: cluster.Bus().Records()}, files.err
}

// horizon is how far ahead the fault schedule is drawn: past the expected
// end of the main phase (faults after it are never opened).
func horizon(opts Options) time.Duration {
	if opts.TimeLimit > 0 {
		return opts.TimeLimit
	}
	perOp := 4 * time.Millisecond
	return time.Duration(opts.Workload.Ops/max(opts.Workload.Concurrency, 1)+1)*perOp*2 + time.Second
}

// deployment is what the final phase asks of a driver's cluster.
type deployment interface {
	Quiet() bool
	Progress() [3]int64
}

// waitQuiet polls the cluster until it is quiet, or nothing has moved for
// QuietPeriod (a stalled system is as quiet as it gets), or QuiesceMax passed.
func waitQuiet(loop clock.Scheduler, c deployment, w workloads.Config, next func(bool)) {
	const every = 10 * time.Millisecond
	start := loop.Now()
	last, since := c.Progress(), loop.Now()
	var poll func()
	poll = func() {
		p := c.Progress()
		if p != last {
			last, since = p, loop.Now()
		}
		switch {
		case c.Quiet():
			next(true)
		case loop.Now()-since >= w.QuietPeriod:
			next(true)
		case loop.Now()-start >= w.QuiesceMax:
			next(false)
		default:
			loop.After(every, poll)
		}
	}
	loop.After(every, poll)
}
