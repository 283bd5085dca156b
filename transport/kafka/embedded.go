package kafka

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Embedded is an in-process Kafka-protocol cluster (kfake) on 127.0.0.1:
// the default bus of `run --bus kafka`, and the one whose control hooks
// give broker-side faults. kfake has no real replication: acks=all always
// succeeds, so replica faults are injected as request errors.
type Embedded struct {
	c *kfake.Cluster

	mu  sync.Mutex // guards rng: fault filters run on kfake's goroutine
	rng *rand.Rand
}

// StartEmbedded starts a cluster of brokers listening on loopback ports
// chosen by the OS. Topics are created by the driver, as on a real cluster.
func StartEmbedded(brokers int, rng *rand.Rand) (*Embedded, error) {
	c, err := kfake.NewCluster(kfake.NumBrokers(brokers))
	if err != nil {
		return nil, fmt.Errorf("embedded kafka: %w", err)
	}
	return &Embedded{c: c, rng: rng}, nil
}

// Addrs are the brokers' host:port addresses (127.0.0.1 only).
func (e *Embedded) Addrs() []string { return e.c.ListenAddrs() }

// Close stops every broker; clients still connected see their connections close.
func (e *Embedded) Close() { e.c.Close() }

// ProduceTimeouts makes the broker apply a fraction of the produce requests
// to topic and answer them REQUEST_TIMED_OUT, as a broker whose replicas
// were too slow: the producer retries and the record is written twice. The
// returned function removes the fault.
func (e *Embedded) ProduceTimeouts(topic string, fraction float64) (remove func()) {
	return e.sometimes(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: topic, Err: kerr.RequestTimedOut}, fraction)
}

// NodeProduceTimeouts is ProduceTimeouts for every produce request node gets.
func (e *Embedded) NodeProduceTimeouts(node int32, fraction float64) (remove func()) {
	return e.sometimes(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Nodes: []int32{node}, Err: kerr.RequestTimedOut}, fraction)
}

// NotLeader makes node answer a fraction of its produce and fetch requests
// NOT_LEADER_OR_FOLLOWER, before acting on them, as a broker that just
// lost leadership does: clients refresh their metadata and retry.
func (e *Embedded) NotLeader(node int32, fraction float64) (remove func()) {
	return e.sometimes(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce, kmsg.Fetch}, Nodes: []int32{node},
		Err: kerr.NotLeaderForPartition}, fraction)
}

// sometimes installs f for a random fraction of the requests it matches,
// until the returned function is called.
func (e *Embedded) sometimes(f kfake.Fault, fraction float64) (remove func()) {
	f.Count = -1
	f.When = func(kmsg.Request) bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.rng.Float64() < fraction
	}
	return e.c.Fault(f).Remove
}

// RemoveNode takes a broker out of the cluster: its listener closes and its
// partitions and coordinators move to the others.
func (e *Embedded) RemoveNode(node int32) {
	if err := e.c.RemoveNode(node); err != nil {
		slog.Warn("embedded kafka: remove node", "node", node, "err", err)
	}
}

// AddNode brings a removed broker back on its old port.
func (e *Embedded) AddNode(node int32, port int) {
	if _, _, err := e.c.AddNode(node, port); err != nil {
		slog.Warn("embedded kafka: add node", "node", node, "port", port, "err", err)
	}
}

// ShuffleLeaders moves every partition's leadership to a random broker;
// clients get NOT_LEADER errors and must refresh their metadata.
func (e *Embedded) ShuffleLeaders() { e.c.ShufflePartitionLeaders() }

// FailCommits makes the group coordinator refuse group's offset commits
// (COORDINATOR_LOAD_IN_PROGRESS, before acting on them) until the returned
// function is called: effects are made but their offsets stay behind, so
// a crash then redelivers what was already handled.
func (e *Embedded) FailCommits(group string) (remove func()) {
	h := e.c.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.OffsetCommit}, Group: group,
		Err: kerr.CoordinatorLoadInProgress, Count: -1})
	return h.Remove
}
