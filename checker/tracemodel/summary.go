package tracemodel

import (
	"fmt"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Summary is the outcome of validating a whole run's trace with the Go model.
type Summary struct {
	Model  string `json:"model"`  // "model/saga"
	Config string `json:"config"` // the bug switch's config name (spec/tla/<config>.cfg)
	Tool   string `json:"tool"`   // "go-model"
	// Projection states the abstraction the orders were validated under.
	Projection  string        `json:"projection"`
	Events      int           `json:"events"` // trace events read
	Orders      int           `json:"orders"` // orders validated
	Steps       int           `json:"steps"`  // projected steps replayed
	Accepted    int           `json:"accepted"`
	Rejected    []Rejection   `json:"rejected,omitempty"`
	Unknown     []string      `json:"unknown,omitempty"` // "order: why"
	StatesMax   int           `json:"states_max"`        // most model states kept for one order
	Seconds     float64       `json:"seconds"`
	Quiescent   bool          `json:"quiescent"` // the end of the trace was checked as a stopping point
	Result      string        `json:"result"`    // accepted | rejected | unknown
	Projections []*Projection `json:"-"`
}

// Rejection is one order the model could not follow.
type Rejection struct {
	Order  string `json:"order"`
	Bug    string `json:"bug"`
	Step   int    `json:"step"`   // index into the order's projected steps
	Kind   string `json:"kind"`   // the step's kind
	Index  int    `json:"index"`  // trace index of the event (-1: from the history)
	Source string `json:"source"` // the trace event's kind (or the history op)
	Ref    string `json:"ref,omitempty"`
	Why    string `json:"why"`
	// AcceptedBy lists the bug switches whose model accepts the order's trace.
	AcceptedBy []string `json:"accepted_by,omitempty"`
}

// ConfigName is spec/tla's config name for a bug switch.
func ConfigName(bug string) string { return bugName(bug) }

// ProjectionNote states the abstraction in one sentence.
const ProjectionNote = "per order: Orders = {the order}, its qty and amount, StockInit/BalanceInit = every multiple its decisions tell apart, budgets from the trace"

// Run projects a trace per order and validates every order against the
// model with bug switch bug; quiescent says whether the end of the trace
// must be a state where the model can stop.
func Run(bug string, ops []history.Op, events []trace.Event, quiescent bool) Summary {
	start := time.Now()
	projs := Project(ops, events, quiescent)
	sum := Summary{Model: "model/saga", Config: ConfigName(bug), Tool: "go-model", Projection: ProjectionNote,
		Events: len(events), Orders: len(projs), Quiescent: quiescent, Projections: projs}
	for _, p := range projs {
		sum.Steps += len(p.Steps)
		v := Validate(bug, p)
		sum.StatesMax = max(sum.StatesMax, v.States)
		switch {
		case v.Accepted:
			sum.Accepted++
		case v.Unknown != "":
			sum.Unknown = append(sum.Unknown, p.Order+": "+v.Unknown)
		default:
			sum.Rejected = append(sum.Rejected, rejection(bug, p, v))
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	switch {
	case len(sum.Rejected) > 0:
		sum.Result = "rejected"
	case len(sum.Unknown) > 0:
		sum.Result = "unknown"
	default:
		sum.Result = "accepted"
	}
	return sum
}

// rejection describes a rejected order and names the bug models that
// accept its trace (the diagnosis).
func rejection(bug string, p *Projection, v Verdict) Rejection {
	o := p.Steps[v.Step]
	r := Rejection{Order: p.Order, Bug: bugName(bug), Step: v.Step, Kind: o.Kind, Index: o.Index,
		Source: o.Source, Ref: o.Ref, Why: v.Why}
	for _, b := range vocab.Bugs {
		if b != bug && Validate(b, p).Accepted {
			r.AcceptedBy = append(r.AcceptedBy, b)
		}
	}
	return r
}

// Note is the checker's one-line account of what was validated.
func (s Summary) Note() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d trace events of %d orders (%d projected steps) validated against %s config %s by %s: %d accepted",
		s.Events, s.Orders, s.Steps, s.Model, s.Config, s.Tool, s.Accepted)
	if len(s.Rejected) > 0 {
		fmt.Fprintf(&b, ", %d rejected", len(s.Rejected))
	}
	if len(s.Unknown) > 0 {
		fmt.Fprintf(&b, ", %d unknown (first: %s)", len(s.Unknown), s.Unknown[0])
	}
	fmt.Fprintf(&b, " in %.3f s", s.Seconds)
	if !s.Quiescent {
		b.WriteString("; the run did not end quiescent, so its end was not checked as a stopping point")
	}
	return b.String()
}
