package kafka

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/realtime"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Cluster is the deployment over Kafka: the shared store, the brokers, and
// one member per service. Its exported methods (Invoke, StartFault,
// StopFault, Quiet, Progress) are called on the Loop's goroutine.
type Cluster struct {
	cfg   Config
	loop  *realtime.Loop
	rng   *rand.Rand // seeds of incarnations; used on the loop goroutine only
	st    *store.Store
	emb   *Embedded // nil on a real cluster: no broker-side faults
	admin *kafkago.Client
	// adminTransport does not go through the proxies: the harness's own
	// view of the brokers.
	adminTransport *kafkago.Transport
	net            *network           // the services' proxies to the brokers
	brokers        map[string]*broker // fault target -> broker (brokerfaults.go)
	members        map[string]*member
	ctx            context.Context // ends at Close; every incarnation's context derives from it
	cancel         context.CancelFunc
	closing        sync.WaitGroup // incarnations being torn down

	traceMu sync.Mutex
	seq     int64
	sink    func(trace.Event)

	offMu   sync.Mutex
	durable map[groupPart]int64 // offsets the brokers acknowledged, per group

	log *logRecorder // what producers sent and consumers polled (logrec.go)

	published atomic.Int64 // records acknowledged by the brokers
	steps     atomic.Int64 // node steps started, all members
}

// NewCluster creates the run's topics and starts every service. sink gets
// each trace event, one at a time, stamped with seq and time since the
// loop's start. emb may be nil (a real cluster).
func NewCluster(cfg Config, loop *realtime.Loop, rng *rand.Rand, nodeCfg func(svc string) node.Config,
	sink func(trace.Event), emb *Embedded) (*Cluster, error) {
	if len(cfg.Brokers) == 0 {
		return nil, fmt.Errorf("kafka: no brokers")
	}
	ctx, cancel := context.WithCancel(context.Background())
	at := &kafkago.Transport{ClientID: cfg.Prefix + "harness", MetadataTTL: time.Second}
	c := &Cluster{cfg: cfg, loop: loop, rng: rng, st: store.New(), emb: emb, adminTransport: at,
		admin: &kafkago.Client{Addr: kafkago.TCP(cfg.Brokers...), Transport: at, Timeout: cfg.RequestTimeout},
		net:   newNetwork(!cfg.Proxies), members: map[string]*member{}, ctx: ctx, cancel: cancel, sink: sink, durable: map[groupPart]int64{}}
	c.log = newLogRecorder(func() int64 { return int64(loop.Now()) })
	if err := createTopics(ctx, c.admin, &c.cfg); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.discoverBrokers(ctx); err != nil {
		c.Close()
		return nil, err
	}
	for _, svc := range vocab.Services {
		c.members[svc] = newMember(c, svc, nodeCfg(svc))
	}
	for _, svc := range vocab.Services {
		c.members[svc].start()
	}
	return c, nil
}

// Store exposes the store (read-only use: tests and final statistics).
func (c *Cluster) Store() *store.Store { return c.st }

// Published is the number of records the brokers acknowledged.
func (c *Cluster) Published() int64 { return c.published.Load() }

// Close stops every node and reader and closes every connection. The
// brokers (an Embedded) are closed by whoever started them.
func (c *Cluster) Close() {
	c.cancel()
	for _, svc := range vocab.Services {
		if m := c.members[svc]; m != nil {
			m.actor.Stop()
			if inc := m.cur.Load(); inc != nil && !m.down.Load() {
				c.teardown(inc) // a crashed one is torn down already
			}
		}
	}
	c.closing.Wait()
	for _, m := range c.members {
		m.transport.CloseIdleConnections()
	}
	c.adminTransport.CloseIdleConnections()
	c.net.close()
}

// trace stamps and records one trace event. Nodes call it from their own
// goroutines: the lock makes seq and time increase together.
func (c *Cluster) trace(e trace.Event) {
	c.traceMu.Lock()
	defer c.traceMu.Unlock()
	e.Seq = c.seq
	c.seq++
	e.Time = int64(c.loop.Now())
	if c.sink != nil {
		c.sink(e)
	}
}

// Invoke sends a client command to the service that serves it; done runs
// on the loop with the reply, unless the service is down or crashes first
// (then the client times out: an unknown outcome).
func (c *Cluster) Invoke(cmd node.Command, done func(node.Reply)) {
	m := c.members[node.ServiceFor(cmd.F)]
	inc := m.cur.Load()
	if m.down.Load() || inc == nil {
		return
	}
	inc.post(func() {
		inc.node.Handle(cmd, func(r node.Reply) {
			var extra time.Duration
			if m.delay.Load() > 0 {
				extra = c.cfg.DelayExtra
			}
			c.loop.After(extra, func() { done(r) })
		})
	})
}

// Quiet reports whether nothing is in flight: every member up, connected,
// booted and idle, and every group committed to the end of its topics.
// The members run while it looks, so it looks twice and requires that no
// node ran a step in between: otherwise a node could have committed a
// record and published its effect after the end offsets were read.
func (c *Cluster) Quiet() bool {
	before := c.steps.Load()
	if !c.idle() || !c.caughtUp() {
		return false
	}
	return c.idle() && c.steps.Load() == before
}

func (c *Cluster) idle() bool {
	for _, svc := range vocab.Services {
		if !c.members[svc].idle() {
			return false
		}
	}
	return true
}

// caughtUp reports whether every group's acknowledged offsets are at the
// end of its topics.
func (c *Cluster) caughtUp() bool {
	ctx, cancel := context.WithTimeout(c.ctx, c.cfg.RequestTimeout)
	defer cancel()
	ends, err := endOffsets(ctx, c.admin, &c.cfg)
	if err != nil {
		return false
	}
	c.offMu.Lock()
	defer c.offMu.Unlock()
	for _, svc := range vocab.Services {
		for _, t := range vocab.Subscriptions[svc] {
			for p := range c.cfg.Partitions {
				tp := topicPart{t, p}
				if c.durable[groupPart{svc, tp}] < ends[tp] {
					return false
				}
			}
		}
	}
	return true
}

// Progress is a fingerprint of everything that moves; equal fingerprints
// over a quiet period mean the system is stalled.
func (c *Cluster) Progress() [3]int64 {
	c.offMu.Lock()
	var committed int64
	for _, v := range c.durable {
		committed += v
	}
	c.offMu.Unlock()
	return [3]int64{c.st.Head(), committed, c.published.Load()}
}

// setDurable records offsets the brokers acknowledged for a group.
func (c *Cluster) setDurable(group string, offs map[topicPart]int64) {
	c.offMu.Lock()
	defer c.offMu.Unlock()
	for tp, off := range offs {
		c.durable[groupPart{group, tp}] = off
	}
}

// durableOffset is a group's acknowledged offset of a partition.
func (c *Cluster) durableOffset(group string, tp topicPart) int64 {
	c.offMu.Lock()
	defer c.offMu.Unlock()
	return c.durable[groupPart{group, tp}]
}

// teardown closes an ended incarnation's readers and writer in the
// background: a writer may still be retrying a produce, as a dying
// process's last request may still land.
func (c *Cluster) teardown(inc *incarnation) {
	c.closing.Add(1)
	go func() {
		defer c.closing.Done()
		<-inc.bootDone
		inc.readers.Wait()
		if inc.writer != nil {
			inc.writer.Close()
		}
	}()
}

// Steps is the number of node steps run so far, all members.
func (c *Cluster) Steps() int64 { return c.steps.Load() }
