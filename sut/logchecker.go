package sut

import (
	"encoding/json"
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
)

// LogCheck is the queue/log checker (package checker/logcheck, Jepsen's
// kafka workload anomalies) over a test's history; it is named "log".
// The test's operations must be those of a log workload: F is send, poll,
// txn, assign, subscribe or crash, and each op's value (Op.Value and the
// Reply's Value) is its list of micro-ops, []logcheck.Mop, as
// logcheck.Send and logcheck.Poll make them.
type LogCheck struct {
	Options logcheck.Options
}

// LogChecker returns the log checker with opts (consumer mode, whether the
// test ends with final polls of every key).
func LogChecker(opts logcheck.Options) *LogCheck { return &LogCheck{Options: opts} }

// Name is logcheck.Name, "log".
func (c *LogCheck) Name() string { return logcheck.Name }

// Check converts the client ops to a log history, analyzes it and maps the
// anomalies' op indices back to history.jsonl's.
func (c *LogCheck) Check(in *checker.Input) checker.Result {
	ops := clientOps(in.Ops)
	h := &logcheck.History{Ops: make([]logcheck.Op, len(ops)), Truncated: in.HistoryTruncated}
	back := make([]int, len(ops)) // log index -> history index
	for i, op := range ops {
		back[i] = op.Index
		lop := logcheck.Op{Index: i, Type: op.Type, Process: op.Process, F: op.F, Time: op.Time, Error: op.Error}
		if op.Value != nil && len(op.Value.Data) > 0 {
			if err := json.Unmarshal(op.Value.Data, &lop.Value); err != nil {
				return checker.Result{Valid: checker.Unknown,
					Note: fmt.Sprintf("history op %d: value is not a list of log micro-ops: %v", op.Index, err)}
			}
		}
		h.Ops[i] = lop
	}
	res, err := logcheck.Check(h, c.Options)
	if err != nil {
		return checker.Result{Valid: checker.Unknown, Note: "log checker: " + err.Error()}
	}
	for i := range res.Anomalies {
		for j, k := range res.Anomalies[i].Ops {
			if k >= 0 && k < len(back) {
				res.Anomalies[i].Ops[j] = back[k]
			}
		}
	}
	return res
}
