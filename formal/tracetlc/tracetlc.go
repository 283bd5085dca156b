// Package tracetlc validates projected traces (checker/tracemodel) with
// TLC through spec/tla/trace/OrderSagaTrace.tla: the second tool beside the
// Go model. All orders of a trace go to one TLC run (one JVM), each as an
// independent instance of the model. It sits in formal/ (it runs an
// external tool); tests skip when TLC is not installed.
package tracetlc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/formal"
)

// Verdicts of one projected trace.
const (
	Accepted = "accepted"
	Rejected = "rejected"
	Error    = "error"
)

// Result is TLC's verdict on one projected trace.
type Result struct {
	Order   string
	Verdict string // Accepted or Rejected
	// Step, when rejected, is the index in Projection.Steps of the first
	// step TLC could not match (the largest l TLC reached, minus one): the
	// same index as tracemodel.Verdict.Step.
	Step int
	// Index is that step's position in the run's trace (Obs.Index; -1 for
	// a step from the history).
	Index int
}

// Run is one TLC run over a batch of projected traces.
type Run struct {
	Results []Result // one per projection, in order
	States  int      // distinct states TLC found over all of them
}

var (
	reachedRe = regexp.MustCompile(`(?m)^<<"reached", (\d+), (\d+)>>$`)
	statesRe  = regexp.MustCompile(`([\d,]+) distinct states found`)
)

// Validate runs TLC on one order's projected trace against the model with
// bug switch bug ("" = correct); specDir is the repository's spec/
// directory. It returns Accepted or Rejected, or Error with the error.
func Validate(ctx context.Context, tlc *formal.TLC, specDir, bug string, p *tracemodel.Projection) (string, error) {
	r, err := ValidateAll(ctx, tlc, specDir, bug, []*tracemodel.Projection{p})
	if err != nil {
		return Error, err
	}
	return r.Results[0].Verdict, nil
}

// ValidateAll runs TLC once on every projection (WriteTLC writes them as
// the segments of one file). TLC explores each segment's trace-spec states
// to the end and prints the largest trace position it reached per segment
// (the postcondition Reached): a segment whose every step was matched is
// accepted, any other is rejected at the first step TLC could not match.
// A TLC failure (or output without a position for every segment) is an
// error with TLC's last lines.
func ValidateAll(ctx context.Context, tlc *formal.TLC, specDir, bug string, ps []*tracemodel.Projection) (Run, error) {
	if len(ps) == 0 {
		return Run{}, nil
	}
	dir, err := os.MkdirTemp("", "tracetlc-")
	if err != nil {
		return Run{}, err
	}
	defer os.RemoveAll(dir)
	for src, dst := range map[string]string{
		filepath.Join(specDir, "tla", "OrderSaga.tla"):               "OrderSaga.tla",
		filepath.Join(specDir, "tla", "trace", "OrderSagaTrace.tla"): "OrderSagaTrace.tla",
		filepath.Join(specDir, "tla", "trace", "OrderSagaTrace.cfg"): "OrderSagaTrace.cfg",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			return Run{}, err
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			return Run{}, err
		}
	}
	var tr bytes.Buffer
	if err := tracemodel.WriteTLC(&tr, bug, ps...); err != nil {
		return Run{}, err
	}
	tracePath := filepath.Join(dir, "trace.ndjson")
	if err := os.WriteFile(tracePath, tr.Bytes(), 0o644); err != nil {
		return Run{}, err
	}
	cp := tlc.Jar
	if tlc.CommunityJar != "" {
		cp += string(os.PathListSeparator) + tlc.CommunityJar
	}
	// One worker: the per-segment positions live in TLC registers, which
	// are per worker. C1 only (TieredStopAtLevel=1): a trace's state space
	// is small, so JIT warm-up dominates; it halves the run (3.0 -> 1.7 s
	// on a 1k-event trace, 5.8 -> 2.9 s on 8.6k events).
	cmd := exec.CommandContext(ctx, tlc.Java, "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1", "-cp", cp, "tlc2.TLC",
		"-config", "OrderSagaTrace.cfg", "-workers", "1", "-deadlock", "-noGenerateSpecTE",
		"-metadir", filepath.Join(dir, "states"), "OrderSagaTrace.tla")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TRACE_FILE="+tracePath)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return Run{}, fmt.Errorf("TLC exit %d: %s", ee.ExitCode(), formal.LastLines(string(out), 8))
	} else if err != nil {
		return Run{}, err
	}
	return parse(string(out), ps)
}

// parse reads TLC's output: a position for every segment, and the state
// count.
func parse(out string, ps []*tracemodel.Projection) (Run, error) {
	reached := make([]int, len(ps))
	for _, m := range reachedRe.FindAllStringSubmatch(out, -1) {
		s, _ := strconv.Atoi(m[1])
		l, _ := strconv.Atoi(m[2])
		if s < 1 || s > len(ps) || reached[s-1] != 0 {
			return Run{}, fmt.Errorf("TLC output: unexpected %s", m[0])
		}
		reached[s-1] = l
	}
	r := Run{Results: make([]Result, len(ps))}
	for i, p := range ps {
		l := reached[i]
		if l < 1 || l > len(p.Steps)+1 {
			return Run{}, fmt.Errorf("order %s (segment %d): TLC reached position %d of %d steps: %s",
				p.Order, i+1, l, len(p.Steps), formal.LastLines(out, 8))
		}
		r.Results[i] = Result{Order: p.Order, Verdict: Accepted}
		if l <= len(p.Steps) {
			r.Results[i] = Result{Order: p.Order, Verdict: Rejected, Step: l - 1, Index: p.Steps[l-1].Index}
		}
	}
	r.States = finalStates(out)
	return r, nil
}

// finalStates is the distinct-state count of TLC's last report (its
// progress lines come first and print thousands with commas); 0 if none.
func finalStates(out string) int {
	all := statesRe.FindAllStringSubmatch(out, -1)
	if len(all) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(all[len(all)-1][1], ",", ""))
	return n
}
