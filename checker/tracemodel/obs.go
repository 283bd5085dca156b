package tracemodel

// Obs is one step of an order's projected trace: what the model must do at
// that point (an action, with the events it must append), or the edge of a
// window in which the model must take a client read. A projected trace is
// also what spec/tla/trace/OrderSagaTrace.tla reads (WriteTLC: one ndjson
// line per order, its constants and steps), so the Go model and TLC judge
// the same steps.
type Obs struct {
	Kind string `json:"kind"` // one of the Obs* kinds
	// Index is the position in the run's trace of the event the step comes
	// from (-1 for a step from the history); Seq and Source are that
	// event's seq and kind (or the history op's f), Time its time.
	Index  int    `json:"index"`
	Seq    int64  `json:"seq"`
	Source string `json:"source"`
	Time   int64  `json:"time"`
	// Ref is the implementation's event the step is about ("ev-N"), if any.
	Ref string `json:"ref,omitempty"`

	Consumer string `json:"consumer,omitempty"` // ObsHandle, ObsCrash
	ID       int    `json:"id,omitempty"`       // ObsHandle: the model id of the handled event
	// Events are the events the step appends, in the model's terms, in
	// order; empty when it appends nothing.
	Events []Ev `json:"events"`
	// Lost are the model ids a crash of Consumer may have lost (delivered,
	// committed on receipt by the commit-before-process bug, not handled).
	Lost []int `json:"lost,omitempty"`
	// Read is the read's number (ObsReadOpen, ObsReadClose) and Got the
	// status it returned (ObsReadOpen).
	Read int    `json:"read,omitempty"`
	Got  string `json:"got,omitempty"`
	// Blocked (ObsEnd) are the model ids, per consumer, that the
	// implementation left deferred behind an earlier version of a SKU or
	// account stream: another order's event (doc.go, "Shared streams").
	Blocked []Pending `json:"blocked,omitempty"`
}

// Pending is an event left on a consumer's bus.
type Pending struct {
	Consumer string `json:"consumer"`
	ID       int    `json:"id"`
}

// Kinds of Obs.
const (
	// ObsPlace: the place command is acknowledged; Events is [OrderPlaced]
	// when it was stored first (Place), [] when it was acknowledged before
	// it was stored (the ack-before-persist bug's Place).
	ObsPlace = "place"
	// ObsFlush: an acknowledged place is stored afterwards (Flush).
	ObsFlush = "flush"
	// ObsCancel: the cancel command appends OrderCancelled (CancelAppend,
	// after a CancelDecide the trace does not show).
	ObsCancel = "cancel"
	// ObsHandle: Consumer finishes event ID: applied with Events appended,
	// applied with no effect, or skipped as a duplicate (Deliver for
	// inventory, payment, shipping, projector; for orders OrdersAppend after
	// an unlogged OrdersDecide when Events is not empty, else OrdersDecide).
	// The model may first put ID back on the consumer's bus (Duplicate).
	ObsHandle = "handle"
	// ObsCrash: a node crashed (CrashOrders when the orders node had
	// volatile state, CrashAfterCommit for each of Lost it may have lost).
	ObsCrash = "crash"
	// ObsReadOpen and ObsReadClose bound the window in which a strong read
	// took effect: the model takes ReadStrong with result Got somewhere
	// between them.
	ObsReadOpen  = "read-open"
	ObsReadClose = "read-close"
	// ObsEnd: the run ended quiescent: the model must be able to stop here
	// (a Quiet state; no system step is left).
	ObsEnd = "end"
)

// Ev is a stored event in the model's terms (saga.Event without the fields
// the step determines): Agg is the model stream (order-<o>, ship-<o>,
// sku-s-1, acct-c-1), Ver its version there, Cause the model id of the
// event it reacts to (0 for a command), N the qty or amount, or -1 when the
// implementation's data does not say (not compared).
type Ev struct {
	Agg   string `json:"agg"`
	Ver   int    `json:"ver"`
	Type  string `json:"type"`
	N     int    `json:"n"`
	Cause int    `json:"cause"`
}

// Projection is the projected trace of one order with the constants of the
// model instance it is validated against.
type Projection struct {
	Order string `json:"order"`
	// Qty and Amount are the order's (from its place op).
	Qty    int `json:"qty"`
	Amount int `json:"amount"`
	// Decisions counts the inventory and payment decisions in the steps: the
	// initial stock and balance range over 0..Decisions times Qty (Amount).
	StockDecisions   int   `json:"stock_decisions"`
	BalanceDecisions int   `json:"balance_decisions"`
	Steps            []Obs `json:"steps"`
	// Cancels reports whether the history has a cancel of the order (the
	// model may take CancelDecide unlogged only then).
	Cancels bool `json:"cancels"`
	// Reads is the number of strong reads in the steps (MaxRead).
	Reads int `json:"reads"`
	// Err, when set, says why the order could not be projected (its
	// verdict is unknown).
	Err string `json:"err,omitempty"`
}
