package history

import (
	"encoding/json"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Op is one history event. An operation is an invoke followed, for the same
// process, by its completion (ok, fail or info); info means the outcome is
// unknown, as in Jepsen.
type Op struct {
	Index   int    `json:"index"`
	Type    string `json:"type"`
	Process int    `json:"process"`
	F       string `json:"f"`
	Key     string `json:"key,omitempty"`
	Value   *Value `json:"value,omitempty"`
	// Time is nanoseconds since the start of the run (virtual in simulation).
	Time  int64  `json:"time"`
	Error string `json:"error,omitempty"`
}

// Value is the argument or result of an op. Only the fields of the op's f are
// set; pointers distinguish "zero" from "absent".
type Value struct {
	Customer string `json:"customer,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Qty      int    `json:"qty,omitempty"`
	Amount   int    `json:"amount,omitempty"`
	// Status is an order status (vocab.Status*) returned by reads.
	Status string `json:"status,omitempty"`
	// Stock and Balance are results of final-phase reads.
	Stock   *int `json:"stock,omitempty"`
	Balance *int `json:"balance,omitempty"`
	// Nemesis ops: the fault, the edge ("start" or "stop") and its target.
	Fault  string `json:"fault,omitempty"`
	Edge   string `json:"edge,omitempty"`
	Target string `json:"target,omitempty"`
	// Data is the argument or result of an op on a user's own system
	// (package sut), as JSON: {"data":3}, {"data":[1,2]}. The order
	// system never sets it.
	Data json.RawMessage `json:"data,omitempty"`
}

// IsClient reports whether the op was made by a client (not the nemesis).
func (o *Op) IsClient() bool { return o.Process != vocab.NemesisProcess }

// Int returns a pointer to v, for Value.Stock and Value.Balance.
func Int(v int) *int { return &v }

// Pair is one client operation: its invoke and its completion. Completion is
// nil when the history ended before the op completed (treated as info).
type Pair struct {
	Invoke     *Op
	Completion *Op
}

// Outcome is the completion type, info when the op never completed.
func (p Pair) Outcome() string {
	if p.Completion == nil {
		return vocab.TypeInfo
	}
	return p.Completion.Type
}

// Pairs matches every client invoke with its completion by process. Nemesis
// ops are skipped. The result is in invoke order.
func Pairs(ops []Op) []Pair {
	pairs := make([]Pair, 0, len(ops)/2)
	open := map[int]int{} // process -> index in pairs
	for i := range ops {
		op := &ops[i]
		if !op.IsClient() {
			continue
		}
		if op.Type == vocab.TypeInvoke {
			open[op.Process] = len(pairs)
			pairs = append(pairs, Pair{Invoke: op})
			continue
		}
		if j, ok := open[op.Process]; ok {
			pairs[j].Completion = op
			delete(open, op.Process)
		}
	}
	return pairs
}
