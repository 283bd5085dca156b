package checker

import (
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// nodeMax bounds the distinct nodes a trace may name: node sets are uint64
// bit masks. The reference system has five; a trace with more than nodeMax
// makes the trace checkers unknown rather than wrong.
const nodeMax = 64

// orderStreamPrefix is the stream prefix of order aggregates (PROTOCOL.md).
var orderStreamPrefix = vocab.StreamPrefix[vocab.TopicOrders]

// traceIx is the digest of a trace. Findings that depend on trace order
// (a second effect, an apply before its cause) are made during the one pass
// and kept as raw findings for the checkers to report.
type traceIx struct {
	events   int      // trace events read
	nodes    []string // node names by id; the ids of vocab.Services come first
	nodeID   map[string]int
	overflow string            // the first node past nodeMax, "" when all fit
	subs     map[string]uint64 // topic -> nodes subscribed to it

	evs      []evIx // stored events by id
	evID     map[string]int32
	streams  []streamIx
	streamID map[string]int32

	dupEffects []dupEffect
	dupAt      map[[2]int]int // (node, event) -> index in dupEffects
	causal     []causalFinding
	dlqs       []dlqFinding
}

// evIx is what the trace says about one event (by event ID).
type evIx struct {
	id       string
	stream   int32
	version  int
	typ      string
	corr     string
	appended bool   // seen in an append (else known only from a reference)
	effects  uint64 // nodes that appended an effect while handling this event
	handled  uint64 // nodes that handled it: applied, duplicate or dlq
}

// streamIx is what the trace says about one stream (aggregate).
type streamIx struct {
	name    string
	appends []int32     // order streams only: events in append order
	applied []appliedIx // by node id: the versions that node has handled
}

// appliedIx is the set of versions of one aggregate one node has handled:
// 1..contig, plus any above it handled out of order (rare: only a
// consumer that breaks version order puts anything in extra).
type appliedIx struct {
	contig int
	extra  map[int]bool
}

func (a *appliedIx) has(v int) bool { return v <= a.contig || a.extra[v] }

func (a *appliedIx) add(v int) {
	switch {
	case v <= a.contig:
	case v == a.contig+1:
		a.contig++
		for a.extra[a.contig+1] {
			delete(a.extra, a.contig+1)
			a.contig++
		}
	default:
		if a.extra == nil {
			a.extra = map[int]bool{}
		}
		a.extra[v] = true
	}
}

// dupEffect is a node that appended more than one effect for one handled event.
type dupEffect struct {
	node int
	ev   int32
	// seqs are the trace seqs of the appends after the first. The first is
	// not kept: remembering it for every event would cost a field per
	// event for a case that only a broken consumer produces.
	seqs []int64
}

// causalFinding is an applied handle whose predecessor version the node had
// not handled.
type causalFinding struct {
	node int
	ev   int32
	seq  int64
}

// dlqFinding is one dead-letter trace event.
type dlqFinding struct {
	node int
	ev   int32
	seq  int64
	err  string
}

// buildTraceIndex makes the digest of a trace in one pass.
func buildTraceIndex(events []trace.Event) *traceIx {
	// Sizing the event table up front saves rehashing a million-entry map
	// several times over; counting costs one cheap pass.
	stored := 0
	for i := range events {
		stored += len(events[i].Events)
	}
	t := &traceIx{
		events:   len(events),
		nodeID:   map[string]int{},
		subs:     map[string]uint64{},
		evs:      make([]evIx, 0, stored),
		evID:     make(map[string]int32, stored),
		streamID: map[string]int32{},
		dupAt:    map[[2]int]int{},
	}
	for _, s := range vocab.Services {
		t.node(s)
	}
	for _, s := range vocab.Services {
		for _, topic := range vocab.Subscriptions[s] {
			t.subs[topic] |= 1 << t.nodeID[s]
		}
	}
	for i := range events {
		e := &events[i]
		switch e.Kind {
		case trace.KindAppend:
			t.scanAppend(e)
		case trace.KindHandle:
			t.scanHandle(e)
		case trace.KindDLQ:
			t.scanDLQ(e)
		}
	}
	return t
}

// node returns the id of a node name, -1 past nodeMax.
func (t *traceIx) node(name string) int {
	// A trace names a handful of nodes, once per event: comparing with
	// the first few is cheaper than hashing.
	for id := range min(len(t.nodes), 8) {
		if t.nodes[id] == name {
			return id
		}
	}
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

// stream returns the id of a stream name.
func (t *traceIx) stream(name string) int32 {
	if id, ok := t.streamID[name]; ok {
		return id
	}
	id := int32(len(t.streams))
	t.streamID[name] = id
	t.streams = append(t.streams, streamIx{name: name})
	return id
}

// event returns the id of the referenced event, recording what the
// reference says about it when the event was not seen before.
func (t *traceIx) event(r *trace.Ref) int32 {
	if id, ok := t.evID[r.ID]; ok {
		return id
	}
	id := int32(len(t.evs))
	t.evID[r.ID] = id
	t.evs = append(t.evs, evIx{id: r.ID, stream: t.stream(r.Aggregate), version: r.Version, typ: r.Type, corr: r.Correlation})
	return id
}

// scanAppend records the stored events and, for an append that handles a
// delivered event, a second effect for the same event by the same node.
func (t *traceIx) scanAppend(e *trace.Event) {
	for i := range e.Events {
		env := &e.Events[i]
		id, known := t.evID[env.ID]
		if !known {
			id = int32(len(t.evs))
			t.evID[env.ID] = id
			t.evs = append(t.evs, evIx{id: env.ID})
		}
		ev := &t.evs[id]
		if ev.appended {
			continue // the same event stored twice is no new event
		}
		// The stored envelope is authoritative over any earlier reference.
		ev.appended, ev.stream, ev.version, ev.typ, ev.corr = true, t.stream(env.Aggregate), env.Version, env.Type, env.CorrelationID
		if strings.HasPrefix(env.Aggregate, orderStreamPrefix) {
			s := &t.streams[ev.stream]
			s.appends = append(s.appends, id)
		}
	}
	if e.Handled == nil {
		return
	}
	n := t.node(e.Node)
	if n < 0 {
		return
	}
	h := t.event(e.Handled)
	bit := uint64(1) << n
	if t.evs[h].effects&bit == 0 {
		t.evs[h].effects |= bit
		return
	}
	k := [2]int{n, int(h)}
	if j, ok := t.dupAt[k]; ok {
		t.dupEffects[j].seqs = append(t.dupEffects[j].seqs, e.Seq)
		return
	}
	t.dupAt[k] = len(t.dupEffects)
	t.dupEffects = append(t.dupEffects, dupEffect{node: n, ev: h, seqs: []int64{e.Seq}})
}

// scanHandle records a node's terminal handling of an event and checks that
// an applied event's predecessor version was handled by that node first.
func (t *traceIx) scanHandle(e *trace.Event) {
	if e.Ref == nil {
		return
	}
	switch e.Outcome {
	case trace.OutcomeApplied, trace.OutcomeDuplicate, trace.OutcomeDLQ:
	default:
		return // deferred and retry leave the event to be handled later
	}
	n := t.node(e.Node)
	if n < 0 {
		return
	}
	id := t.event(e.Ref)
	t.evs[id].handled |= 1 << n
	v := e.Ref.Version
	if v < 1 {
		return
	}
	// The event's stream is the reference's aggregate: no second lookup.
	s := &t.streams[t.evs[id].stream]
	for n >= len(s.applied) {
		s.applied = append(s.applied, appliedIx{})
	}
	a := &s.applied[n]
	// The predecessor counts as handled whatever its outcome: the system
	// records a dead-lettered or deduplicated event as handled, and a
	// consumer may then move on (PROTOCOL.md, consumers). Re-applying an
	// older version is a duplicate, the exactly-once checker's business.
	if e.Outcome == trace.OutcomeApplied && v > 1 && !a.has(v-1) {
		t.causal = append(t.causal, causalFinding{node: n, ev: id, seq: e.Seq})
	}
	a.add(v)
}

// scanDLQ records a dead letter; the event counts as handled by that node.
func (t *traceIx) scanDLQ(e *trace.Event) {
	if e.Ref == nil {
		return
	}
	n := t.node(e.Node)
	id := t.event(e.Ref)
	if n >= 0 {
		t.evs[id].handled |= 1 << n
	}
	t.dlqs = append(t.dlqs, dlqFinding{node: n, ev: id, seq: e.Seq, err: e.Error})
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
func (t *traceIx) orderKey(ev *evIx) string {
	if ev.corr != "" {
		return ev.corr
	}
	if name := t.streams[ev.stream].name; strings.HasPrefix(name, orderStreamPrefix) {
		return name[len(orderStreamPrefix):]
	}
	return ""
}

// describe names an event for a Detail: id, type, stream and version.
func (t *traceIx) describe(ev *evIx) string {
	return ev.id + " (" + ev.typ + " " + t.streams[ev.stream].name + " v" + strconv.Itoa(ev.version) + ")"
}
