package sim

import (
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// StartFault gives a fault window its effect on the simulated deployment.
func (c *Cluster) StartFault(w faults.Window) {
	m := c.members[w.Target]
	if m == nil {
		return
	}
	c.trace(trace.Event{Kind: trace.KindFault, Fault: w.Fault, Edge: vocab.EdgeStart, Target: w.Target})
	switch w.Fault {
	case vocab.FaultDuplicate:
		m.dup++
	case vocab.FaultReorder:
		m.reorder++
	case vocab.FaultDelay:
		m.delay++
	case vocab.FaultPartition:
		m.partitioned = true
	case vocab.FaultCrash:
		c.crash(m)
	}
}

// StopFault ends a fault window.
func (c *Cluster) StopFault(w faults.Window) {
	m := c.members[w.Target]
	if m == nil {
		return
	}
	c.trace(trace.Event{Kind: trace.KindFault, Fault: w.Fault, Edge: vocab.EdgeStop, Target: w.Target})
	switch w.Fault {
	case vocab.FaultDuplicate:
		m.dup--
	case vocab.FaultReorder:
		m.reorder--
	case vocab.FaultDelay:
		m.delay--
	case vocab.FaultPartition:
		m.partitioned = false
		c.kick(m)
	case vocab.FaultCrash:
		c.restart(m)
	}
}

// crash drops a member's node: its timers, in-flight deliveries and
// volatile state die with the incarnation.
func (c *Cluster) crash(m *member) {
	if m.down {
		return
	}
	m.down = true
	m.inc++
	c.trace(trace.Event{Kind: trace.KindCrash, Node: m.svc})
}

// restart brings a member back: a new node over the same store, reading
// again from its group's committed offsets.
func (c *Cluster) restart(m *member) {
	if !m.down {
		return
	}
	c.bus.Rewind(m.svc)
	c.start(m)
	c.kick(m)
	c.trace(trace.Event{Kind: trace.KindRestart, Node: m.svc})
}

// Quiet reports whether the deployment has nothing in flight: every member
// up and connected, no delivery on the way, no node busy, every group
// committed to the end of its topics.
func (c *Cluster) Quiet() bool {
	if c.inflight > 0 {
		return false
	}
	for _, svc := range vocab.Services {
		m := c.members[svc]
		if m.down || m.partitioned || m.node.Busy() || c.bus.Lag(svc) > 0 {
			return false
		}
	}
	return true
}

// Progress is a fingerprint of everything that moves; equal fingerprints
// over a quiet period mean the system is stalled.
func (c *Cluster) Progress() [3]int64 {
	var committed int64
	for _, v := range c.bus.committed {
		committed += v
	}
	return [3]int64{c.st.Head(), committed, c.bus.Records()}
}
