package harness

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/realtime"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	kafkabus "github.com/jepsen-lite/jepsen-lite/transport/kafka"
	"github.com/jepsen-lite/jepsen-lite/vocab"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// KafkaOps is the default of --ops with --bus kafka. A run over sockets
// takes real time (about 1 ms per op per client process, then the sagas
// settle and every order is read back), so it is sized to finish in a few
// seconds; the simulator's default of 2000 ops also works.
const KafkaOps = 1000

// kafkaWallMax bounds a Kafka run's wall time: a run that has not finished
// by then is an internal error, never a verdict.
const kafkaWallMax = 5 * time.Minute

// kafkaQuiesceMax caps the final phase's wait for quiescence: over real
// sockets a stuck system would otherwise hold the run for QuiesceMax.
const kafkaQuiesceMax = 20 * time.Second

// kafkaBrokerGap is how much rarer broker windows are than service windows.
const kafkaBrokerGap = 4

// kafkaFinalPollsMax bounds the final polls that read every partition back
// for the log checker.
const kafkaFinalPollsMax = 30 * time.Second

// kafkaHorizon is how far ahead a Kafka run's fault schedule is drawn:
// past the end of the main phase in real time, where an op takes a few
// milliseconds but the faults' timeouts stretch the tail (windows after
// the main phase are never opened, so too far costs nothing).
func kafkaHorizon(opts Options) time.Duration {
	if opts.TimeLimit > 0 {
		return opts.TimeLimit
	}
	const perOp = 25 * time.Millisecond
	return time.Duration(opts.Workload.Ops/max(opts.Workload.Concurrency, 1)+1)*perOp + 2*time.Second
}

// kafkaRelayBatchMax is a node's largest outbox batch over Kafka: one
// produce call carries it, and the orders service writes several events
// per order, so a small batch (the simulator's 64) caps the whole
// pipeline at a batch per broker round trip.
const kafkaRelayBatchMax = 1024

// kafkaNodeConfig is node.DefaultConfig with the relay sized for Kafka.
func kafkaNodeConfig(svc string, bugs node.Bugs) node.Config {
	cfg := node.DefaultConfig(svc, bugs)
	cfg.RelayBatchMax = kafkaRelayBatchMax
	return cfg
}

// kafkaBrokersEmbedded is the number of brokers of the embedded cluster.
const kafkaBrokersEmbedded = 3

// RunKafka runs one workload over Kafka and returns what it recorded, as
// RunSim does for the simulator: the same workload, nemesis and final
// phase, with every service node on its own goroutine and the bus on the
// brokers of opts.Brokers, or on an embedded kfake cluster on 127.0.0.1
// when there are none. The seed fixes the workload's operations and the
// fault schedule; the interleaving comes from real time and sockets, so two
// runs of one seed differ (they are judged the same way).
func RunKafka(opts Options) (*Recorded, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	files, err := openFiles(opts)
	if err != nil {
		return nil, err
	}
	defer files.close()
	sd := deriveSeeds(opts.Seed)
	brokers := opts.Brokers
	var emb *kafkabus.Embedded
	if len(brokers) == 0 {
		emb, err = kafkabus.StartEmbedded(kafkaBrokersEmbedded, rand.New(rand.NewPCG(sd.system.Uint64(), 1)))
		if err != nil {
			return nil, err
		}
		defer emb.Close()
		brokers = emb.Addrs()
	}
	loop := realtime.New()
	defer loop.Close()
	var mu sync.Mutex // the sink runs on node goroutines (serialized by the cluster)
	var events traceBuf
	sink := func(e trace.Event) {
		mu.Lock()
		events.add(e)
		mu.Unlock()
		files.trace(e)
	}
	bugs := Bugs(opts.Bug)
	// Each run gets its own topics and groups: a real cluster may hold
	// earlier runs' records and committed offsets.
	prefix := fmt.Sprintf("jepsen-lite.%d.%d.", opts.Seed, time.Now().UnixNano())
	kcfg := kafkabus.DefaultConfig(brokers, prefix)
	if bugs.CommitBeforeProcess {
		// The bug commits on receipt, before handling, as CommitSync before
		// processing does: the commit is sent at once, not grouped with
		// later ones (a grouped commit usually left after the handling,
		// which hid the bug under load: CI saw three valid runs in a row).
		kcfg.CommitEvery = 0
	}
	// The proxies carry the network faults; without any, sockets go direct.
	kcfg.Proxies = opts.Schedule != nil || slices.ContainsFunc(opts.Nemesis, func(f string) bool {
		return f == vocab.FaultPartition || f == vocab.FaultDelay
	})
	cluster, err := kafkabus.NewCluster(kcfg, loop, sd.system,
		func(svc string) node.Config { return kafkaNodeConfig(svc, bugs) }, sink, emb)
	if err != nil {
		return nil, fmt.Errorf("kafka at %v: %w", brokers, err)
	}
	closed := false
	closeCluster := func() {
		if !closed {
			closed = true
			cluster.Close()
		}
	}
	defer closeCluster()

	rec := history.NewRecorder(files.history)
	nem := faults.NewNemesis(loop, cluster, rec)
	sched := opts.Schedule
	if sched == nil {
		sched = faults.Generate(sd.faults, opts.Nemesis, kafkaHorizon(opts), opts.FaultGap)
		// Broker windows come from a source of their own, so that the
		// service windows are those of the simulator's schedule.
		brng := rand.New(rand.NewPCG(opts.Seed, 0x62726f6b6572))
		sched = append(sched, cluster.BrokerSchedule(brng, opts.Nemesis, kafkaHorizon(opts), kafkaBrokerGap*opts.FaultGap)...)
		slices.SortStableFunc(sched, func(a, b faults.Window) int { return cmp.Compare(a.Start, b.Start) })
	}
	runner := workloads.NewRunner(opts.Workload, sd.workload, kafkabus.NewClient(cluster), loop, rec)
	final := opts.Workload
	final.QuiesceMax = min(final.QuiesceMax, kafkaQuiesceMax)
	mainEnded := false
	runner.Start(func(next func(bool)) {
		mainEnded = true
		nem.Heal()
		waitQuiet(loop, cluster, final, next)
	})
	nem.Start(sched)
	if opts.TimeLimit > 0 {
		loop.Run(func() bool { return mainEnded }, opts.TimeLimit)
		if !mainEnded {
			runner.StopMain()
		}
	}
	if !loop.Run(runner.Done, kafkaWallMax) {
		return nil, fmt.Errorf("kafka run did not finish within %v (seed %d)", kafkaWallMax, opts.Seed)
	}
	wall := loop.Now()
	closeCluster() // no trace event comes after this
	if err := rec.Err(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", filepath.Join(opts.OutDir, "history.jsonl"), err)
	}
	klog := &KafkaLog{}
	if err := cluster.FinalPolls(kafkaFinalPollsMax); err != nil {
		klog.FinalPollsErr = err.Error()
	}
	klog.History = cluster.LogHistory()
	if err := writeLog(opts.OutDir, klog.History); err != nil {
		return nil, err
	}
	return &Recorded{Ops: rec.Ops(), Trace: events.events(), Schedule: sched, Virtual: wall,
		Steps: uint64(cluster.Steps()), Records: cluster.Published(), Log: klog}, files.err
}
