package sim

import (
	"errors"
	"hash/fnv"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// ErrUnreachable is returned to a node that is partitioned from the bus.
var ErrUnreachable = errors.New("sim: bus unreachable (partition)")

// Bus is the simulated event bus: like Kafka, a topic is a set of
// partitioned logs, an event goes to the partition of its aggregate, and
// each consumer group has a committed offset per partition. The bus itself
// never loses a published record; faults act on the way to consumers.
type Bus struct {
	partitions int
	logs       map[string][][]trace.Envelope // topic -> partition -> records
	committed  map[groupPartition]int64
	fetched    map[groupPartition]int64 // the consumer's fetch position (volatile)
}

type groupPartition struct {
	group, topic string
	partition    int
}

// NewBus returns a bus with the given partitions per topic.
func NewBus(partitions int) *Bus {
	b := &Bus{partitions: partitions, logs: map[string][][]trace.Envelope{},
		committed: map[groupPartition]int64{}, fetched: map[groupPartition]int64{}}
	for _, t := range vocab.Topics {
		b.logs[t] = make([][]trace.Envelope, partitions)
	}
	return b
}

// PartitionOf returns the partition of an aggregate: its events stay in order there.
func (b *Bus) PartitionOf(aggregate string) int {
	h := fnv.New32a()
	h.Write([]byte(aggregate))
	return int(h.Sum32() % uint32(b.partitions))
}

// Append writes a record and returns its partition and offset.
func (b *Bus) Append(topic string, ev trace.Envelope) (int, int64) {
	p := b.PartitionOf(ev.Aggregate)
	b.logs[topic][p] = append(b.logs[topic][p], ev)
	return p, int64(len(b.logs[topic][p]) - 1)
}

// Rewind resets a group's fetch positions to its committed offsets (a
// consumer that restarts reads again from its last commit).
func (b *Bus) Rewind(group string) {
	for gp := range b.fetched {
		if gp.group == group {
			b.fetched[gp] = b.committed[gp]
		}
	}
}

// Lag returns how many records a group has not committed, over its topics.
func (b *Bus) Lag(group string) int64 {
	var lag int64
	for _, t := range vocab.Subscriptions[group] {
		for p := range b.partitions {
			lag += int64(len(b.logs[t][p])) - b.committed[groupPartition{group, t, p}]
		}
	}
	return lag
}

// Records returns the number of records in all logs.
func (b *Bus) Records() int64 {
	var n int64
	for _, parts := range b.logs {
		for _, l := range parts {
			n += int64(len(l))
		}
	}
	return n
}
