package node

import (
	"encoding/json"
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Node is one incarnation of a service. Everything in it is volatile: a
// crash drops the Node; only the store and the bus's committed offsets survive.
type Node struct {
	cfg     Config
	env     Env
	st      *store.Store
	reactor services.Reactor // zero for the projector

	// Consumer state.
	busy    map[string]bool                // source aggregates a delivery of which is being handled
	pending map[string][]Delivery          // source aggregate -> deferred deliveries, arrival order
	acks    map[topicPartition]*ackTracker // finished offsets per partition

	// Outbox relay state: relayed counts owner events published so far.
	relayed        int
	relaying       bool // a cursor write is in flight
	relayScheduled bool

	// cache holds rebuilt aggregate states: a load applies only the events
	// appended since. It is volatile like the rest.
	cache map[string]cachedState

	// Orders service: how many OrderPlaced this incarnation wrote (schema choice).
	placed int
	// ack-before-persist bug: appends acknowledged but not yet written.
	writeBehind []store.AppendRequest
}

// New builds a node over the store. Call Start to begin relaying.
func New(cfg Config, env Env, st *store.Store) *Node {
	n := &Node{
		cfg: cfg, env: env, st: st,
		busy:    map[string]bool{},
		pending: map[string][]Delivery{},
		acks:    map[topicPartition]*ackTracker{},
		cache:   map[string]cachedState{},
		relayed: st.OutboxCursor(cfg.Service),
		placed:  st.OutboxLen(cfg.Service),
	}
	if r, ok := services.Reactors(cfg.Bugs.NoCompensation)[cfg.Service]; ok {
		n.reactor = r
	}
	return n
}

// Start schedules the node's periodic work.
func (n *Node) Start() {
	n.kickRelay(n.cfg.RelayInterval)
}

// Service returns the node's service name.
func (n *Node) Service() string { return n.cfg.Service }

// Busy reports whether the node has work in flight (for quiescence).
func (n *Node) Busy() bool {
	return len(n.busy) > 0 || len(n.writeBehind) > 0 || n.relayed < n.st.OutboxLen(n.cfg.Service)
}

type cachedState struct {
	state   services.State
	version int
}

// load returns a stream's current state and version: from the cache plus
// the events appended since, or rebuilt from the latest snapshot and the tail.
// The state returned must not be mutated by the caller.
func (n *Node) load(stream string, maxSchema int) (services.State, int, error) {
	if c, ok := n.cache[stream]; ok {
		// Decode the whole tail before applying any of it: a failed load
		// must leave the cached state as it was.
		tail := n.st.Read(stream, c.version+1)
		data := make([]services.Data, len(tail))
		for i := range tail {
			d, err := services.Decode(&tail[i], maxSchema)
			if err != nil {
				return nil, 0, err
			}
			data[i] = d
		}
		for i := range tail {
			c.state.Apply(tail[i].Type, data[i])
			c.version = tail[i].Version
		}
		n.cache[stream] = c
		return c.state, c.version, nil
	}
	s, version, err := n.rebuild(stream, maxSchema)
	if err == nil {
		n.cache[stream] = cachedState{s, version}
	}
	return s, version, err
}

// rebuild reads a stream's state from the store: the latest snapshot, then the tail.
func (n *Node) rebuild(stream string, maxSchema int) (services.State, int, error) {
	s := services.NewState(stream)
	from := 1
	if snap, ok := n.st.LoadSnapshot(stream); ok {
		if err := json.Unmarshal(snap.State, s); err != nil {
			return nil, 0, fmt.Errorf("snapshot of %s: %w", stream, err)
		}
		from = snap.Version + 1
	}
	version := from - 1
	for _, e := range n.st.Read(stream, from) {
		d, err := services.Decode(&e, maxSchema)
		if err != nil {
			return nil, 0, err
		}
		s.Apply(e.Type, d)
		version = e.Version
	}
	return s, version, nil
}

// maxSchema is the newest schema this node reads.
func (n *Node) maxSchema() int {
	if n.cfg.Service == vocab.ServiceOrders {
		return 3
	}
	return services.CurrentSchema
}

// newEvents turns a core's emits into store events.
func (n *Node) newEvents(emits []services.Emit, causation, correlation string) []store.NewEvent {
	out := make([]store.NewEvent, 0, len(emits))
	for _, e := range emits {
		schema := services.CurrentSchema
		if e.Type == vocab.OrderPlaced {
			schema = n.placeSchema()
		}
		out = append(out, store.NewEvent{
			Type: e.Type, SchemaVersion: schema,
			CausationID: causation, CorrelationID: correlation,
			Data: services.Encode(e.Type, e.Data, schema),
		})
	}
	return out
}

// placeSchema picks the schema of the next OrderPlaced: this deployment mixes
// releases, so some orders are written by an older or a newer writer.
func (n *Node) placeSchema() int {
	n.placed++
	switch {
	case n.cfg.FutureEvery > 0 && n.placed%n.cfg.FutureEvery == 0:
		return 3
	case n.cfg.LegacyEvery > 0 && n.placed%n.cfg.LegacyEvery == 0:
		return 1
	}
	return services.CurrentSchema
}

// append writes to the store and traces the result.
func (n *Node) append(req store.AppendRequest, op *int) ([]trace.Envelope, error) {
	if n.cfg.Bugs.NoOCC {
		req.Expected = store.AnyVersion
	}
	envs, err := n.st.Append(n.cfg.Service, req)
	if ce, ok := err.(*store.ConflictError); ok {
		n.env.Trace(trace.Event{Kind: trace.KindConflict, Node: n.cfg.Service, Stream: ce.Stream, Expected: ce.Expected, Actual: ce.Actual})
	}
	if err != nil {
		return nil, err
	}
	n.env.Trace(trace.Event{Kind: trace.KindAppend, Node: n.cfg.Service, Events: envs, Handled: req.Handled, Op: op})
	n.kickRelay(n.cfg.RelayInterval)
	n.maybeSnapshot(req.Stream, len(envs))
	return envs, nil
}

// maybeSnapshot saves a snapshot when an append crossed a multiple of SnapshotEvery.
func (n *Node) maybeSnapshot(stream string, added int) {
	every := n.cfg.SnapshotEvery
	v := n.st.Version(stream)
	if every <= 0 || v/every == (v-added)/every {
		return
	}
	s, ver, err := n.load(stream, 3)
	if err != nil {
		return // a stream this release cannot read is not snapshotted
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("node: snapshot %s: %v", stream, err)) // states are plain structs
	}
	n.st.SaveSnapshot(stream, store.Snapshot{Version: ver, State: b})
	n.env.Trace(trace.Event{Kind: trace.KindSnapshot, Node: n.cfg.Service, Stream: stream, Version: ver})
}
