package sut

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/faults"
)

// Test is everything Run needs to test a system: how to start it, how to
// talk to it, what to do to it and how to judge what happened. Zero
// fields take the defaults named on them.
type Test struct {
	// Name names the system in the run's results ("kv").
	Name string
	// Nodes are the system's nodes; client processes are opened against
	// them in turn. At least one.
	Nodes []string
	// Setup, when set, starts the system before the first operation; the
	// Env gives it the run's random source and clock.
	Setup func(ctx context.Context, env Env) error
	// Teardown, when set, stops the system after the last operation.
	Teardown func(ctx context.Context) error
	// NewClient makes the client of one process (required).
	NewClient func() Client
	Workload  Workload
	Nemesis   Nemesis
	// Checkers judge the history, composed by name (invalid > unknown >
	// valid). Use Linearizable, LogChecker, CheckerFunc, or any
	// checker.Checker. At least one.
	Checkers []checker.Checker

	// Seed fixes every random choice of the run.
	Seed uint64
	// Ops is the number of main-phase operations (default 200).
	Ops int
	// Concurrency is the number of client processes (default 5).
	Concurrency int
	// Stepped runs the system on a virtual clock, one call at a time, in an
	// order drawn from the seed (see the package documentation). The
	// system must take its time and randomness from the Env only.
	Stepped bool
	// Timeout is a real-time operation's deadline, in the ctx given to
	// Invoke (default 1 s).
	Timeout time.Duration
	// LatencyMax bounds the virtual time between an operation's invoke and
	// its call to Invoke in a Stepped run (default 10 ms); ThinkMax bounds a
	// process's pause between two operations (default 2 ms).
	LatencyMax, ThinkMax time.Duration
	// Quiesce is how long the system may settle between healing the faults
	// and the Final operations (default 100 ms).
	Quiesce time.Duration
	// Schedule, when non-nil, replaces the fault schedule drawn from the
	// seed (a reproducer, or no faults at all with an empty schedule).
	Schedule faults.Schedule
	// OutDir receives the run directory; empty keeps the run in memory.
	OutDir string
	// Bug names the bug switch the system runs with, if any; recorded in
	// results.json.
	Bug string
	// Command is the command line that reproduces the run, recorded in
	// results.json and printed last (Main sets it).
	Command string
	// Log receives the seed first and the verdict last; nil means
	// os.Stderr, io.Discard silences it.
	Log io.Writer
}

// Defaults of a Test's zero fields.
const (
	OpsDefault         = 200
	ConcurrencyDefault = 5
	TimeoutDefault     = time.Second
	LatencyMaxDefault  = 10 * time.Millisecond
	ThinkMaxDefault    = 2 * time.Millisecond
	QuiesceDefault     = 100 * time.Millisecond
)

// withDefaults fills the zero fields.
func (t Test) withDefaults() Test {
	if t.Ops == 0 {
		t.Ops = OpsDefault
	}
	if t.Concurrency == 0 {
		t.Concurrency = ConcurrencyDefault
	}
	t.Timeout = cmpOr(t.Timeout, TimeoutDefault)
	t.LatencyMax = cmpOr(t.LatencyMax, LatencyMaxDefault)
	t.ThinkMax = cmpOr(t.ThinkMax, ThinkMaxDefault)
	t.Quiesce = cmpOr(t.Quiesce, QuiesceDefault)
	return t
}

// concurrencyMax bounds the client processes of a run.
const concurrencyMax = 1000

// Validate reports the first bad field of a test, naming it.
func (t Test) Validate() error {
	t = t.withDefaults()
	var err error
	switch {
	case len(t.Nodes) == 0:
		err = errors.New("Nodes: at least one node")
	case t.NewClient == nil:
		err = errors.New("NewClient: required")
	case len(t.Checkers) == 0:
		err = errors.New("Checkers: at least one checker")
	case t.Ops < 0:
		err = fmt.Errorf("Ops %d: must be >= 0", t.Ops)
	case t.Concurrency < 1 || t.Concurrency > concurrencyMax:
		err = fmt.Errorf("Concurrency %d: must be in 1..%d", t.Concurrency, concurrencyMax)
	case t.Timeout < 0 || t.LatencyMax < 0 || t.ThinkMax < 0 || t.Quiesce < 0:
		err = errors.New("Timeout, LatencyMax, ThinkMax and Quiesce must be >= 0")
	}
	if err == nil {
		err = t.Workload.validate()
	}
	if err == nil {
		err = t.Nemesis.validate()
	}
	if err == nil {
		err = checkNames(t.Checkers)
	}
	if err != nil {
		return fmt.Errorf("sut: test %q: %w", t.Name, err)
	}
	return nil
}

func checkNames(cs []checker.Checker) error {
	seen := map[string]bool{}
	for i, c := range cs {
		if c == nil || c.Name() == "" {
			return fmt.Errorf("Checkers[%d]: nil or unnamed", i)
		}
		if seen[c.Name()] {
			return fmt.Errorf("Checkers: two checkers named %q", c.Name())
		}
		if v, ok := c.(interface{ validate() error }); ok {
			if err := v.validate(); err != nil {
				return fmt.Errorf("Checkers[%d]: %w", i, err)
			}
		}
		seen[c.Name()] = true
	}
	return nil
}

// horizon is how far ahead the fault schedule is drawn: past the expected
// end of the main phase (windows after it are never opened).
func (t Test) horizon() time.Duration {
	perOp := t.LatencyMax + t.ThinkMax
	if !t.Stepped {
		perOp = t.Timeout + t.ThinkMax // the longest a real operation may take
	}
	return time.Duration(t.Ops/t.Concurrency+1)*perOp + time.Second
}
