package checker

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The trace half of the index. A run's trace holds five or six events per
// history event and a million stored events, each handled by up to four
// nodes; looking events up by ID is the whole cost. So the trace is split
// into shards by stream (aggregate) and the shards are indexed in parallel:
// everything a finding depends on (an event, its predecessor in its stream,
// the event an effect handles) lives in the shard of that event's stream.

// nodeMax bounds the distinct nodes a trace may name: node sets are uint64
// bit masks. The reference system has five; a trace with more than nodeMax
// makes the trace checkers unknown rather than wrong.
const nodeMax = 64

// versionMax bounds the stream versions indexed by version (a larger one in
// a malformed trace would otherwise size a slice by it).
const versionMax = 1 << 24

// shardsMax bounds the shards of one trace index.
const shardsMax = 8

// orderStreamPrefix is the stream prefix of order aggregates (PROTOCOL.md).
var orderStreamPrefix = vocab.StreamPrefix[vocab.TopicOrders]

// traceIx is the digest of a trace. Findings that depend on trace order
// (a second effect, an apply before its cause) are made during the pass,
// kept as raw findings in trace order for the checkers to report.
type traceIx struct {
	events   int      // trace events read
	nodes    []string // node names by id; the ids of vocab.Services come first
	nodeID   map[string]int
	overflow string            // the first node past nodeMax, "" when all fit
	nodeMu   sync.Mutex        // guards nodes, nodeID and overflow during the build
	subs     map[string]uint64 // topic -> nodes subscribed to it
	shards   []*traceShard

	dupEffects []dupEffect
	causal     []causalFinding
	dlqs       []dlqFinding
}

// evRef names an event of the index: its shard and its id there.
type evRef struct {
	sh *traceShard
	id int32
}

// dupEffect is a node that appended more than one effect for one handled event.
type dupEffect struct {
	node int
	ev   evRef
	pos  int // trace position of the second effect
	// seqs are the trace seqs of the appends after the first. The first is
	// not kept: remembering it for every event would cost a field per
	// event for a case that only a broken consumer produces.
	seqs []int64
}

// causalFinding is an applied handle of an event whose predecessor (the
// event at the previous version of its stream) the node had not handled.
type causalFinding struct {
	node int
	ev   evRef
	pos  int
	seq  int64
}

// dlqFinding is one dead-letter trace event.
type dlqFinding struct {
	node int
	ev   evRef
	pos  int
	seq  int64
	err  string
}

// buildTraceIndex makes the digest of a trace: one pass per shard, in
// parallel, each over the whole trace, skipping the events of the other
// shards' streams. (A first pass routing events to shards would be a serial
// pass as long as the others.)
func buildTraceIndex(events []trace.Event) *traceIx {
	t := &traceIx{events: len(events), nodeID: map[string]int{}, subs: map[string]uint64{}}
	for _, s := range vocab.Services {
		t.addNode(s)
	}
	for _, s := range vocab.Services {
		for _, topic := range vocab.Subscriptions[s] {
			t.subs[topic] |= 1 << t.nodeID[s]
		}
	}
	n := min(max(runtime.GOMAXPROCS(0), 1), shardsMax)
	t.shards = make([]*traceShard, n)
	for i := range t.shards {
		// About one trace event in eight stores an event: a guess that
		// saves most of the rehashing of a million-entry table.
		t.shards[i] = newTraceShard(t, i, len(events)/(8*n))
	}
	var wg sync.WaitGroup
	for _, sh := range t.shards {
		wg.Go(func() { sh.scan(events) })
	}
	wg.Wait()
	for _, sh := range t.shards {
		t.dupEffects = append(t.dupEffects, sh.dupEffects...)
		t.causal = append(t.causal, sh.causal...)
		t.dlqs = append(t.dlqs, sh.dlqs...)
	}
	// Findings go back in trace order, so that reports do not depend on
	// the number of shards.
	slices.SortFunc(t.dupEffects, func(a, b dupEffect) int { return a.pos - b.pos })
	slices.SortFunc(t.causal, func(a, b causalFinding) int { return a.pos - b.pos })
	slices.SortFunc(t.dlqs, func(a, b dlqFinding) int { return a.pos - b.pos })
	return t
}

// shardOf is the shard of a stream. It must be cheap (every shard computes
// it for every event) and the same on every run; the last two characters
// of a stream name (the digits of its key) spread streams well enough.
func shardOf(stream string, n int) int {
	if n == 1 {
		return 0
	}
	h := uint(len(stream))
	if k := len(stream); k >= 2 {
		h = h*961 + uint(stream[k-1])*31 + uint(stream[k-2])
	}
	return int(h % uint(n))
}

// addNode names a node, -1 past nodeMax. Shards call it concurrently for
// nodes outside vocab.Services (rare: the reference system has no others).
func (t *traceIx) addNode(name string) int {
	t.nodeMu.Lock()
	defer t.nodeMu.Unlock()
	if id, ok := t.nodeID[name]; ok {
		return id
	}
	if len(t.nodes) == nodeMax {
		if t.overflow == "" {
			t.overflow = name
		}
		return -1
	}
	t.nodeID[name] = len(t.nodes)
	t.nodes = append(t.nodes, name)
	return len(t.nodes) - 1
}

// node returns the id of a node name, -1 past nodeMax.
func (t *traceIx) node(name string) int {
	// The services are named first and never move, so comparing with
	// them needs no lock, and is cheaper than hashing.
	for id, s := range vocab.Services {
		if s == name {
			return id
		}
	}
	return t.addNode(name)
}

// nodeName returns a node id's name ("?" for one past nodeMax).
func (t *traceIx) nodeName(n int) string {
	if n < 0 || n >= len(t.nodes) {
		return "?"
	}
	return t.nodes[n]
}

// nodeNames lists the names of a node set.
func (t *traceIx) nodeNames(set uint64) []string {
	var out []string
	for n := range t.nodes {
		if set&(1<<n) != 0 {
			out = append(out, t.nodes[n])
		}
	}
	return out
}

// orderKey returns the order an event is about: its correlation, else the
// key of its order stream, else "".
func (r evRef) orderKey() string {
	ev := &r.sh.evs[r.id]
	if ev.corr != "" {
		return ev.corr
	}
	if name := r.sh.streams[ev.stream].name; strings.HasPrefix(name, orderStreamPrefix) {
		return name[len(orderStreamPrefix):]
	}
	return ""
}

// describe names an event for a Detail: id, type, stream and version.
func (r evRef) describe() string {
	ev := &r.sh.evs[r.id]
	return ev.id + " (" + ev.typ + " " + r.stream() + " v" + strconv.Itoa(r.version()) + ")"
}

func (r evRef) ev() *evIx      { return &r.sh.evs[r.id] }
func (r evRef) stream() string { return r.sh.streams[r.sh.evs[r.id].stream].name }
func (r evRef) version() int   { return int(r.sh.hot[r.id].version) }

// storedEvents returns how many events the trace stored.
func (t *traceIx) storedEvents() int {
	n := 0
	for _, sh := range t.shards {
		n += sh.stored
	}
	return n
}
