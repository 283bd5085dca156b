package tracemodel

import (
	"bufio"
	"encoding/json"
	"io"
)

// tlcHeader is the first line of a projected trace for
// spec/tla/trace/OrderSagaTrace.tla: the model's constants.
type tlcHeader struct {
	Order       string `json:"order"`
	Bug         string `json:"bug"`
	StockInit   []int  `json:"stock_init"`
	BalanceInit []int  `json:"balance_init"`
	Qty         int    `json:"qty"`
	Amount      int    `json:"amount"`
	MaxDup      int    `json:"max_dup"`
	MaxCrash    int    `json:"max_crash"`
	MaxRead     int    `json:"max_read"`
	Cancels     bool   `json:"cancels"`
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

// WriteTLC writes a projection as the ndjson OrderSagaTrace.tla reads,
// for the model with bug switch bug ("" = correct).
func WriteTLC(w io.Writer, bug string, p *Projection) error {
	cfg := ModelConfig(bug, p)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	h := tlcHeader{Order: p.Order, Bug: cfg.Bug, StockInit: cfg.StockInit, BalanceInit: cfg.BalanceInit,
		Qty: cfg.Qty, Amount: cfg.Amount, MaxDup: cfg.MaxDup, MaxCrash: cfg.MaxCrash, MaxRead: cfg.MaxRead,
		Cancels: p.Cancels}
	if err := enc.Encode(h); err != nil {
		return err
	}
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
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return bw.Flush()
}
