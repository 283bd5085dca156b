package reports

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"slices"
	"time"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// plotView is one plot of the page: its SVG, legend and caption, or Empty
// saying why there is nothing to draw (never a blank chart that reads as "zero").
type plotView struct {
	ID, Title, Caption string
	SVG                template.HTML
	Legend             []legendItem
	Empty              string
}

type legendItem struct {
	Icon  template.HTML
	Label string
}

// Colors. Outcomes follow Jepsen's convention (ok blue, info orange, fail
// red-pink); each fault kind has its own hue so windows of different faults
// can be told apart where they overlap.
var (
	outcomeColor = map[string]string{vocab.TypeOK: "#3b7dd8", vocab.TypeInfo: "#e69f00", vocab.TypeFail: "#d6336c"}
	faultColors  = map[string]string{vocab.FaultCrash: "#d62728", vocab.FaultPartition: "#9467bd",
		vocab.FaultDelay: "#ff7f0e", vocab.FaultReorder: "#17becf", vocab.FaultDuplicate: "#8c564b"}
	palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#9c755f"}
)

// faultColor is a fault's hue; an unknown fault gets one from its name, so
// it is the same in every plot and on every render.
func faultColor(f string) string {
	if c, ok := faultColors[f]; ok {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(f))
	return palette[h.Sum32()%uint32(len(palette))]
}

// plotter holds what every plot shares: the time axis, fault windows and
// the final-reads marker.
type plotter struct {
	run    *Run
	tl     timeline
	faults []window
	finalS float64
}

func newPlotter(run *Run) *plotter {
	span := spanOf(run)
	p := &plotter{run: run, tl: newTimeline(span), faults: faultWindows(run, span), finalS: -1}
	if f := finalNS(run.Ops); f >= 0 {
		p.finalS = float64(f) / 1e9
	}
	return p
}

func (p *plotter) chart(id, label, yLabel string) *chart {
	return &chart{id: id, label: label, h: plotH, xMax: float64(int64(p.tl.n)*p.tl.bucketNS) / 1e9, yLabel: yLabel,
		yMin: 0, yMax: 1, faults: p.faults, finalS: p.finalS}
}

// faultLegend lists the fault kinds present, in vocab.Faults order first.
func (p *plotter) faultLegend() []legendItem {
	var kinds []string
	for _, w := range p.faults {
		if !slices.Contains(kinds, w.Fault) {
			kinds = append(kinds, w.Fault)
		}
	}
	slices.SortStableFunc(kinds, func(a, b string) int { return faultRank(a) - faultRank(b) })
	out := make([]legendItem, len(kinds))
	for i, k := range kinds {
		out[i] = legendItem{icon("area", 0, faultColor(k)), k + " (fault)"}
	}
	return out
}

func faultRank(f string) int {
	if i := slices.Index(vocab.Faults, f); i >= 0 {
		return i
	}
	return len(vocab.Faults)
}

// plots builds every plot of the page in reading order.
func (p *plotter) plots() []plotView {
	out := []plotView{p.faultsPlot(), p.latencyPlot(), p.throughputPlot()}
	if !p.run.HasTrace {
		for _, t := range []string{"Consumer lag", "Retries and conflicts", "Dead-letter queue"} {
			out = append(out, plotView{Title: t, Empty: "No trace.ndjson in the run directory: the system's internal events were not recorded."})
		}
		return out
	}
	return append(out, p.lagPlot(), p.retriesPlot(), p.dlqPlot())
}

// faultsPlot is the schedule as lanes, one per fault and target.
func (p *plotter) faultsPlot() plotView {
	v := plotView{ID: "plot-faults", Title: "Fault schedule"}
	if len(p.faults) == 0 {
		v.Empty = "No fault windows: the run had no nemesis."
		return v
	}
	var lanes []lane
	laneOf := map[[2]string]int{}
	ws := slices.Clone(p.faults)
	slices.SortStableFunc(ws, func(a, b window) int { return faultRank(a.Fault) - faultRank(b.Fault) })
	for _, w := range ws {
		k := [2]string{w.Fault, w.Target}
		if _, ok := laneOf[k]; !ok {
			laneOf[k] = len(lanes)
			lanes = append(lanes, lane{w.Fault, w.Target})
		}
	}
	c := p.chart(v.ID, "fault windows over run time", "")
	c.lanes, c.faults = lanes, nil
	// Lanes of 14 to 24 units: a two-window schedule still gets a plot
	// tall enough for its labels, a 25-lane one stays readable.
	c.laneH = min(24, max(14, 96/float64(len(lanes))))
	c.h = padT + padB + c.laneH*float64(len(lanes))
	for _, w := range ws {
		c.faultRect(&c.body, w, padT+float64(laneOf[[2]string{w.Fault, w.Target}])*c.laneH+1, c.laneH-2, 0.6)
	}
	v.SVG, v.Legend = c.svg(), p.faultLegend()
	v.Caption = fmt.Sprintf("%d fault windows; every plot below shades them in the same colors. Hover a window for its target and times.", len(p.faults))
	return v
}

// latencyPlot is Jepsen's latency-raw: each completed op at its invoke
// time, its latency on a log scale, color by outcome, shape by f.
func (p *plotter) latencyPlot() plotView {
	v := plotView{ID: "plot-latency", Title: "Latency"}
	series, open := latencies(p.run.Ops)
	lo, hi, total, shown := math.Inf(1), 0.0, 0, 0
	for _, s := range series {
		total += s.Total
		shown += len(s.Points)
		for _, pt := range s.Points {
			if pt.lat > 0 {
				lo = math.Min(lo, float64(pt.lat)/1e6)
			}
			hi = math.Max(hi, float64(pt.lat)/1e6)
		}
	}
	if total == 0 {
		v.Empty = "No completed client operations."
		return v
	}
	c := p.chart(v.ID, "op latency over run time", "latency (ms, log scale)")
	c.logY = true
	if math.IsInf(lo, 1) {
		lo = 1e-3
	}
	c.yMin, c.yMax = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(math.Max(hi, lo))))
	if c.yMax <= c.yMin {
		c.yMax = c.yMin * 10
	}
	var fs []string
	for _, o := range outcomes {
		for _, s := range series {
			if !slices.Contains(fs, s.F) {
				fs = append(fs, s.F)
			}
			if s.Outcome != o {
				continue
			}
			xs, ys := make([]float64, len(s.Points)), make([]float64, len(s.Points))
			for i, pt := range s.Points {
				xs[i], ys[i] = float64(pt.t)/1e9, float64(pt.lat)/1e6
			}
			opacity := 0.9
			if o == "ok" {
				opacity = 0.45
			}
			c.scatter(xs, ys, slices.Index(fs, s.F), outcomeColor[o], opacity)
		}
	}
	for _, o := range outcomes {
		v.Legend = append(v.Legend, legendItem{icon("shape", 0, outcomeColor[o]), o})
	}
	for i, f := range fs {
		v.Legend = append(v.Legend, legendItem{icon("shape", i, "#555"), f})
	}
	v.SVG, v.Legend = c.svg(), append(v.Legend, p.faultLegend()...)
	v.Caption = fmt.Sprintf("Completion time minus invoke time of %d completed ops, at their invoke time.", total)
	if shown < total {
		v.Caption += fmt.Sprintf(" Showing %d sampled points (at most %d per f and outcome, keeping the slowest op of each time slice).", shown, pointsPerSeries)
	}
	if open > 0 {
		v.Caption += fmt.Sprintf(" %d ops never completed and have no latency.", open)
	}
	return v
}

// throughputPlot is Jepsen's rate plot: completions per second by outcome.
func (p *plotter) throughputPlot() plotView {
	v := plotView{ID: "plot-throughput", Title: "Throughput"}
	rates := throughput(p.run.Ops, p.tl)
	c := p.chart(v.ID, "completions per second over run time", "completions (ops/s)")
	for _, o := range outcomes {
		c.yMax = math.Max(c.yMax, niceCeil(peak(rates[o])))
	}
	for _, o := range outcomes {
		if o == vocab.TypeOK || peak(rates[o]) > 0 {
			c.line(rates[o], p.tl, outcomeColor[o])
			v.Legend = append(v.Legend, legendItem{icon("line", 0, outcomeColor[o]), o})
		}
	}
	v.SVG, v.Legend = c.svg(), append(v.Legend, p.faultLegend()...)
	v.Caption = fmt.Sprintf("Client op completions per second in buckets of %v.", time.Duration(p.tl.bucketNS))
	return v
}

func (p *plotter) lagPlot() plotView {
	v := plotView{ID: "plot-lag", Title: "Consumer lag"}
	c := p.chart(v.ID, "consumer lag per service over run time", "records behind")
	c.intY = true
	lags := consumerLag(p.run.Trace, p.tl)
	for _, l := range lags {
		c.yMax = math.Max(c.yMax, niceCeil(peak(l.Values)))
	}
	for i, l := range lags {
		col := palette[i%len(palette)]
		c.steps(l.Values, p.tl, col)
		v.Legend = append(v.Legend, legendItem{icon("line", 0, col), l.Service})
	}
	v.SVG, v.Legend = c.svg(), append(v.Legend, p.faultLegend()...)
	v.Caption = fmt.Sprintf("Per service: records published to the partitions of the topics it consumes that it has not committed yet, from the trace's publish and commit events; the largest value in each %v bucket.", time.Duration(p.tl.bucketNS))
	return v
}

func (p *plotter) retriesPlot() plotView {
	v := plotView{ID: "plot-retries", Title: "Retries and conflicts"}
	per := time.Duration(p.tl.bucketNS)
	c := p.chart(v.ID, "retries and conflicts over run time", fmt.Sprintf("events per %v", per))
	c.intY = true
	retry := eventCounts(p.run.Trace, p.tl, func(e *trace.Event) bool {
		return e.Kind == trace.KindHandle && e.Outcome == trace.OutcomeRetry
	})
	conflict := eventCounts(p.run.Trace, p.tl, func(e *trace.Event) bool { return e.Kind == trace.KindConflict })
	c.yMax = math.Max(niceCeil(peak(retry)), niceCeil(peak(conflict)))
	c.steps(conflict, p.tl, palette[3])
	c.steps(retry, p.tl, palette[4])
	v.Legend = []legendItem{{icon("line", 0, palette[4]), fmt.Sprintf("handler retry (%.0f)", sum(retry))},
		{icon("line", 0, palette[3]), fmt.Sprintf("append conflict (%.0f)", sum(conflict))}}
	v.SVG, v.Legend = c.svg(), append(v.Legend, p.faultLegend()...)
	v.Caption = fmt.Sprintf("Handler outcomes \"retry\" (transient errors, retried with backoff) and appends refused by optimistic concurrency, per %v bucket.", per)
	return v
}

func (p *plotter) dlqPlot() plotView {
	v := plotView{ID: "plot-dlq", Title: "Dead-letter queue"}
	c := p.chart(v.ID, "dead-letter queue size over run time", "dead-lettered events")
	c.intY = true
	dlq := cumulative(eventCounts(p.run.Trace, p.tl, func(e *trace.Event) bool { return e.Kind == trace.KindDLQ }))
	c.yMax = niceCeil(peak(dlq))
	c.steps(dlq, p.tl, palette[0])
	v.Legend = append([]legendItem{{icon("line", 0, palette[0]), "dead letters (cumulative)"}}, p.faultLegend()...)
	v.SVG = c.svg()
	v.Caption = fmt.Sprintf("Events moved to the dead-letter queue so far: %.0f in all.", peak(dlq))
	return v
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}
