package tracemodel

import (
	"bufio"
	"encoding/json"
	"io"
)

// tlcSegment is one line of the file spec/tla/trace/OrderSagaTrace.tla
// reads: one order's model constants and its projected steps.
type tlcSegment struct {
	Order       string   `json:"order"`
	Bug         string   `json:"bug"`
	StockInit   []int    `json:"stock_init"`
	BalanceInit []int    `json:"balance_init"`
	Qty         int      `json:"qty"`
	Amount      int      `json:"amount"`
	MaxDup      int      `json:"max_dup"`
	MaxCrash    int      `json:"max_crash"`
	MaxRead     int      `json:"max_read"`
	Cancels     bool     `json:"cancels"`
	Steps       []tlcObs `json:"steps"`
}

// tlcObs is a step with every field present (TLA+ records have no
// optional fields).
type tlcObs struct {
	Kind     string    `json:"kind"`
	Consumer string    `json:"consumer"`
	ID       int       `json:"id"`
	Events   []Ev      `json:"events"`
	Lost     []int     `json:"lost"`
	Read     int       `json:"read"`
	Got      string    `json:"got"`
	Blocked  []Pending `json:"blocked"`
}

// WriteTLC writes projections as the ndjson OrderSagaTrace.tla reads, one
// line (segment) per projection in the given order, each for the model
// with bug switch bug ("" = correct). TLC validates all of them in one run.
func WriteTLC(w io.Writer, bug string, ps ...*Projection) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, p := range ps {
		cfg := ModelConfig(bug, p)
		seg := tlcSegment{Order: p.Order, Bug: cfg.Bug, StockInit: cfg.StockInit, BalanceInit: cfg.BalanceInit,
			Qty: cfg.Qty, Amount: cfg.Amount, MaxDup: cfg.MaxDup, MaxCrash: cfg.MaxCrash, MaxRead: cfg.MaxRead,
			Cancels: p.Cancels, Steps: make([]tlcObs, 0, len(p.Steps))}
		for _, o := range p.Steps {
			t := tlcObs{Kind: o.Kind, Consumer: o.Consumer, ID: o.ID, Events: o.Events, Lost: o.Lost,
				Read: o.Read, Got: o.Got, Blocked: o.Blocked}
			if t.Events == nil {
				t.Events = []Ev{}
			}
			if t.Lost == nil {
				t.Lost = []int{}
			}
			if t.Blocked == nil {
				t.Blocked = []Pending{}
			}
			seg.Steps = append(seg.Steps, t)
		}
		if err := enc.Encode(seg); err != nil {
			return err
		}
	}
	return bw.Flush()
}
