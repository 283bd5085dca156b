package reports

import (
	"cmp"
	"math"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Bounds that keep the page's size independent of the run's length.
const (
	bucketsMax      = 300  // time buckets of every rate and gauge plot
	pointsPerSeries = 2000 // scatter points per (f, outcome) series
)

// timeline is the shared x axis: [0, spanNS] cut into n buckets of
// bucketNS, a 1-2-5 round number so that "per 10 ms" reads naturally.
type timeline struct {
	spanNS   int64
	bucketNS int64
	n        int
}

func newTimeline(spanNS int64) timeline {
	spanNS = max(spanNS, 1)
	b := niceNS((spanNS + bucketsMax - 1) / bucketsMax)
	return timeline{spanNS: spanNS, bucketNS: b, n: int((spanNS + b - 1) / b)}
}

// niceNS rounds ns up to 1, 2 or 5 times a power of ten.
func niceNS(ns int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if m*p >= ns {
				return m * p
			}
		}
	}
}

// bucket is the bucket of time t, clamped into the axis.
func (tl timeline) bucket(t int64) int { return min(max(int(t/tl.bucketNS), 0), tl.n-1) }

// spanOf is the run's length: the latest time any input mentions.
func spanOf(run *Run) int64 {
	span := run.Results.Stats.VirtualNS
	for _, op := range run.Ops {
		span = max(span, op.Time)
	}
	for _, e := range run.Trace {
		span = max(span, e.Time)
	}
	for _, w := range run.Results.Schedule {
		span = max(span, int64(w.Stop))
	}
	return span
}

// window is one fault window in nanoseconds of run time.
type window struct {
	Fault, Target string
	Start, Stop   int64
}

// faultWindows are the fault windows as they happened: from the history's
// nemesis ops, else the trace's fault events, else results.json's schedule.
// The schedule is the plan drawn from the seed and can hold windows the
// final heal cut short or never opened (seen in seed 7: 60 planned, 48 run),
// so it comes last. A window never closed lasts to the end of the run.
func faultWindows(run *Run, spanNS int64) []window {
	var edges []window // Stop < 0 marks a start edge, Start < 0 a stop edge
	for _, op := range run.Ops {
		if !op.IsClient() && op.Value != nil && (op.Value.Edge == vocab.EdgeStart || op.Value.Edge == vocab.EdgeStop) {
			edges = append(edges, edgeOf(op.Value.Fault, op.Value.Target, op.Value.Edge, op.Time))
		}
	}
	if len(edges) == 0 {
		for _, e := range run.Trace {
			if e.Kind == trace.KindFault && (e.Edge == vocab.EdgeStart || e.Edge == vocab.EdgeStop) {
				edges = append(edges, edgeOf(e.Fault, e.Target, e.Edge, e.Time))
			}
		}
	}
	if len(edges) > 0 {
		return pairEdges(edges, spanNS)
	}
	var out []window
	for _, w := range run.Results.Schedule {
		out = append(out, window{w.Fault, w.Target, int64(w.Start), int64(w.Stop)})
	}
	return out
}

func edgeOf(fault, target, edge string, t int64) window {
	if edge == vocab.EdgeStart {
		return window{fault, target, t, -1}
	}
	return window{fault, target, -1, t}
}

// pairEdges matches each stop with the earliest open start of the same
// fault and target: windows of one fault on one target can overlap, and
// matching the latest start would leave the earlier one open to the end.
func pairEdges(edges []window, spanNS int64) []window {
	var out []window
	open := map[[2]string][]int{} // indices in out of open windows, oldest first
	for _, e := range edges {
		k := [2]string{e.Fault, e.Target}
		if e.Start >= 0 {
			open[k] = append(open[k], len(out))
			out = append(out, window{e.Fault, e.Target, e.Start, spanNS})
			continue
		}
		if q := open[k]; len(q) > 0 {
			out[q[0]].Stop = e.Stop
			open[k] = q[1:]
		}
	}
	return out
}

// finalNS is when the final-reads phase began, -1 when the history has none.
func finalNS(ops []history.Op) int64 {
	for _, op := range ops {
		if !op.IsClient() && op.Value != nil && op.Value.Fault == vocab.MarkFinal {
			return op.Time
		}
	}
	return -1
}

// outcomes are the completion types in drawing order: the rare, telling
// ones last so they are drawn on top of the thousands of ok points.
var outcomes = []string{vocab.TypeOK, vocab.TypeInfo, vocab.TypeFail}

// latencyPoint is one completed op: invoke time and latency in nanoseconds.
type latencyPoint struct{ t, lat int64 }

// latencySeries is the points of one (f, outcome) pair.
type latencySeries struct {
	F, Outcome string
	Total      int // points before sampling
	Points     []latencyPoint
}

// latencies groups completed client ops by f and outcome (f in order of
// first appearance), sampled to pointsPerSeries each. Ops that never
// completed have no latency and are counted in the return value instead.
func latencies(ops []history.Op) (series []latencySeries, open int) {
	at := map[[2]string]int{}
	for _, p := range history.Pairs(ops) {
		if p.Completion == nil {
			open++
			continue
		}
		k := [2]string{p.Invoke.F, p.Completion.Type}
		i, ok := at[k]
		if !ok {
			i = len(series)
			at[k] = i
			series = append(series, latencySeries{F: k[0], Outcome: k[1]})
		}
		series[i].Points = append(series[i].Points, latencyPoint{p.Invoke.Time, p.Completion.Time - p.Invoke.Time})
	}
	for i := range series {
		series[i].Total = len(series[i].Points)
		series[i].Points = sample(series[i].Points, pointsPerSeries)
	}
	return series, open
}

// sample keeps at most n points: the slowest op of each of n/4 time slices
// (so the latency envelope survives, as in Jepsen's plots) and an even
// stride of the rest. It is deterministic: the same run gives the same page.
func sample(ps []latencyPoint, n int) []latencyPoint {
	if len(ps) <= n {
		return ps
	}
	slices.SortStableFunc(ps, func(a, b latencyPoint) int { return cmp.Compare(a.t, b.t) })
	keep := make([]bool, len(ps))
	slicesN := n / 4
	for s := range slicesN {
		lo, hi := s*len(ps)/slicesN, (s+1)*len(ps)/slicesN
		best := lo
		for i := lo; i < hi; i++ {
			if ps[i].lat > ps[best].lat {
				best = i
			}
		}
		keep[best] = true
	}
	stride := float64(len(ps)) / float64(n-slicesN)
	for k := 0.0; int(k) < len(ps); k += stride {
		keep[int(k)] = true
	}
	out := make([]latencyPoint, 0, n)
	for i, p := range ps {
		if keep[i] && len(out) < n {
			out = append(out, p)
		}
	}
	return out
}

// throughput counts completions per bucket by outcome, in ops per second.
func throughput(ops []history.Op, tl timeline) map[string][]float64 {
	out := map[string][]float64{}
	for _, o := range outcomes {
		out[o] = make([]float64, tl.n)
	}
	perSec := 1e9 / float64(tl.bucketNS)
	for _, p := range history.Pairs(ops) {
		if p.Completion != nil && out[p.Completion.Type] != nil {
			out[p.Completion.Type][tl.bucket(p.Completion.Time)] += perSec
		}
	}
	return out
}

// eventCounts counts the trace events per bucket that match.
func eventCounts(events []trace.Event, tl timeline, match func(*trace.Event) bool) []float64 {
	out := make([]float64, tl.n)
	for i := range events {
		if match(&events[i]) {
			out[tl.bucket(events[i].Time)]++
		}
	}
	return out
}

// cumulative turns per-bucket counts into a running total.
func cumulative(xs []float64) []float64 {
	out := make([]float64, len(xs))
	sum := 0.0
	for i, x := range xs {
		sum += x
		out[i] = sum
	}
	return out
}

// peak is the largest value of xs, 0 for none.
func peak(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}
