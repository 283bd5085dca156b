package tracemodel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
)

// FormalFile is the run directory's record of trace validation: which model
// the trace was validated against, by which tools, with what result (the
// "formal" section of report.html).
const FormalFile = "formal.json"

// Formal is formal.json.
type Formal struct {
	Model      string `json:"model"`      // "model/saga" (spec/tla/OrderSaga.tla)
	Config     string `json:"config"`     // spec/tla config name: correct or a bug
	Projection string `json:"projection"` // the abstraction (doc.go)
	Tools      []Tool `json:"tools"`
	// ExplainedBy lists the bug switches whose model accepts every order
	// the config's model rejected (the diagnosis), when some were rejected.
	ExplainedBy []string `json:"explained_by,omitempty"`
}

// Tool is one tool's validation of the trace.
type Tool struct {
	Tool     string  `json:"tool"`   // go-model | tlc
	Result   string  `json:"result"` // accepted | rejected | unknown | not-run
	Orders   int     `json:"orders"`
	Accepted int     `json:"accepted"`
	Rejected int     `json:"rejected"`
	Unknown  int     `json:"unknown"`
	Seconds  float64 `json:"seconds"`
	Note     string  `json:"note"`
	// Version is the tool's version (TLC's banner; empty for the Go model,
	// which is this build).
	Version string `json:"version,omitempty"`
	// RejectedAt is the first step each rejected order could not take.
	RejectedAt []StepRef `json:"rejected_at,omitempty"`
	// Disagree describes, for a tool beside the Go model, each order on
	// which the two differ (the verdict, or the first rejected step).
	Disagree []string `json:"disagree,omitempty"`
}

// StepRef is the first step a tool could not match in one order's trace.
type StepRef struct {
	Order string `json:"order"`
	Step  int    `json:"step"`  // index into the order's projected steps
	Index int    `json:"index"` // trace index of the step's event (-1: from the history)
}

// tlcNotRun is the TLC entry of a run validated by the Go model only.
var tlcNotRun = Tool{Tool: "tlc", Result: "not-run",
	Note: "run with --tlc (TLC installed, TLA2TOOLS_JAR set) to validate the trace with TLC as well"}

// Formal returns the summary as formal.json's content; TLC is listed as
// not run (`jepsen-lite run --tlc` replaces that entry with TLC's result).
func (s Summary) Formal() Formal {
	goModel := Tool{Tool: s.Tool, Result: s.Result, Orders: s.Orders, Accepted: s.Accepted, Rejected: len(s.Rejected),
		Unknown: len(s.Unknown), Seconds: s.Seconds, Note: s.Note()}
	for _, r := range s.Rejected {
		goModel.RejectedAt = append(goModel.RejectedAt, StepRef{Order: r.Order, Step: r.Step, Index: r.Index})
	}
	return Formal{Model: s.Model, Config: s.Config, Projection: s.Projection, ExplainedBy: s.explainedBy(),
		Tools: []Tool{goModel, tlcNotRun}}
}

// WriteFormal writes formal.json into dir.
func WriteFormal(dir string, f Formal) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, FormalFile), append(b, '\n'), 0o644)
}

// explainedBy is the bug switches that accept every rejected order.
func (s Summary) explainedBy() []string {
	if len(s.Rejected) == 0 {
		return nil
	}
	out := s.Rejected[0].AcceptedBy
	for _, r := range s.Rejected[1:] {
		var keep []string
		for _, b := range out {
			if slices.Contains(r.AcceptedBy, b) {
				keep = append(keep, b)
			}
		}
		out = keep
	}
	return out
}
