package kafka

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/realtime"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

// member is one service: its goroutine (actor), its clients (dialing the
// brokers through its proxies, network.go), its current incarnation and the
// faults on it.
type member struct {
	c     *Cluster
	svc   string
	cfg   node.Config
	actor *realtime.Actor

	transport *kafkago.Transport // producer and offset requests, through the proxies
	client    *kafkago.Client    // offset commits and fetches
	dialer    *kafkago.Dialer    // readers, through the proxies

	// mu is held while the node runs a step; crash takes it, so a crash
	// falls between two steps and nothing of the dead incarnation is traced
	// after the crash event.
	mu   sync.Mutex
	cur  atomic.Pointer[incarnation]
	down atomic.Bool
	incs int // incarnations started; loop goroutine only

	// Fault counters (windows may overlap); set on the loop goroutine,
	// read by readers and steps.
	dup, reorder, delay, partitioned atomic.Int32
	rewinds                          atomic.Int64 // bumped to make readers rewind
	removeDupFault                   func()       // loop goroutine only
	rewindChain                      int          // loop goroutine only
}

func newMember(c *Cluster, svc string, cfg node.Config) *member {
	id := c.cfg.Prefix + svc
	dial := c.net.dialer(svc)
	tr := &kafkago.Transport{Dial: dial, ClientID: id, MetadataTTL: time.Second,
		DialTimeout: time.Second, Context: c.ctx}
	return &member{c: c, svc: svc, cfg: cfg, actor: realtime.NewActor(c.cfg.MailboxMax), transport: tr,
		client: &kafkago.Client{Addr: kafkago.TCP(c.cfg.Brokers...), Transport: tr, Timeout: c.cfg.RequestTimeout},
		dialer: &kafkago.Dialer{ClientID: id, DialFunc: dial, Timeout: time.Second}}
}

// incarnation is one life of a member's node: everything in it dies with a
// crash. Fields marked "node goroutine" are touched only by its steps.
type incarnation struct {
	m      *member
	ctx    context.Context // cancelled at the crash: aborts its I/O and posts
	cancel context.CancelFunc
	rng    *rand.Rand // the node's: node goroutine
	seed   uint64     // readers derive their jitter sources from it
	node   *node.Node // node goroutine
	writer *kafkago.Writer
	// sender is the producer's process in the log history (node
	// goroutine); a new one after each indeterminate send.
	sender int

	completions sync.Map // event ID -> placed (from the writer's Completion)

	// Offsets, node goroutine: the node's view (commits asked) and the
	// commits not yet sent to the brokers.
	committed      map[topicPart]int64
	pending        map[topicPart]int64
	lastFlush      time.Time
	flushScheduled bool
	flushing       bool // an OffsetCommit is in flight

	bootDone chan struct{} // closed when boot returns: no reader is added after
	readers  sync.WaitGroup

	// For Quiet, read on the loop goroutine.
	booted   atomic.Bool  // offsets loaded and readers started
	timers   atomic.Int64 // After timers not yet run
	inflight atomic.Int64 // deliveries fetched, not yet run by the node
	running  atomic.Bool  // a step is running
	busy     atomic.Bool  // node.Busy() after the last step
	unsent   atomic.Int64 // len(pending)
}

// placed is where the brokers put a record.
type placed struct {
	partition int
	offset    int64
}

// start makes a new incarnation: a node over the store, a writer, and a
// boot that loads the group's offsets and starts the readers.
func (m *member) start() {
	m.incs++
	ctx, cancel := context.WithCancel(m.c.ctx)
	inc := &incarnation{m: m, ctx: ctx, cancel: cancel,
		rng:  rand.New(rand.NewPCG(m.c.rng.Uint64(), m.c.rng.Uint64())),
		seed: m.c.rng.Uint64(), pending: map[topicPart]int64{}, bootDone: make(chan struct{}),
		sender: m.c.log.process()}
	inc.writer = m.newWriter(inc)
	m.cur.Store(inc)
	m.down.Store(false)
	inc.post(func() {
		inc.node = node.New(m.cfg, inc, m.c.st)
		inc.node.Start()
	})
	go inc.boot()
}

func (m *member) newWriter(inc *incarnation) *kafkago.Writer {
	return &kafkago.Writer{
		Addr: kafkago.TCP(m.c.cfg.Brokers...), Transport: m.transport, Balancer: &kafkago.Hash{},
		RequiredAcks: kafkago.RequireAll, MaxAttempts: m.c.cfg.PublishAttempts,
		WriteBackoffMin: 2 * time.Millisecond, WriteBackoffMax: 20 * time.Millisecond,
		// A relay batch goes out as a produce per partition and writerBatchMax
		// records; a partial batch waits BatchTimeout for more (none come:
		// the relay has one batch in flight).
		BatchSize: max(min(m.cfg.RelayBatchMax, writerBatchMax), 1), BatchTimeout: writerLinger,
		ReadTimeout: m.c.cfg.PublishTimeout, WriteTimeout: m.c.cfg.PublishTimeout,
		Completion: func(msgs []kafkago.Message, err error) {
			if err != nil {
				return
			}
			for _, msg := range msgs {
				if id := header(msg, "event-id"); id != "" {
					inc.completions.Store(id, placed{msg.Partition, msg.Offset})
				}
			}
		},
	}
}

// bootBackoffMax caps the wait between two tries to load the offsets (the
// service may be partitioned when it restarts).
const bootBackoffMax = 200 * time.Millisecond

// boot loads the group's committed offsets, hands them to the node and
// starts a reader per subscribed partition at them.
func (inc *incarnation) boot() {
	defer close(inc.bootDone)
	m := inc.m
	topics := subscriptions(m.svc)
	var offs map[topicPart]int64
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, bootBackoffMax) {
		ctx, cancel := context.WithTimeout(inc.ctx, m.c.cfg.RequestTimeout)
		var err error
		offs, err = fetchOffsets(ctx, m.client, &m.c.cfg, m.c.cfg.group(m.svc), topics)
		cancel()
		if err == nil {
			break
		}
		select {
		case <-inc.ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	m.c.setDurable(m.svc, offs)
	loaded := make(map[topicPart]int64, len(offs))
	for tp, off := range offs {
		loaded[tp] = off
	}
	if !inc.post(func() { inc.committed = loaded }) {
		return
	}
	i := uint64(0)
	for _, t := range topics {
		for p := range m.c.cfg.Partitions {
			i++
			inc.readers.Add(1)
			go inc.consume(topicPart{t, p}, offs[topicPart{t, p}], rand.New(rand.NewPCG(inc.seed, i)))
		}
	}
	inc.booted.Store(true)
}

// post queues fn as a step of this incarnation; it reports false when the
// incarnation ended first.
func (inc *incarnation) post(fn func()) bool {
	return inc.m.actor.Post(inc.ctx, func() { inc.m.step(inc, fn) })
}

// step runs fn on the node goroutine if inc is still the live incarnation.
func (m *member) step(inc *incarnation, fn func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur.Load() != inc || m.down.Load() {
		return
	}
	inc.running.Store(true)
	m.c.steps.Add(1)
	fn()
	if inc.node != nil {
		inc.busy.Store(inc.node.Busy())
	}
	inc.running.Store(false)
}

// crash ends the incarnation between two steps: its timers, queued
// deliveries, unsent commits and volatile node state are lost; a produce
// already handed to the writer may still land.
func (m *member) crash() {
	if m.down.Load() {
		return
	}
	inc := m.cur.Load()
	inc.cancel() // aborts its publishes and commits in flight
	m.mu.Lock()
	m.down.Store(true)
	m.c.trace(trace.Event{Kind: trace.KindCrash, Node: m.svc})
	m.mu.Unlock()
	m.c.teardown(inc)
}

// restart brings a crashed member back: a new node over the same store,
// reading again from the group's committed offsets.
func (m *member) restart() {
	if !m.down.Load() {
		return
	}
	m.start()
	m.c.trace(trace.Event{Kind: trace.KindRestart, Node: m.svc})
}

// idle reports whether the member is up, connected, booted and has
// nothing in flight.
func (m *member) idle() bool {
	inc := m.cur.Load()
	switch {
	case m.down.Load() || m.partitioned.Load() > 0 || inc == nil || !inc.booted.Load():
		return false
	case m.actor.Len() > 0 || inc.running.Load() || inc.busy.Load():
		return false
	}
	return inc.timers.Load() == 0 && inc.inflight.Load() == 0 && inc.unsent.Load() == 0
}

func header(msg kafkago.Message, key string) string {
	for _, h := range msg.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// writerBatchMax caps the records of one produce request of a partition:
// kafka-go allocates a batch's whole capacity up front, for each partition
// a call writes to, so a large relay batch must not set it.
const writerBatchMax = 128

// writerLinger is how long a partial batch waits before it is sent (the
// writer's BatchTimeout, Kafka's linger.ms). A synchronous publish waits for
// it and nothing else joins its batches, so it is as short as kafka-go
// allows (0 means its default of 1 s): every message of one WriteMessages
// call is added to its partition's batch under the writer's lock, before
// the timer can send the batch.
const writerLinger = 10 * time.Microsecond
