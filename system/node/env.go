package node

import (
	"math/rand/v2"
	"time"

	"github.com/jepsen-lite/jepsen-lite/trace"
)

// Env is what a driver gives a node. Calls never block.
type Env interface {
	// Now is the time since the run started.
	Now() time.Duration
	// After runs fn on this node after d, unless the node crashed meanwhile.
	After(d time.Duration, fn func())
	// Rand is this node's seeded source.
	Rand() *rand.Rand
	// Publish sends an event to a topic keyed by its aggregate. It fails when
	// the node cannot reach the bus.
	Publish(topic string, ev trace.Envelope) error
	// Committed returns the group's committed offset of a partition.
	Committed(topic string, partition int) int64
	// Commit commits the group's offset (the next offset to read).
	Commit(topic string, partition int, next int64) error
	// Trace records a trace event; the driver stamps time and sequence.
	Trace(e trace.Event)
}

// Delivery is one record handed to a consumer.
type Delivery struct {
	Topic     string
	Partition int
	Offset    int64
	Event     trace.Envelope
	Dup       bool // a duplicate injected by the nemesis (for the trace only)
}

// Bugs are the bug switches of DESIGN.md that live in the runtime.
type Bugs struct {
	NoDedup             bool
	NoOCC               bool
	StaleRead           bool
	AckBeforePersist    bool
	CommitBeforeProcess bool
	UnorderedApply      bool
	NoCompensation      bool
}

// Config tunes a node. Durations are virtual in simulation.
type Config struct {
	Service string
	Bugs    Bugs
	// StoreLatencyMin/Max bound the time between reading state and the
	// append decided on it: the window in which concurrent writers race.
	StoreLatencyMin, StoreLatencyMax time.Duration
	// RetryBase and RetryCap shape the capped exponential backoff.
	RetryBase, RetryCap time.Duration
	// AttemptsMax is how often a failing event is tried before it is dead-lettered.
	AttemptsMax int
	// ConflictRetriesMax bounds optimistic-concurrency retries of one
	// command (then it fails); an event's handling retries until it applies.
	ConflictRetriesMax int
	SnapshotEvery      int
	RelayInterval      time.Duration
	RelayBatchMax      int
	// LegacyEvery and FutureEvery make the orders service write OrderPlaced at
	// schema 1 (an old release) or 3 (a newer one) every Nth order; 0 = never.
	LegacyEvery, FutureEvery int
	// WriteBehind is the flush delay of the ack-before-persist bug's buffer.
	WriteBehind time.Duration
}

// DefaultConfig returns the defaults used by runs.
func DefaultConfig(service string, bugs Bugs) Config {
	return Config{
		Service:         service,
		Bugs:            bugs,
		StoreLatencyMin: 200 * time.Microsecond, StoreLatencyMax: 3 * time.Millisecond,
		RetryBase: time.Millisecond, RetryCap: 64 * time.Millisecond,
		AttemptsMax: 5, ConflictRetriesMax: 20,
		SnapshotEvery: 8,
		RelayInterval: time.Millisecond, RelayBatchMax: 64,
		LegacyEvery: 7, FutureEvery: 41,
		WriteBehind: 20 * time.Millisecond,
	}
}

// backoff returns the delay before attempt (1-based), capped and jittered.
func (n *Node) backoff(attempt int) time.Duration {
	d := n.cfg.RetryBase << min(attempt-1, 20)
	if d > n.cfg.RetryCap || d <= 0 {
		d = n.cfg.RetryCap
	}
	return d/2 + time.Duration(n.env.Rand().Int64N(int64(d/2)+1))
}

func (n *Node) storeLatency() time.Duration {
	lo, hi := n.cfg.StoreLatencyMin, n.cfg.StoreLatencyMax
	return lo + time.Duration(n.env.Rand().Int64N(int64(hi-lo)+1))
}
