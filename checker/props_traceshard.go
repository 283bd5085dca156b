package checker

import (
	"strings"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// traceShard indexes the events of the streams that shardOf gives it.
type traceShard struct {
	t      *traceIx
	index  int // in t.shards
	n      int // len(t.shards)
	stored int // events stored (appended) in this shard's streams

	evs      []evIx  // events by id
	hot      []evHot // by id too
	evID     map[string]int32
	streams  []streamIx // in order of first appearance
	streamID map[string]int32

	dupEffects []dupEffect
	dupAt      map[[2]int]int // (node, event) -> index in dupEffects
	causal     []causalFinding
	dlqs       []dlqFinding
}

// evIx is what the trace says about one event (by event ID), apart from
// what handling it changes (evHot).
type evIx struct {
	id       string
	typ      string
	corr     string
	stream   int32
	pos      int32 // trace position where the event was first seen
	appended bool  // seen in an append (else known only from a reference)
}

// evHot is the part of an event that every handle of it reads or writes,
// kept apart and small: a run stores about a million events and handles
// each several times, so this array's cache misses are the index's cost.
type evHot struct {
	effects uint64 // nodes that appended an effect while handling this event
	handled uint64 // nodes that handled it: applied, duplicate or dlq
	prev    int32  // the event at version-1 of the same stream, -1 if none is known
	version int32
}

// streamIx is what the trace says about one stream (aggregate).
type streamIx struct {
	name     string
	pos      int32   // trace position where the stream was first seen
	subs     uint64  // nodes subscribed to the stream's topic
	versions []int32 // event by version-1, -1 for a version not seen stored
	appends  []int32 // order streams only: events in append order
}

func newTraceShard(t *traceIx, index, size int) *traceShard {
	return &traceShard{
		t: t, index: index, n: len(t.shards),
		evs:      make([]evIx, 0, size),
		hot:      make([]evHot, 0, size),
		evID:     make(map[string]int32, size),
		streamID: map[string]int32{},
		dupAt:    map[[2]int]int{},
	}
}

// mine reports whether a stream belongs to this shard.
func (sh *traceShard) mine(stream string) bool { return shardOf(stream, sh.n) == sh.index }

// scan indexes, in trace order, the trace events about this shard's
// streams: an append's events of its streams and its handled event when of
// its streams, and the handles and dead letters of its streams' events.
func (sh *traceShard) scan(events []trace.Event) {
	for i := range events {
		sh.scanEvent(&events[i], i)
	}
}

func (sh *traceShard) scanEvent(e *trace.Event, pos int) {
	switch e.Kind {
	case trace.KindAppend:
		sh.scanAppend(e, pos)
	case trace.KindHandle:
		sh.scanHandle(e, pos)
	case trace.KindDLQ:
		sh.scanDLQ(e, pos)
	}
}

// stream returns the id of a stream name.
func (sh *traceShard) stream(name string, pos int) int32 {
	if id, ok := sh.streamID[name]; ok {
		return id
	}
	id := int32(len(sh.streams))
	sh.streamID[name] = id
	sh.streams = append(sh.streams, streamIx{name: name, pos: int32(pos), subs: sh.t.subs[vocab.TopicOf(name)]})
	return id
}

// event returns the id of the referenced event, recording what the
// reference says about it when the event was not seen before.
func (sh *traceShard) event(r *trace.Ref, pos int) int32 {
	if id, ok := sh.evID[r.ID]; ok {
		return id
	}
	id := int32(len(sh.evs))
	sh.evID[r.ID] = id
	sh.evs = append(sh.evs, evIx{id: r.ID, stream: sh.stream(r.Aggregate, pos), pos: int32(pos), typ: r.Type, corr: r.Correlation})
	sh.hot = append(sh.hot, evHot{prev: -1, version: clampVersion(r.Version)})
	return id
}

// scanAppend records this shard's stored events of an append and, when the
// append handles a delivered event of this shard, a second effect for that
// event by the same node.
func (sh *traceShard) scanAppend(e *trace.Event, pos int) {
	st, last, isMine := int32(-1), "", false
	for i := range e.Events {
		env := &e.Events[i]
		// One append writes one stream: route and look it up once.
		if st < 0 || env.Aggregate != last {
			last, isMine = env.Aggregate, sh.mine(env.Aggregate)
			if isMine {
				st = sh.stream(env.Aggregate, pos)
			}
		}
		if isMine {
			sh.store(env, st, pos)
		}
	}
	if e.Handled == nil || !sh.mine(e.Handled.Aggregate) {
		return
	}
	n := sh.t.node(e.Node)
	if n < 0 {
		return
	}
	hd := sh.event(e.Handled, pos)
	bit := uint64(1) << n
	// The effect is stored atomically with the node's dedup record
	// (PROTOCOL.md, consumers): the append is the handling, whether or not
	// the trace's handle line follows it.
	sh.hot[hd].handled |= bit
	if sh.hot[hd].effects&bit == 0 {
		sh.hot[hd].effects |= bit
		return
	}
	k := [2]int{n, int(hd)}
	if j, ok := sh.dupAt[k]; ok {
		sh.dupEffects[j].seqs = append(sh.dupEffects[j].seqs, e.Seq)
		return
	}
	sh.dupAt[k] = len(sh.dupEffects)
	sh.dupEffects = append(sh.dupEffects, dupEffect{node: n, ev: evRef{sh, hd}, pos: pos, seqs: []int64{e.Seq}})
}

// store records one stored event of stream st and links it to its
// predecessor version.
func (sh *traceShard) store(env *trace.Envelope, st int32, pos int) {
	id, known := sh.evID[env.ID]
	if !known {
		id = int32(len(sh.evs))
		sh.evID[env.ID] = id
		sh.evs = append(sh.evs, evIx{pos: int32(pos)})
		sh.hot = append(sh.hot, evHot{})
	}
	ev, h := &sh.evs[id], &sh.hot[id]
	if ev.appended {
		return // the same event stored twice is no new event
	}
	sh.stored++
	// The stored envelope is authoritative over any earlier reference.
	*ev = evIx{id: env.ID, typ: env.Type, corr: env.CorrelationID, stream: st, pos: ev.pos, appended: true}
	h.prev, h.version = -1, clampVersion(env.Version)
	s := &sh.streams[st]
	if v := int(h.version); v >= 1 {
		for len(s.versions) < v {
			s.versions = append(s.versions, -1)
		}
		if s.versions[v-1] < 0 {
			s.versions[v-1] = id
		}
		if v > 1 {
			h.prev = s.versions[v-2]
		}
	}
	if strings.HasPrefix(env.Aggregate, orderStreamPrefix) {
		s.appends = append(s.appends, id)
	}
}

// clampVersion maps a version outside 1..versionMax to 0 ("unknown"): a
// malformed trace must not size a slice by it.
func clampVersion(v int) int32 {
	if v < 1 || v > versionMax {
		return 0
	}
	return int32(v)
}

// scanHandle records a node's terminal handling of an event and checks that
// an applied event's predecessor version was handled by that node first.
func (sh *traceShard) scanHandle(e *trace.Event, pos int) {
	switch e.Outcome {
	case trace.OutcomeApplied, trace.OutcomeDuplicate, trace.OutcomeDLQ:
	default:
		return // deferred and retry leave the event to be handled later
	}
	if e.Ref == nil || !sh.mine(e.Ref.Aggregate) {
		return
	}
	n := sh.t.node(e.Node)
	if n < 0 {
		return
	}
	id := sh.event(e.Ref, pos)
	h := &sh.hot[id]
	bit := uint64(1) << n
	// The predecessor counts as handled whatever its outcome: the system
	// records a dead-lettered or deduplicated event as handled, and a
	// consumer may then move on (PROTOCOL.md, consumers). Re-applying an
	// older version is a duplicate, the exactly-once checker's business.
	if e.Outcome == trace.OutcomeApplied && h.version > 1 {
		prev := sh.prevOf(id)
		if prev >= 0 && sh.hot[prev].handled&bit == 0 {
			sh.causal = append(sh.causal, causalFinding{node: n, ev: evRef{sh, id}, pos: pos, seq: e.Seq})
		}
	}
	h.handled |= bit
}

// prevOf returns the event at the version before id's in its stream, -1
// when the trace never stored it (a trace that starts mid-run cannot judge
// that handle, so it is not a finding). It is linked when stored; the
// lookup here only catches a predecessor stored after its successor.
func (sh *traceShard) prevOf(id int32) int32 {
	h := &sh.hot[id]
	if h.prev >= 0 {
		return h.prev
	}
	if vs := sh.streams[sh.evs[id].stream].versions; int(h.version)-2 < len(vs) {
		h.prev = vs[h.version-2]
	}
	return h.prev
}

// scanDLQ records a dead letter; the event counts as handled by that node.
func (sh *traceShard) scanDLQ(e *trace.Event, pos int) {
	if e.Ref == nil || !sh.mine(e.Ref.Aggregate) {
		return
	}
	n := sh.t.node(e.Node)
	id := sh.event(e.Ref, pos)
	if n >= 0 {
		sh.hot[id].handled |= 1 << n
	}
	sh.dlqs = append(sh.dlqs, dlqFinding{node: n, ev: evRef{sh, id}, pos: pos, seq: e.Seq, err: e.Error})
}
