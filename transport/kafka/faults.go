package kafka

import (
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// produces names the topic each service publishes to ("" for none).
var produces = map[string]string{
	vocab.ServiceOrders:    vocab.TopicOrders,
	vocab.ServiceInventory: vocab.TopicInventory,
	vocab.ServicePayment:   vocab.TopicPayments,
	vocab.ServiceShipping:  vocab.TopicShipping,
}

// StartFault gives a fault window its effect over real sockets. A window
// on a broker is described in brokerfaults.go; on a service:
//
//   - crash: the node's incarnation ends (its readers close, unsent commits
//     are lost); it restarts at the window's stop from the committed offsets.
//   - partition: the service's toxiproxy proxies stop: its dials are
//     refused and its live connections closed; its publishes and commits
//     fail at once, its readers retry.
//   - delay: a latency toxic of DelayExtra on the service's proxies slows
//     every reply from the brokers to it (fetches, produces, commits), and
//     its client replies are slowed as much.
//   - duplicate: on the embedded broker, a fraction of the service's
//     produce requests are applied and answered REQUEST_TIMED_OUT, so the
//     writer's retry writes them twice; and every RewindEvery the service's
//     readers go back to the committed offsets, as after a rebalance.
//   - reorder: records reach the node after random delays, as a consumer
//     that hands records to a worker pool sees them (within one partition
//     Kafka itself never reorders); on the embedded broker the partition
//     leaders also move, so clients fail over mid-window.
func (c *Cluster) StartFault(w faults.Window) {
	if c.brokerFault(w, true) {
		return
	}
	m := c.members[w.Target]
	if m == nil {
		return
	}
	c.trace(trace.Event{Kind: trace.KindFault, Fault: w.Fault, Edge: vocab.EdgeStart, Target: w.Target})
	switch w.Fault {
	case vocab.FaultDuplicate:
		if m.dup.Add(1) == 1 {
			if t := produces[m.svc]; t != "" && c.emb != nil {
				m.removeDupFault = c.emb.ProduceTimeouts(c.cfg.topic(t), c.cfg.DupTimeoutFraction)
			}
			m.rewindChain++
			c.rewind(m, m.rewindChain)
		}
	case vocab.FaultReorder:
		m.reorder.Add(1)
		if c.emb != nil {
			c.emb.ShuffleLeaders()
		}
	case vocab.FaultDelay:
		m.delay.Add(1)
		c.net.setLatency(m.svc, c.cfg.DelayExtra)
	case vocab.FaultPartition:
		m.partitioned.Add(1)
		c.net.partition(m.svc, true)
	case vocab.FaultCrash:
		m.crash()
	}
}

// StopFault ends a fault window.
func (c *Cluster) StopFault(w faults.Window) {
	if c.brokerFault(w, false) {
		return
	}
	m := c.members[w.Target]
	if m == nil {
		return
	}
	c.trace(trace.Event{Kind: trace.KindFault, Fault: w.Fault, Edge: vocab.EdgeStop, Target: w.Target})
	switch w.Fault {
	case vocab.FaultDuplicate:
		if m.dup.Add(-1) == 0 && m.removeDupFault != nil {
			m.removeDupFault()
			m.removeDupFault = nil
		}
	case vocab.FaultReorder:
		m.reorder.Add(-1)
	case vocab.FaultDelay:
		if m.delay.Add(-1) == 0 {
			c.net.setLatency(m.svc, 0)
		}
	case vocab.FaultPartition:
		if m.partitioned.Add(-1) == 0 {
			c.net.partition(m.svc, false)
		}
	case vocab.FaultCrash:
		m.restart()
	}
}

// rewind makes the member's readers go back to the committed offsets now
// and every RewindEvery while a duplicate window is open. chain identifies
// the run of rewinds a window opened: one that outlives its windows stops.
func (c *Cluster) rewind(m *member, chain int) {
	if m.dup.Load() == 0 || chain != m.rewindChain {
		return
	}
	m.rewinds.Add(1)
	c.loop.After(c.cfg.RewindEvery, func() { c.rewind(m, chain) })
}
