package tracemodel_test

import (
	"strings"

	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

type harnessRec struct {
	ops []history.Op
	tr  []trace.Event
}

func newRec(r *harness.Recorded) *harnessRec { return &harnessRec{r.Ops, r.Trace} }

// cloneTrace copies a trace deeply enough that events can be edited.
func cloneTrace(tr []trace.Event) []trace.Event {
	out := make([]trace.Event, len(tr))
	for i, e := range tr {
		e.Events = append([]trace.Envelope(nil), e.Events...)
		if e.Ref != nil {
			r := *e.Ref
			e.Ref = &r
		}
		out[i] = e
	}
	return out
}
