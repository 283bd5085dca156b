package tracemodel

import (
	"fmt"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Name is the checker's key in results.json "checkers".
const Name = "trace-model"

// Checker validates a run's trace against model/saga (the Go rendition of
// spec/tla/OrderSaga.tla): each order's projected trace must be a behaviour
// of the model with bug switch Bug ("" = the correct protocol). A rejected
// order is an anomaly trace-rejected naming the first trace event the model
// cannot follow; the bug models that do accept it are named in the detail.
type Checker struct {
	Bug string
	// Last is the summary of the last Check (the run's formal section).
	Last *Summary
}

// New returns the checker for the correct protocol.
func New() *Checker { return &Checker{} }

// Name implements checker.Checker.
func (*Checker) Name() string { return Name }

// anomalyMax bounds the rejected orders reported one by one.
const anomalyMax = 20

// Check implements checker.Checker.
func (c *Checker) Check(in *checker.Input) checker.Result {
	if in.Trace == nil {
		return checker.Result{Valid: checker.Unknown, Note: "no trace: trace validation needs trace.ndjson"}
	}
	sum := Run(c.Bug, in.Ops, in.Trace, quiescent(in))
	c.Last = &sum
	var r checker.Result
	for i, rej := range sum.Rejected {
		if i == anomalyMax {
			r.Invalidate(checker.Anomaly{Type: vocab.AnomalyTraceRejected,
				Detail: fmt.Sprintf("... and %d more orders rejected", len(sum.Rejected)-anomalyMax)})
			break
		}
		r.Invalidate(checker.Anomaly{Type: vocab.AnomalyTraceRejected, Key: rej.Order,
			Ops: placeOps(in.Ops, rej.Order), Detail: rej.Detail()})
	}
	if r.Valid == checker.Valid && len(sum.Unknown) > 0 {
		r.Valid = checker.Unknown
	}
	r.Note = sum.Note()
	if in.TraceTruncated {
		r.Note += "; the trace was cut short (killed run): only its complete lines were validated"
	}
	if in.OutDir != "" {
		if err := WriteFormal(in.OutDir, sum.Formal()); err != nil {
			r.Note += "; " + FormalFile + " not written: " + err.Error()
		} else {
			r.Files = []string{FormalFile}
		}
	}
	return r
}

// quiescent reports whether the history's final phase began quiescent (the
// model must then be able to stop where the trace ends).
func quiescent(in *checker.Input) bool {
	if in.TraceTruncated || in.HistoryTruncated {
		return false
	}
	for i := len(in.Ops) - 1; i >= 0; i-- {
		op := &in.Ops[i]
		if op.F == vocab.FNemesis && op.Value != nil && op.Value.Fault == vocab.MarkFinal {
			return op.Value.Edge == vocab.EdgeQuiescent
		}
	}
	return false
}

// placeOps are the history indices of an order's place ops.
func placeOps(ops []history.Op, key string) []int {
	var out []int
	for i := range ops {
		if ops[i].F == vocab.FPlace && ops[i].Key == key {
			out = append(out, i)
		}
	}
	return out
}

// Detail describes a rejection for a person.
func (r Rejection) Detail() string {
	var b strings.Builder
	fmt.Fprintf(&b, "order %s: the %s model cannot follow trace event %d (%s", r.Order, bugName(r.Bug), r.Index, r.Source)
	if r.Ref != "" {
		fmt.Fprintf(&b, " of %s", r.Ref)
	}
	fmt.Fprintf(&b, ", projected step %d %s): %s", r.Step, r.Kind, r.Why)
	if len(r.AcceptedBy) > 0 {
		fmt.Fprintf(&b, "; accepted by the model with bug %s", strings.Join(r.AcceptedBy, ", "))
	}
	return b.String()
}

func bugName(b string) string {
	if b == "" || b == "none" {
		return "correct"
	}
	return b
}
