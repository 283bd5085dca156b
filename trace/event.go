package trace

import "encoding/json"

// Kinds of trace events.
const (
	KindAppend   = "append"   // events appended to a stream (Events; Handled when caused by a delivery; Op when by a command)
	KindConflict = "conflict" // an append refused by optimistic concurrency (Stream, Expected, Actual)
	KindAck      = "ack"      // a command acknowledged to its client (Op, Node)
	KindPublish  = "publish"  // an event published to the bus (Ref, Topic, Partition, Offset)
	KindDeliver  = "deliver"  // a record delivered to a consumer (Ref, Topic, Partition, Offset, Dup)
	KindHandle   = "handle"   // a consumer's verdict on a delivered event (Ref, Outcome)
	KindCommit   = "commit"   // a consumer's committed offset (Topic, Partition, Offset = next to read)
	KindDLQ      = "dlq"      // an event moved to the dead-letter queue (Ref, Error)
	KindCrash    = "crash"    // a node lost its uncommitted state
	KindRestart  = "restart"  // a node came back
	KindFault    = "fault"    // a fault window edge (Fault, Edge, Target)
	KindSnapshot = "snapshot" // a snapshot of a stream was taken (Stream, Version)
)

// Handle outcomes.
const (
	OutcomeApplied   = "applied"   // the effect was made (or the event needed none) and recorded
	OutcomeDuplicate = "duplicate" // already handled: skipped by dedup
	OutcomeDeferred  = "deferred"  // an earlier version of the aggregate is still missing
	OutcomeRetry     = "retry"     // a transient error; will be retried with backoff
	OutcomeDLQ       = "dlq"       // a poison event, moved to the dead-letter queue
)

// Event is one line of trace.ndjson. Only the fields of its Kind are set.
type Event struct {
	Seq  int64  `json:"seq"`
	Time int64  `json:"time"` // ns since run start (virtual in simulation)
	Kind string `json:"kind"`
	Node string `json:"node,omitempty"`

	Events  []Envelope `json:"events,omitempty"`  // append
	Handled *Ref       `json:"handled,omitempty"` // append: the delivered event this append handles
	Op      *int       `json:"op,omitempty"`      // append, ack: history index of the command's invoke

	Stream   string `json:"stream,omitempty"`
	Expected int    `json:"expected,omitempty"`
	Actual   int    `json:"actual,omitempty"`
	Version  int    `json:"version,omitempty"`

	Ref       *Ref   `json:"ref,omitempty"`
	Topic     string `json:"topic,omitempty"`
	Partition int    `json:"partition,omitempty"`
	Offset    int64  `json:"offset,omitempty"`
	Dup       bool   `json:"dup,omitempty"` // deliver: a duplicate injected by the nemesis
	Outcome   string `json:"outcome,omitempty"`
	Error     string `json:"error,omitempty"`

	Fault  string `json:"fault,omitempty"`
	Edge   string `json:"edge,omitempty"` // start | stop
	Target string `json:"target,omitempty"`
}

// Envelope is a stored event: the metadata every event carries and its data
// as stored (schema version SchemaVersion; readers upcast).
type Envelope struct {
	ID            string          `json:"id"`
	Aggregate     string          `json:"aggregate"` // the stream name, e.g. "order-o-17"
	Version       int             `json:"version"`   // 1-based position in the stream
	Position      int64           `json:"position"`  // 1-based position in the store's global log
	Type          string          `json:"type"`
	SchemaVersion int             `json:"schema"`
	CorrelationID string          `json:"correlation"` // the order the saga is about
	CausationID   string          `json:"causation,omitempty"`
	Data          json.RawMessage `json:"data"`
}

// Ref names an event without its data.
type Ref struct {
	ID        string `json:"id"`
	Aggregate string `json:"aggregate"`
	Version   int    `json:"version"`
	Type      string `json:"type"`
	// Correlation is the order the event is about.
	Correlation string `json:"correlation,omitempty"`
}

// RefOf returns the reference of an envelope.
func RefOf(e *Envelope) Ref {
	return Ref{ID: e.ID, Aggregate: e.Aggregate, Version: e.Version, Type: e.Type, Correlation: e.CorrelationID}
}
