package harness

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/vocab"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// Options are a run's inputs; with the seed they determine a simulated run.
type Options struct {
	Seed uint64
	Bus  string // "sim" (default) or "kafka"
	// Brokers are the Kafka bootstrap addresses (host:port) with Bus
	// "kafka"; empty = an embedded cluster started for the run.
	Brokers  []string
	Nemesis  []string
	Bug      string
	Workload workloads.Config
	// FaultGap is the mean time between fault windows.
	FaultGap time.Duration
	// OutDir receives history.jsonl, trace.ndjson, results.json; empty = memory only.
	OutDir string
	// SyncEvery bounds how long a written history line may stay unsynced.
	SyncEvery time.Duration
	// Schedule, when non-nil, replaces the schedule drawn from the seed and
	// Nemesis (a shrunk or hand-written reproducer).
	Schedule faults.Schedule
	// TimeLimit, when set, ends the main phase after this much (virtual) time.
	TimeLimit time.Duration
}

// DefaultOptions returns the options of a plain `jepsen-lite run`.
func DefaultOptions() Options {
	return Options{Seed: 1, Bus: "sim", Workload: workloads.Default(), FaultGap: 40 * time.Millisecond,
		SyncEvery: 50 * time.Millisecond}
}

// FaultOptions are DefaultOptions for one seed under every fault
// (`--nemesis all`), with a bug switch ("" = none) and ops client
// operations (0 = the default count): the shape of most test runs.
func FaultOptions(seed uint64, bug string, ops int) Options {
	o := DefaultOptions()
	o.Seed, o.Nemesis, o.Bug = seed, vocab.Faults, bug
	if ops > 0 {
		o.Workload.Ops = ops
	}
	return o
}

// Validate reports the first bad option, naming it.
func (o Options) Validate() error {
	if o.Bus != "sim" && o.Bus != "kafka" {
		return fmt.Errorf("run: --bus %q: want sim or kafka", o.Bus)
	}
	if o.Bug != "" && !vocab.Known(vocab.Bugs, o.Bug) {
		return fmt.Errorf("run: --bug %q: want one of %s", o.Bug, strings.Join(vocab.Bugs, ", "))
	}
	if err := o.Workload.Validate(); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

// Bugs turns the --bug name into the runtime's switches.
func Bugs(name string) node.Bugs {
	return node.Bugs{
		NoDedup:             name == vocab.BugNoDedup,
		NoOCC:               name == vocab.BugNoOCC,
		StaleRead:           name == vocab.BugStaleRead,
		AckBeforePersist:    name == vocab.BugAckBeforePersist,
		CommitBeforeProcess: name == vocab.BugCommitBeforeProcess,
		UnorderedApply:      name == vocab.BugUnorderedApply,
		NoCompensation:      name == vocab.BugNoCompensation,
	}
}

// seeds derives independent sources for the parts of a run, so that a change
// in one part's draws does not shift another's.
type seeds struct{ workload, faults, system *rand.Rand }

func deriveSeeds(seed uint64) seeds {
	root := rand.New(rand.NewPCG(seed, 0x6a65707365))
	mk := func() *rand.Rand { return rand.New(rand.NewPCG(root.Uint64(), root.Uint64())) }
	return seeds{workload: mk(), faults: mk(), system: mk()}
}
