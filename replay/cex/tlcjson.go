package cex

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// This file decodes TLC's -dumpTrace json counterexample of
// spec/tla/OrderSaga.tla: {"counterexample": {"state": [[i, {var: value}]…],
// "action": [[[i, state], {"name", "context"}, [j, state]]…]}}.

// tlcTrace is the part of the dump replay reads.
type tlcTrace struct {
	Counterexample struct {
		State  []json.RawMessage   `json:"state"`
		Action [][]json.RawMessage `json:"action"`
	} `json:"counterexample"`
}

// tlcAction is the middle element of an action triple.
type tlcAction struct {
	Name    string            `json:"name"`
	Context map[string]string `json:"context"`
}

// tlcEvent is one element of the TLA+ log.
type tlcEvent struct {
	ID    int    `json:"id"`
	Agg   string `json:"agg"`
	Ver   int    `json:"ver"`
	Type  string `json:"type"`
	Order string `json:"order"`
	N     int    `json:"n"`
	Cause int    `json:"cause"`
	Batch int    `json:"batch"`
}

// tlcState is one state of OrderSaga.tla as TLC prints it in JSON.
type tlcState struct {
	Log        []tlcEvent           `json:"log"`
	Handled    map[string][]int     `json:"handled"`
	Projection map[string]string    `json:"projection"`
	Stock0     int                  `json:"stock0"`
	Bal0       int                  `json:"bal0"`
	Bus        map[string][]int     `json:"bus"`
	Parted     []string             `json:"parted"`
	OrdersWork tlcWork              `json:"ordersWork"`
	WB         []string             `json:"wb"`
	PlaceOp    map[string]string    `json:"placeOp"`
	CancelOp   map[string]string    `json:"cancelOp"`
	CancelVer  map[string]int       `json:"cancelVer"`
	ReadObs    map[string]saga.Read `json:"readObs"`
	ReadsLeft  map[string]int       `json:"readsLeft"`
	DupLeft    int                  `json:"dupLeft"`
	CrashLeft  int                  `json:"crashLeft"`
	PartLeft   int                  `json:"partLeft"`
}

type tlcWork struct {
	ID    int         `json:"id"`
	Ver   int         `json:"ver"`
	Emits []saga.Emit `json:"emits"`
}

// UnmarshalJSON reads the emits' lower-case field names.
func (w *tlcWork) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID    int `json:"id"`
		Ver   int `json:"ver"`
		Emits []struct {
			Type  string `json:"type"`
			Order string `json:"order"`
			N     int    `json:"n"`
		} `json:"emits"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	w.ID, w.Ver, w.Emits = raw.ID, raw.Ver, nil
	for _, e := range raw.Emits {
		w.Emits = append(w.Emits, saga.Emit{Type: e.Type, Order: e.Order, N: e.N})
	}
	return nil
}

// decodeState reads one [index, state] pair (TLC numbers states from 1).
func decodeState(raw json.RawMessage) (int, tlcState, error) {
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return 0, tlcState{}, fmt.Errorf("want [index, state], got %.60s", raw)
	}
	var index int
	if err := json.Unmarshal(pair[0], &index); err != nil || index < 1 {
		return 0, tlcState{}, fmt.Errorf("state index %.20s: want a number >= 1", pair[0])
	}
	var s tlcState
	if err := json.Unmarshal(pair[1], &s); err != nil {
		return 0, tlcState{}, fmt.Errorf("state: %v", err)
	}
	if len(s.PlaceOp) == 0 {
		return 0, tlcState{}, fmt.Errorf("state has no orders (placeOp empty)")
	}
	return index, s, nil
}

// orders returns the state's order keys, sorted (TLC prints a function's
// domain in its own order; Config.Orders fixes one).
func (s tlcState) orders() []string {
	out := make([]string, 0, len(s.PlaceOp))
	for o := range s.PlaceOp {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

// toSaga returns the state as a model state for cfg, for comparison by Key.
func (s tlcState) toSaga(cfg saga.Config) (saga.State, error) {
	out := saga.State{Stock0: s.Stock0, Bal0: s.Bal0, DupLeft: s.DupLeft, CrashLeft: s.CrashLeft, PartLeft: s.PartLeft,
		OrdersWork: saga.Work{ID: s.OrdersWork.ID, Ver: s.OrdersWork.Ver, Emits: s.OrdersWork.Emits}}
	for _, e := range s.Log {
		out.Log = append(out.Log, saga.Event{ID: e.ID, Agg: e.Agg, Ver: e.Ver, Type: e.Type, Order: e.Order,
			N: e.N, Cause: e.Cause, Batch: e.Batch})
	}
	for c, name := range saga.Consumers {
		out.Handled[c] = idSet(s.Handled[name])
		out.Bus[c] = idSet(s.Bus[name])
		out.Parted[c] = slices.Contains(s.Parted, name)
	}
	for _, o := range cfg.Orders {
		if _, ok := s.PlaceOp[o]; !ok {
			return saga.State{}, fmt.Errorf("state has no placeOp for order %q", o)
		}
		out.Projection = append(out.Projection, s.Projection[o])
		out.WB = append(out.WB, slices.Contains(s.WB, o))
		out.PlaceOp = append(out.PlaceOp, s.PlaceOp[o])
		out.CancelOp = append(out.CancelOp, s.CancelOp[o])
		out.CancelVer = append(out.CancelVer, s.CancelVer[o])
		out.ReadObs = append(out.ReadObs, s.ReadObs[o])
		out.ReadsLeft = append(out.ReadsLeft, s.ReadsLeft[o])
	}
	return out, nil
}

// idSet sorts ids into a saga.IDSet without repeats.
func idSet(ids []int) saga.IDSet {
	out := slices.Clone(ids)
	slices.Sort(out)
	return saga.IDSet(slices.Compact(out))
}
