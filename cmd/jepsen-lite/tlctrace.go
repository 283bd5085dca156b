package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/formal/tracetlc"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// --tlc: after a run (or a checked history) is judged, its trace is
// validated a second time, by TLC through spec/tla/trace/OrderSagaTrace.tla
// (formal/tracetlc), against the model config the Go validator used. TLC's
// verdict is the checker trace-tlc in results.json and the "tlc" entry of
// formal.json; an order on which TLC and the Go model disagree is an anomaly
// trace-rejected, so the verdict cannot hide a difference between the tools.

// tlcCheckerName is TLC's trace validation in results.json "checkers".
const tlcCheckerName = "trace-tlc"

// tlcTimeout bounds one TLC validation of a run's trace (about 1.5 s per
// 1k events; a 2000-op run has some 20k).
const tlcTimeout = 10 * time.Minute

// tlcAnomalyMax bounds the rejected orders reported one by one.
const tlcAnomalyMax = 20

// traceSpec is the trace specification, relative to the spec directory.
var traceSpec = filepath.Join("tla", "trace", "OrderSagaTrace.tla")

// tlcTrace is what --tlc needs: TLC and the repository's spec/ directory.
type tlcTrace struct {
	tlc  *formal.TLC
	spec string
}

// findTLCTrace locates TLC and spec/ (in the working directory or one of
// its parents); the error is one line saying how to install what is missing.
func findTLCTrace() (*tlcTrace, error) {
	tlc, err := formal.FindTLC()
	if err != nil {
		return nil, err
	}
	spec, err := findSpecDir()
	if err != nil {
		return nil, err
	}
	return &tlcTrace{tlc: tlc, spec: spec}, nil
}

// specSearchMax bounds the parent directories searched for spec/.
const specSearchMax = 8

// findSpecDir finds the repository's spec/ directory from the working
// directory upwards.
func findSpecDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for range specSearchMax {
		spec := filepath.Join(dir, "spec")
		if fileExists(filepath.Join(spec, traceSpec)) {
			return spec, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", fmt.Errorf("%w: --tlc needs the trace specification spec/%s: run from the jepsen-lite repository", formal.ErrUnavailable, traceSpec)
}

// goTraceChecker is the Go trace validator exactly as the run's checkers
// configure it (the same model config).
func goTraceChecker() *tracemodel.Checker {
	for _, c := range harness.Checkers() {
		if tc, ok := c.(*tracemodel.Checker); ok {
			return tc
		}
	}
	panic("harness.Checkers has no trace-model checker")
}

// validate validates in's trace with TLC and the Go model, folds TLC's
// verdict into res and, when dir is set, rewrites formal.json there.
func (t *tlcTrace) validate(in *checker.Input, res *results.Results, dir string, stdout io.Writer) error {
	var r checker.Result
	var tool tracemodel.Tool
	var f *tracemodel.Formal
	if in.Trace == nil {
		r = checker.Result{Valid: checker.Unknown, Note: "no trace: TLC validation needs trace.ndjson"}
	} else {
		gc := goTraceChecker()
		gc.Check(&checker.Input{Ops: in.Ops, Trace: in.Trace, HistoryTruncated: in.HistoryTruncated, TraceTruncated: in.TraceTruncated})
		sum := gc.Last
		tool = t.run(sum)
		r = tlcResult(sum, tool, in.Ops)
		ff := sum.Formal()
		ff.Tools[len(ff.Tools)-1] = tool
		f = &ff
	}
	fmt.Fprintf(stdout, "tlc: %s\n", r.Note)
	addChecker(res, tlcCheckerName, r)
	if f == nil || dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return tracemodel.WriteFormal(dir, *f)
}

// run validates the orders the Go model decided with TLC, in one TLC run,
// and compares the two tools order by order.
func (t *tlcTrace) run(sum *tracemodel.Summary) tracemodel.Tool {
	ctx, cancel := context.WithTimeout(context.Background(), tlcTimeout)
	defer cancel()
	version := make(chan string, 1)
	go func() { v, _ := t.tlc.Version(ctx); version <- v }() // a second JVM, beside the run
	goRej := map[string]tracemodel.Rejection{}
	for _, r := range sum.Rejected {
		goRej[r.Order] = r
	}
	unknown := map[string]bool{}
	for _, u := range sum.Unknown {
		order, _, _ := strings.Cut(u, ": ")
		unknown[order] = true
	}
	var batch []*tracemodel.Projection
	for _, p := range sum.Projections {
		if !unknown[p.Order] {
			batch = append(batch, p)
		}
	}
	start := time.Now()
	run, err := tracetlc.ValidateAll(ctx, t.tlc, t.spec, configBug(sum.Config), batch)
	tool := tracemodel.Tool{Tool: "tlc", Orders: len(batch), Unknown: len(sum.Unknown), Seconds: time.Since(start).Seconds(), Version: <-version}
	if err != nil {
		tool.Result = "unknown"
		tool.Note = "TLC failed: " + oneLine(err)
		return tool
	}
	for _, v := range run.Results {
		g, goRejects := goRej[v.Order]
		if v.Verdict == tracetlc.Accepted {
			tool.Accepted++
		} else {
			tool.Rejected++
			tool.RejectedAt = append(tool.RejectedAt, tracemodel.StepRef{Order: v.Order, Step: v.Step, Index: v.Index})
		}
		if d := disagreement(v, g, goRejects); d != "" {
			tool.Disagree = append(tool.Disagree, d)
		}
	}
	tool.Result = "accepted"
	if tool.Rejected > 0 {
		tool.Result = "rejected"
	}
	tool.Note = tlcNote(sum, tool)
	return tool
}

// disagreePrefix opens each disagreement, followed by "ORDER: how".
const disagreePrefix = "TLC and the Go model disagree on order "

// disagreement describes how TLC's verdict v on an order differs from the
// Go model's (g when goRejects), or is "" when they agree.
func disagreement(v tracetlc.Result, g tracemodel.Rejection, goRejects bool) string {
	prefix := disagreePrefix + v.Order + ": "
	switch {
	case v.Verdict == tracetlc.Accepted && goRejects:
		return fmt.Sprintf("%sthe Go model rejects it at projected step %d (trace event %d), TLC accepts it", prefix, g.Step, g.Index)
	case v.Verdict != tracetlc.Accepted && !goRejects:
		return fmt.Sprintf("%sthe Go model accepts it, TLC rejects it at projected step %d (trace event %d)", prefix, v.Step, v.Index)
	case goRejects && v.Step != g.Step:
		return fmt.Sprintf("%sthe Go model rejects it at projected step %d (trace event %d), TLC at step %d (trace event %d)",
			prefix, g.Step, g.Index, v.Step, v.Index)
	}
	return ""
}

// tlcNote is TLC's one-line account, in the words of the Go model's.
func tlcNote(sum *tracemodel.Summary, tool tracemodel.Tool) string {
	var b strings.Builder
	by := tool.Version
	if by == "" {
		by = "TLC (version not read)"
	}
	fmt.Fprintf(&b, "%d orders validated against %s config %s by %s: %d accepted, %d rejected",
		tool.Orders, sum.Model, sum.Config, by, tool.Accepted, tool.Rejected)
	if tool.Unknown > 0 {
		fmt.Fprintf(&b, "; %d orders the Go model left unknown not sent", tool.Unknown)
	}
	fmt.Fprintf(&b, " in %.3f s; ", tool.Seconds)
	if len(tool.Disagree) == 0 {
		b.WriteString("agrees with the Go model on every order and first rejected step")
	} else {
		fmt.Fprintf(&b, "DISAGREES with the Go model on %d orders", len(tool.Disagree))
	}
	return b.String()
}

// tlcResult is the checker result of TLC's validation: invalid when TLC
// rejects an order or disagrees with the Go model, unknown when TLC failed.
func tlcResult(sum *tracemodel.Summary, tool tracemodel.Tool, ops []history.Op) checker.Result {
	r := checker.Result{Note: tool.Note}
	if tool.Result == "unknown" {
		r.Valid = checker.Unknown
		return r
	}
	places := placeOpsByKey(ops)
	for _, d := range tool.Disagree {
		order, _, _ := strings.Cut(strings.TrimPrefix(d, disagreePrefix), ": ")
		r.Invalidate(checker.Anomaly{Type: vocab.AnomalyTraceRejected, Key: order, Ops: places[order], Detail: d})
	}
	for i, s := range tool.RejectedAt {
		if i == tlcAnomalyMax {
			r.Invalidate(checker.Anomaly{Type: vocab.AnomalyTraceRejected,
				Detail: fmt.Sprintf("... and %d more orders rejected by TLC", len(tool.RejectedAt)-tlcAnomalyMax)})
			break
		}
		r.Invalidate(checker.Anomaly{Type: vocab.AnomalyTraceRejected, Key: s.Order, Ops: places[s.Order],
			Detail: fmt.Sprintf("order %s: TLC's %s model cannot follow trace event %d (projected step %d)", s.Order, sum.Config, s.Index, s.Step)})
	}
	if r.Valid == checker.Valid && tool.Unknown > 0 {
		r.Valid = checker.Unknown
	}
	return r
}

// finishRun validates a judged run's trace with TLC, then rewrites its
// results.json (the reproduce command with --tlc) and re-renders the report.
func (t *tlcTrace) finishRun(res *results.Results, rec *harness.Recorded, dir string, stdout io.Writer) error {
	if err := t.validate(&checker.Input{Ops: rec.Ops, Trace: rec.Trace}, res, dir, stdout); err != nil {
		return err
	}
	res.Command += " --tlc"
	if err := res.Write(dir); err != nil {
		return err
	}
	return reports.Render(dir)
}

// placeOpsByKey maps each order to the history indices of its place ops.
func placeOpsByKey(ops []history.Op) map[string][]int {
	out := map[string][]int{}
	for i := range ops {
		if ops[i].F == vocab.FPlace {
			out[ops[i].Key] = append(out[ops[i].Key], i)
		}
	}
	return out
}

// configBug is the bug switch of a spec/tla config name.
func configBug(config string) string {
	if config == tracemodel.ConfigName("") {
		return ""
	}
	return config
}

// addChecker sets one checker's result in res and recomputes the verdict
// and the anomaly types.
func addChecker(res *results.Results, name string, r checker.Result) {
	if res.Checkers == nil {
		res.Checkers = map[string]checker.Result{}
	}
	if _, ok := res.Checkers[name]; !ok {
		res.Order = append(res.Order, name)
	}
	res.Checkers[name] = r
	rep := checker.Report{Valid: checker.Valid, Checkers: res.Checkers}
	for _, c := range res.Checkers {
		rep.Valid = checker.Merge(rep.Valid, c.Valid)
	}
	res.Valid, res.Anomalies = rep.Valid, rep.AnomalyTypes()
}

// tlcUnavailable reports a missing TLC (or spec/) for --tlc: exit 69.
func tlcUnavailable(cmd string, err error, stderr io.Writer) int {
	if !errors.Is(err, formal.ErrUnavailable) {
		fmt.Fprintf(stderr, "jepsen-lite %s: --tlc: %s\n", cmd, oneLine(err))
		return exitInternal
	}
	fmt.Fprintf(stderr, "jepsen-lite %s: --tlc: %v\n", cmd, err)
	return exitUnavailable
}
