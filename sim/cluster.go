package sim

import (
	"math/rand/v2"
	"time"

	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Config tunes the simulated network and bus.
type Config struct {
	Partitions     int
	PollInterval   time.Duration
	NetLatencyMin  time.Duration
	NetLatencyMax  time.Duration
	FetchInflight  int // records fetched and not yet delivered, per group partition
	RestartDelay   time.Duration
	DupProbability float64       // per delivery, while a duplicate fault is active
	ReorderJitter  time.Duration // extra random delay per delivery while reordering
	DelayExtra     time.Duration // extra delay per delivery and reply while delayed
}

// DefaultConfig returns the defaults of runs.
func DefaultConfig() Config {
	return Config{
		Partitions: 4, PollInterval: time.Millisecond,
		NetLatencyMin: 100 * time.Microsecond, NetLatencyMax: 2 * time.Millisecond,
		FetchInflight: 32, RestartDelay: 5 * time.Millisecond,
		DupProbability: 0.3, ReorderJitter: 30 * time.Millisecond, DelayExtra: 60 * time.Millisecond,
	}
}

// Cluster is the simulated deployment: the store, the bus and one member per service.
type Cluster struct {
	cfg     Config
	loop    *Loop
	rng     *rand.Rand
	st      *store.Store
	bus     *Bus
	members map[string]*member
	sink    func(trace.Event)
	seq     int64
	// inflight counts deliveries scheduled and not yet arrived (quiescence).
	inflight int
}

// member is one service: its current incarnation and the faults on it.
type member struct {
	svc         string
	cfg         node.Config
	inc         int
	node        *node.Node
	down        bool
	partitioned bool
	dup         int // active duplicate windows
	reorder     int
	delay       int
	// pollScheduled coalesces poll requests: polls run when records arrive,
	// not on an idle tick, so idle virtual time costs nothing.
	pollScheduled bool
	// arrival is the latest scheduled arrival per partition: like a TCP
	// connection to a Kafka broker, a partition's records arrive in order
	// unless a reorder fault is active.
	arrival map[groupPartition]time.Duration
}

// NewCluster builds and starts every service. sink receives trace events.
func NewCluster(loop *Loop, rng *rand.Rand, cfg Config, nodeCfg func(svc string) node.Config, sink func(trace.Event)) *Cluster {
	c := &Cluster{cfg: cfg, loop: loop, rng: rng, st: store.New(), bus: NewBus(cfg.Partitions),
		members: map[string]*member{}, sink: sink}
	for _, svc := range vocab.Services {
		m := &member{svc: svc, cfg: nodeCfg(svc), arrival: map[groupPartition]time.Duration{}}
		c.members[svc] = m
		c.start(m)
	}
	return c
}

// kick schedules a poll of a member unless one is scheduled.
func (c *Cluster) kick(m *member) {
	if m.pollScheduled {
		return
	}
	m.pollScheduled = true
	c.loop.After(c.cfg.PollInterval, func() { c.poll(m) })
}

// kickTopic schedules a poll of every member subscribed to a topic.
func (c *Cluster) kickTopic(topic string) {
	for _, svc := range vocab.Services {
		for _, t := range vocab.Subscriptions[svc] {
			if t == topic {
				c.kick(c.members[svc])
			}
		}
	}
}

// Store exposes the store (read-only use: tests and final statistics).
func (c *Cluster) Store() *store.Store { return c.st }

// Bus exposes the bus (statistics).
func (c *Cluster) Bus() *Bus { return c.bus }

func (c *Cluster) trace(e trace.Event) {
	e.Seq = c.seq
	c.seq++
	e.Time = int64(c.loop.Now())
	if c.sink != nil {
		c.sink(e)
	}
}

// start builds a new incarnation of a member's node.
func (c *Cluster) start(m *member) {
	m.inc++
	m.down = false
	env := &simEnv{c: c, m: m, inc: m.inc, rng: rand.New(rand.NewPCG(c.rng.Uint64(), c.rng.Uint64()))}
	m.node = node.New(m.cfg, env, c.st)
	m.node.Start()
}

// poll moves records from the bus towards a member, with network latency
// and the active faults; a partitioned or crashed member fetches nothing.
func (c *Cluster) poll(m *member) {
	m.pollScheduled = false
	if m.down || m.partitioned {
		return // the restart or the heal kicks it again
	}
	more := false
	for _, topic := range vocab.Subscriptions[m.svc] {
		for p := range c.cfg.Partitions {
			gp := groupPartition{m.svc, topic, p}
			log := c.bus.logs[topic][p]
			n := 0
			for ; c.bus.fetched[gp] < int64(len(log)) && n < c.cfg.FetchInflight; n++ {
				off := c.bus.fetched[gp]
				c.bus.fetched[gp]++
				d := node.Delivery{Topic: topic, Partition: p, Offset: off, Event: log[off]}
				c.send(m, d)
				if m.dup > 0 && c.rng.Float64() < c.cfg.DupProbability {
					d.Dup = true
					c.send(m, d)
				}
			}
			more = more || c.bus.fetched[gp] < int64(len(log))
		}
	}
	if more {
		c.kick(m)
	}
}

// send schedules one delivery; it is lost if the member crashes first
// (its offset is not committed, so it comes again after the restart).
func (c *Cluster) send(m *member, d node.Delivery) {
	inc := m.inc
	c.inflight++
	delay := c.latency(m)
	if m.reorder == 0 {
		gp := groupPartition{m.svc, d.Topic, d.Partition}
		at := max(c.loop.Now()+delay, m.arrival[gp])
		m.arrival[gp] = at
		delay = at - c.loop.Now()
	}
	c.loop.After(delay, func() {
		c.inflight--
		if m.inc == inc && !m.down {
			m.node.Deliver(d)
		}
	})
}

// latency is the network latency to a member, with the faults on it.
func (c *Cluster) latency(m *member) time.Duration {
	lo, hi := c.cfg.NetLatencyMin, c.cfg.NetLatencyMax
	d := lo + time.Duration(c.rng.Int64N(int64(hi-lo)+1))
	if m.reorder > 0 {
		d += time.Duration(c.rng.Int64N(int64(c.cfg.ReorderJitter) + 1))
	}
	if m.delay > 0 {
		d += c.cfg.DelayExtra/2 + time.Duration(c.rng.Int64N(int64(c.cfg.DelayExtra/2)+1))
	}
	return d
}

// Invoke sends a client command to the service that serves it; done gets
// the reply, unless the service is down or crashes first (then the client
// times out: an unknown outcome).
func (c *Cluster) Invoke(cmd node.Command, done func(node.Reply)) {
	m := c.members[node.ServiceFor(cmd.F)]
	inc := m.inc
	c.loop.After(c.latency(m), func() {
		if m.inc != inc || m.down {
			return
		}
		m.node.Handle(cmd, func(r node.Reply) {
			if m.inc != inc || m.down {
				return
			}
			c.loop.After(c.latency(m), func() { done(r) })
		})
	})
}

// simEnv is the Env of one incarnation: its timers die with it.
type simEnv struct {
	c   *Cluster
	m   *member
	inc int
	rng *rand.Rand
}

func (e *simEnv) alive() bool          { return e.m.inc == e.inc && !e.m.down }
func (e *simEnv) Now() time.Duration   { return e.c.loop.Now() }
func (e *simEnv) Rand() *rand.Rand     { return e.rng }
func (e *simEnv) Trace(ev trace.Event) { e.c.trace(ev) }

func (e *simEnv) After(d time.Duration, fn func()) {
	e.c.loop.After(d, func() {
		if e.alive() {
			fn()
		}
	})
}

func (e *simEnv) Publish(topic string, ev trace.Envelope) error {
	if e.m.partitioned {
		return ErrUnreachable
	}
	p, off := e.c.bus.Append(topic, ev)
	e.c.kickTopic(topic)
	ref := trace.RefOf(&ev)
	e.c.trace(trace.Event{Kind: trace.KindPublish, Node: e.m.svc, Ref: &ref, Topic: topic, Partition: p, Offset: off})
	return nil
}

func (e *simEnv) Committed(topic string, partition int) int64 {
	return e.c.bus.committed[groupPartition{e.m.svc, topic, partition}]
}

func (e *simEnv) Commit(topic string, partition int, next int64) error {
	if e.m.partitioned {
		return ErrUnreachable
	}
	gp := groupPartition{e.m.svc, topic, partition}
	e.c.bus.committed[gp] = next
	e.c.trace(trace.Event{Kind: trace.KindCommit, Node: e.m.svc, Topic: topic, Partition: partition, Offset: next})
	return nil
}
