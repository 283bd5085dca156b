package kafka

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Broker faults: windows whose target is a broker ("broker-<node id>")
// rather than a service, under the nemesis's fault names.
//
//	crash@broker-N      embedded: the broker leaves the cluster (kfake
//	                    RemoveNode: its listener closes, its partitions
//	                    and coordinators move) and every service's proxy
//	                    to it stops (live connections die with it); at the
//	                    stop it rejoins on the same port (AddNode).
//	partition@broker-N  every service's proxy to the broker stops: the
//	                    broker runs on, cut off from all clients.
//	delay@broker-N      a latency toxic on every proxy to the broker.
//	duplicate@broker-N  embedded: the broker applies a fraction of its
//	                    produce requests and answers REQUEST_TIMED_OUT, so
//	                    producers retry and write records twice.
//	reorder@broker-N    embedded: partition leaders move (a leader
//	                    election) and the broker answers a fraction of
//	                    produces and fetches NOT_LEADER_OR_FOLLOWER before
//	                    acting on them, so clients refresh and retry.
//
// On a real cluster only partition (with two brokers or more) and delay are
// drawn (they act on the proxies); stopping a real broker is left to the control command of
// .ci/kafka/control.sh (BrokerControlEnv), used by the real-cluster tests.

const brokerTargetPrefix = "broker-"

// broker is one broker as a fault target; its fault state is touched on
// the loop goroutine only.
type broker struct {
	id     int32
	addr   string
	port   int
	crash  int // open windows of each fault
	part   int
	delay  int
	dup    int
	leader int
	// removes the kfake faults of open duplicate and reorder windows
	undoDup, undoLeader func()
}

// discoverBrokers learns the brokers' node IDs and addresses from metadata.
func (c *Cluster) discoverBrokers(ctx context.Context) error {
	md, err := c.admin.Metadata(ctx, &kafkago.MetadataRequest{Topics: []string{c.cfg.topic(vocab.Topics[0])}})
	if err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	c.brokers = map[string]*broker{}
	for _, b := range md.Brokers {
		addr := b.Host + ":" + strconv.Itoa(b.Port)
		c.brokers[brokerTargetPrefix+strconv.Itoa(b.ID)] = &broker{id: int32(b.ID), addr: addr, port: b.Port}
	}
	return nil
}

// BrokerTargets lists the brokers as fault targets, sorted.
func (c *Cluster) BrokerTargets() []string {
	out := make([]string, 0, len(c.brokers))
	for t := range c.brokers {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// brokerFaults are the faults a broker window can have on this cluster. A
// cluster of one broker gets no broker partitions: cutting its only broker
// off is every service partitioned at once for the whole window, an outage
// the service partitions already approach, and one that leaves backlogs
// the reference system does not always absorb (docs/KAFKA.md).
func (c *Cluster) brokerFaults() []string {
	if c.emb == nil && len(c.brokers) < 2 {
		return []string{vocab.FaultDelay}
	}
	if c.emb == nil {
		return []string{vocab.FaultPartition, vocab.FaultDelay}
	}
	return []string{vocab.FaultCrash, vocab.FaultPartition, vocab.FaultDelay, vocab.FaultDuplicate, vocab.FaultReorder}
}

// BrokerSchedule draws broker windows of the faults of nemesis this
// cluster supports, one every gap on average over [0, horizon): each on a
// random broker, 50-300 ms long; at most one broker is crashed at a time.
func (c *Cluster) BrokerSchedule(rng *rand.Rand, nemesis []string, horizon, gap time.Duration) faults.Schedule {
	var kinds []string
	for _, f := range c.brokerFaults() {
		if slices.Contains(nemesis, f) {
			kinds = append(kinds, f)
		}
	}
	targets := c.BrokerTargets()
	if len(kinds) == 0 || len(targets) == 0 || gap <= 0 {
		return nil
	}
	const durMin, durMax = 50 * time.Millisecond, 300 * time.Millisecond
	var s faults.Schedule
	var crashUntil time.Duration
	for t := gap / 2; t < horizon; t += gap/2 + time.Duration(rng.Int64N(int64(gap)+1)) {
		f := kinds[rng.IntN(len(kinds))]
		target := targets[rng.IntN(len(targets))]
		dur := durMin + time.Duration(rng.Int64N(int64(durMax-durMin)+1))
		if f == vocab.FaultCrash {
			if crashUntil > t || len(targets) < 2 {
				continue
			}
			crashUntil = t + dur
		}
		s = append(s, faults.Window{Fault: f, Target: target, Start: t, Stop: t + dur})
	}
	return s
}

// brokerFault opens (start) or closes a broker window; it reports false
// when the target is not a broker.
func (c *Cluster) brokerFault(w faults.Window, start bool) bool {
	b := c.brokers[w.Target]
	if b == nil {
		return false
	}
	edge := vocab.EdgeStop
	if start {
		edge = vocab.EdgeStart
	}
	c.trace(trace.Event{Kind: trace.KindFault, Fault: w.Fault, Edge: edge, Target: w.Target})
	step := -1
	if start {
		step = 1
	}
	switch w.Fault {
	case vocab.FaultCrash:
		if c.emb == nil {
			return true
		}
		if b.crash += step; b.crash == 1 && start {
			c.net.partitionBroker(b.addr, true)
			c.emb.RemoveNode(b.id)
		} else if b.crash == 0 {
			c.emb.AddNode(b.id, b.port)
			c.net.partitionBroker(b.addr, b.part > 0)
		}
	case vocab.FaultPartition:
		if b.part += step; b.part == 1 && start || b.part == 0 {
			c.net.partitionBroker(b.addr, b.part > 0 || b.crash > 0)
		}
	case vocab.FaultDelay:
		if b.delay += step; b.delay == 1 && start {
			c.net.setBrokerLatency(b.addr, c.cfg.DelayExtra)
		} else if b.delay == 0 {
			c.net.setBrokerLatency(b.addr, 0)
		}
	case vocab.FaultDuplicate:
		if c.emb == nil {
			return true
		}
		if b.dup += step; b.dup == 1 && start {
			b.undoDup = c.emb.NodeProduceTimeouts(b.id, c.cfg.DupTimeoutFraction)
		} else if b.dup == 0 && b.undoDup != nil {
			b.undoDup()
			b.undoDup = nil
		}
	case vocab.FaultReorder:
		if c.emb == nil {
			return true
		}
		if b.leader += step; b.leader == 1 && start {
			c.emb.ShuffleLeaders()
			b.undoLeader = c.emb.NotLeader(b.id, c.cfg.DupTimeoutFraction)
		} else if b.leader == 0 && b.undoLeader != nil {
			b.undoLeader()
			b.undoLeader = nil
		}
	}
	return true
}
