package saga

import (
	"encoding/binary"
	"slices"
)

// Event is one entry of the TLA+ log: ID is its position (1-based), Agg its
// stream, Ver its version in the stream, Order its correlation (order key),
// N the qty or amount (0 if none), Cause the causation event id (0 for a
// client command) and Batch the id of the first event of the append it came
// with (one append = one effect).
type Event struct {
	ID    int
	Agg   string
	Ver   int
	Type  string
	Order string
	N     int
	Cause int
	Batch int
}

// Emit is what a service core reacts with (TLA+ Emit).
type Emit struct {
	Type  string
	Order string
	N     int
}

// Work is the orders consumer's decided, not yet appended reaction (TLA+
// ordersWork); the zero Work is NoWork.
type Work struct {
	ID, Ver int
	Emits   []Emit
}

// None reports whether w is NoWork.
func (w Work) None() bool { return w.ID == 0 && w.Ver == 0 && len(w.Emits) == 0 }

// Read is TLA+ readObs[o]: the last strong read's result (Got) and the
// status the client knew when it issued it (Floor).
type Read struct {
	Floor, Got string
}

// Client op outcomes (TLA+ placeOp / cancelOp values).
const (
	OpIdle    = "idle"
	OpOK      = "ok"
	OpPending = "pending"
	OpFail    = "fail"
	OpInfo    = "info"
)

// IDSet is a set of event ids, sorted ascending without repeats. IDSets are
// shared between states: never modify one in place (use With / Without).
type IDSet []int

// Has reports whether id is in the set.
func (s IDSet) Has(id int) bool {
	_, ok := slices.BinarySearch(s, id)
	return ok
}

// With returns s ∪ {id} (s itself when id is in it already).
func (s IDSet) With(id int) IDSet {
	i, ok := slices.BinarySearch(s, id)
	if ok {
		return s
	}
	out := make(IDSet, 0, len(s)+1)
	out = append(append(append(out, s[:i]...), id), s[i:]...)
	return out
}

// Without returns s \ {id} (s itself when id is not in it).
func (s IDSet) Without(id int) IDSet {
	i, ok := slices.BinarySearch(s, id)
	if !ok {
		return s
	}
	out := make(IDSet, 0, len(s)-1)
	return append(append(out, s[:i]...), s[i+1:]...)
}

// State is one state of OrderSaga.tla: the TLA+ variables, field by field.
// Per-consumer variables are arrays indexed by consumer (COrders …);
// per-order variables are slices indexed like Config.Orders. A State is a
// value: its slices are shared with the states it came from and are never
// modified in place, so Successors never changes its input.
type State struct {
	Log        []Event
	Handled    [NumConsumers]IDSet // dedup records: ids handled per consumer
	Projection []string            // per order: status in the read model
	Stock0     int                 // initial stock of s-1 (never changes)
	Bal0       int                 // initial balance of c-1 (never changes)
	Bus        [NumConsumers]IDSet // ids published to a consumer, not committed
	Parted     [NumConsumers]bool  // consumers partitioned from the bus
	OrdersWork Work                // volatile: decided reaction of orders
	WB         []bool              // per order: in the write-behind buffer (volatile)
	PlaceOp    []string            // per order: OpIdle | OpOK
	CancelOp   []string            // per order: OpIdle | OpPending | OpOK | OpFail | OpInfo
	CancelVer  []int               // per order: version a pending cancel decided on
	ReadObs    []Read              // per order: last strong read
	ReadsLeft  []int               // per order: strong reads still allowed
	DupLeft    int
	CrashLeft  int
	PartLeft   int

	orders []string // Config.Orders, for TLA (never changes, not in Key)
}

// Key returns a canonical encoding of s: two states are equal exactly when
// their keys are (the explorer's visited set). Every variable-length part
// is prefixed by its length, so the encoding is prefix-free. Not for reading.
func (s State) Key() string { return string(s.appendKey(make([]byte, 0, 64+16*len(s.Log)))) }

// appendKey appends Key's bytes to b (the explorer reuses one buffer).
func (s State) appendKey(b []byte) []byte {
	num := func(n int) { b = binary.AppendVarint(b, int64(n)) }
	str := func(x string) { num(len(x)); b = append(b, x...) }
	flag := func(f bool) {
		if f {
			num(1)
		} else {
			num(0)
		}
	}
	set := func(ids IDSet) {
		num(len(ids))
		for _, id := range ids {
			num(id)
		}
	}
	num(len(s.Log))
	for _, e := range s.Log {
		num(e.Ver)
		str(e.Agg)
		num(typeCode(e.Type))
		str(e.Order)
		num(e.N)
		num(e.Cause)
		num(e.Batch)
	}
	for c := range NumConsumers {
		set(s.Handled[c])
		set(s.Bus[c])
		flag(s.Parted[c])
	}
	num(s.OrdersWork.ID)
	num(s.OrdersWork.Ver)
	num(len(s.OrdersWork.Emits))
	for _, m := range s.OrdersWork.Emits {
		num(typeCode(m.Type))
		str(m.Order)
		num(m.N)
	}
	num(len(s.PlaceOp))
	for i := range s.PlaceOp {
		str(s.Projection[i])
		flag(s.WB[i])
		str(s.PlaceOp[i])
		str(s.CancelOp[i])
		num(s.CancelVer[i])
		str(s.ReadObs[i].Floor)
		str(s.ReadObs[i].Got)
		num(s.ReadsLeft[i])
	}
	for _, n := range []int{s.Stock0, s.Bal0, s.DupLeft, s.CrashLeft, s.PartLeft} {
		num(n)
	}
	return b
}

// typeCode is an event type's index in EventTypes (-1 if unknown).
func typeCode(t string) int { return slices.Index(EventTypes, t) }
