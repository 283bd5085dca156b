package reports

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Geometry of every plot, in SVG user units. All plots share the left
// padding so their time axes line up when the page is scrolled: a fault
// window sits at the same x in every plot.
const (
	plotW, plotH = 960.0, 260.0 // plotH is the default height
	padL, padR   = 96.0, 16.0
	padT, padB   = 10.0, 40.0
)

// chart is one inline SVG plot over the run's time axis (seconds of run
// time) with the fault windows shaded. Series are added with line, steps
// and scatter; svg renders it. Every string drawn is escaped here, since
// the result is handed to html/template as trusted markup.
type chart struct {
	id     string  // unique in the page: the SVG's id and its clip path's
	h      float64 // height, plotH unless the plot needs room (lanes)
	label  string  // accessible name
	xMax   float64 // seconds
	yLabel string
	logY   bool
	intY   bool // the y values are counts: no fractional ticks
	yMin   float64
	yMax   float64
	faults []window
	finalS float64 // start of the final reads in seconds, < 0 when none
	// lanes, when set, replaces the y axis by labelled horizontal lanes
	// (the fault schedule) drawn top to bottom.
	lanes []lane
	laneH float64 // height of one lane
	body  strings.Builder
}

func (c *chart) px(s float64) float64 { return padL + s/c.xMax*(plotW-padL-padR) }

func (c *chart) py(v float64) float64 {
	h := c.h - padT - padB
	if c.logY {
		v = math.Max(v, c.yMin)
		return c.h - padB - (math.Log10(v)-math.Log10(c.yMin))/(math.Log10(c.yMax)-math.Log10(c.yMin))*h
	}
	return c.h - padB - (v-c.yMin)/(c.yMax-c.yMin)*h
}

// f1 formats a coordinate: a tenth of a unit is finer than a pixel and
// keeps the markup small.
func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// line draws vals (one per bucket) through the bucket centres.
func (c *chart) line(vals []float64, tl timeline, color string) {
	fmt.Fprintf(&c.body, `<polyline class="series" fill="none" stroke="%s" stroke-width="1.5" points="`, color)
	for b, v := range vals {
		t := (float64(b) + 0.5) * float64(tl.bucketNS) / 1e9
		fmt.Fprintf(&c.body, "%s,%s ", f1(c.px(t)), f1(c.py(v)))
	}
	c.body.WriteString("\"/>\n")
}

// steps draws vals as a step function, each bucket's value held across it:
// right for gauges and counts, which have no meaning between buckets.
func (c *chart) steps(vals []float64, tl timeline, color string) {
	fmt.Fprintf(&c.body, `<polyline class="series" fill="none" stroke="%s" stroke-width="1.5" points="`, color)
	for b, v := range vals {
		x0 := c.px(float64(b) * float64(tl.bucketNS) / 1e9)
		x1 := c.px(math.Min(float64(b+1)*float64(tl.bucketNS)/1e9, c.xMax))
		y := f1(c.py(v))
		fmt.Fprintf(&c.body, "%s,%s %s,%s ", f1(x0), y, f1(x1), y)
	}
	c.body.WriteString("\"/>\n")
}

// Point shapes of the latency plot, one per f, as Jepsen's latency plots
// tell fs apart by shape and outcomes by color.
const shapesN = 5

// shapeAttrs are the attributes of a path of dots of one shape.
func shapeAttrs(shape int, color string) string {
	switch shape % shapesN {
	case 0:
		return fmt.Sprintf(`fill="none" stroke="%s" stroke-width="4" stroke-linecap="round"`, color)
	case 1:
		return fmt.Sprintf(`fill="none" stroke="%s" stroke-width="4" stroke-linecap="square"`, color)
	case 4:
		return fmt.Sprintf(`fill="none" stroke="%s" stroke-width="1.3"`, color)
	}
	return fmt.Sprintf(`fill="%s" stroke="none"`, color)
}

// shapeAt is the path data of one dot centred on (x, y). A whole series is
// one <path>: a 100k-op run draws ~20k dots, and one element per dot would
// make the page several times larger and slower to lay out.
func shapeAt(shape int, x, y float64) string {
	switch shape % shapesN {
	case 0, 1: // a zero-length segment drawn with a round or square cap
		return "M" + f1(x) + " " + f1(y) + "h0"
	case 2: // triangle
		return "M" + f1(x) + " " + f1(y-3) + "l3 5h-6z"
	case 3: // diamond
		return "M" + f1(x) + " " + f1(y-3) + "l3 3-3 3-3-3z"
	}
	return "M" + f1(x-2.5) + " " + f1(y-2.5) + "l5 5m0-5l-5 5" // cross
}

// scatter draws points (seconds, y) as one path of one shape and color.
func (c *chart) scatter(xs, ys []float64, shape int, color string, opacity float64) {
	fmt.Fprintf(&c.body, `<path class="series" opacity="%.2f" %s d="`, opacity, shapeAttrs(shape, color))
	for i := range xs {
		c.body.WriteString(shapeAt(shape, c.px(xs[i]), c.py(ys[i])))
	}
	c.body.WriteString("\"/>\n")
}

// icon is a legend swatch for a shape, a line or a shaded area.
func icon(kind string, shape int, color string) template.HTML {
	var inner string
	switch kind {
	case "shape":
		inner = fmt.Sprintf(`<path %s d="%s"/>`, shapeAttrs(shape, color), shapeAt(shape, 7, 7))
	case "area":
		inner = fmt.Sprintf(`<rect x="1" y="1" width="12" height="12" fill="%s" fill-opacity="0.35" stroke="%s"/>`, color, color)
	default:
		inner = fmt.Sprintf(`<path d="M1 7h12" stroke="%s" stroke-width="2"/>`, color)
	}
	return template.HTML(`<svg class="icon" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">` + inner + `</svg>`)
}

// svg renders the chart: grid and y ticks, shaded fault windows, the
// final-reads marker, the series, then the axes on top.
func (c *chart) svg() template.HTML {
	var b strings.Builder
	id := esc(c.id)
	fmt.Fprintf(&b, `<svg id="%s" class="plot" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`+"\n",
		id, plotW, c.h, plotW, c.h, esc(c.label))
	fmt.Fprintf(&b, `<defs><clipPath id="%s-clip"><rect x="%g" y="%g" width="%g" height="%g"/></clipPath></defs>`+"\n",
		id, padL, padT, plotW-padL-padR, c.h-padT-padB)
	if c.lanes != nil {
		c.laneGrid(&b)
	} else {
		c.yGrid(&b)
	}
	c.shadeFaults(&b, padT, c.h-padB)
	if c.finalS >= 0 {
		x := f1(c.px(c.finalS))
		fmt.Fprintf(&b, `<line class="final" x1="%s" x2="%s" y1="%g" y2="%g"/><text class="final" x="%s" y="%g">final reads</text>`+"\n",
			x, x, padT, c.h-padB, x, padT+10)
	}
	fmt.Fprintf(&b, `<g clip-path="url(#%s-clip)">`+"\n%s</g>\n", id, c.body.String())
	c.xAxis(&b)
	if c.yLabel != "" {
		fmt.Fprintf(&b, `<text class="label" transform="translate(14 %g) rotate(-90)" text-anchor="middle">%s</text>`+"\n",
			padT+(c.h-padT-padB)/2, esc(c.yLabel))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// shadeFaults draws each fault window as a translucent band over [y0, y1]
// in its fault's color, with a tooltip naming fault, target and times.
func (c *chart) shadeFaults(b *strings.Builder, y0, y1 float64) {
	fmt.Fprintf(b, `<g class="faults" clip-path="url(#%s-clip)">`+"\n", esc(c.id))
	for _, w := range c.faults {
		c.faultRect(b, w, y0, y1-y0, 0.12)
	}
	b.WriteString("</g>\n")
}

// faultRect draws one window; opacity is low behind data (overlapping
// windows must not hide the points) and high in the schedule plot itself.
func (c *chart) faultRect(b *strings.Builder, w window, y, h, opacity float64) {
	x0, x1 := c.px(float64(w.Start)/1e9), c.px(float64(w.Stop)/1e9)
	fmt.Fprintf(b, `<rect class="fault" data-fault="%s" x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="%.2f"><title>%s %s: %s–%s s</title></rect>`+"\n",
		esc(w.Fault), f1(x0), f1(y), f1(math.Max(x1-x0, 1)), f1(h), faultColor(w.Fault), opacity,
		esc(w.Fault), esc(w.Target), seconds(w.Start), seconds(w.Stop))
}

// yGrid draws the horizontal grid lines and the y tick labels.
func (c *chart) yGrid(b *strings.Builder) {
	var ticks []float64
	dec := 0
	if c.logY {
		lo, hi := math.Log10(c.yMin), math.Log10(c.yMax)
		every := math.Max(1, math.Ceil((hi-lo)/6))
		for e := lo; e <= hi+1e-9; e += every {
			ticks = append(ticks, math.Pow(10, e))
		}
	} else {
		step := niceStep(c.yMax-c.yMin, 5)
		if c.intY {
			step = math.Max(step, 1)
		}
		dec = decimals(step)
		for i := 0.0; c.yMin+i*step <= c.yMax+step*1e-9; i++ {
			ticks = append(ticks, c.yMin+i*step)
		}
	}
	b.WriteString(`<g class="grid">` + "\n")
	for _, v := range ticks {
		y := f1(c.py(v))
		fmt.Fprintf(b, `<line x1="%g" x2="%g" y1="%s" y2="%s"/><text x="%g" y="%s" text-anchor="end" dy="0.32em">%s</text>`+"\n",
			padL, plotW-padR, y, y, padL-6, y, tickText(v, c.logY, dec))
	}
	b.WriteString("</g>\n")
}

// laneLabelMax bounds a lane label to what fits left of the plot; the
// label's tooltip has the full name.
const laneLabelMax = 14

// lane is one row of the fault schedule: a target, colored by its fault.
type lane struct{ Fault, Target string }

// laneGrid labels the lanes with their target in their fault's color (the
// legend names the faults) and separates them with grid lines.
func (c *chart) laneGrid(b *strings.Builder) {
	b.WriteString(`<g class="grid">` + "\n")
	for i, l := range c.lanes {
		y := padT + float64(i)*c.laneH
		short := l.Target
		if r := []rune(short); len(r) > laneLabelMax {
			short = string(r[:laneLabelMax-1]) + "…"
		}
		fmt.Fprintf(b, `<line x1="%g" x2="%g" y1="%s" y2="%s"/><text class="lane" x="%g" y="%s" text-anchor="end" dy="0.32em" style="fill:%s">%s<title>%s %s</title></text>`+"\n",
			padL, plotW-padR, f1(y), f1(y), padL-6, f1(y+c.laneH/2), faultColor(l.Fault), esc(short), esc(l.Fault), esc(l.Target))
	}
	b.WriteString("</g>\n")
}

// xAxis draws the time axis with round ticks in seconds and its label.
func (c *chart) xAxis(b *strings.Builder) {
	y := c.h - padB
	fmt.Fprintf(b, `<g class="axis"><line x1="%g" x2="%g" y1="%g" y2="%g"/><line x1="%g" x2="%g" y1="%g" y2="%g"/>`+"\n",
		padL, plotW-padR, y, y, padL, padL, padT, y)
	step := niceStep(c.xMax, 10)
	for i := 0.0; i*step <= c.xMax+step*1e-9; i++ {
		s := i * step
		x := f1(c.px(s))
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%g" y2="%g"/><text x="%s" y="%g" text-anchor="middle">%s</text>`+"\n",
			x, x, y, y+4, x, y+16, strconv.FormatFloat(s, 'f', decimals(step), 64))
	}
	fmt.Fprintf(b, `<text class="label" x="%g" y="%g" text-anchor="middle">run time (s)</text></g>`+"\n",
		padL+(plotW-padL-padR)/2, c.h-6)
}

// niceStep is a 1-2-5 step that cuts span into about n intervals.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// niceCeil rounds v up to a whole number of niceStep(v, 5), so the top
// grid line is the top of the plot.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	s := niceStep(v, 5)
	return math.Ceil(v/s-1e-9) * s
}

// decimals is how many decimals show a multiple of step exactly.
func decimals(step float64) int { return max(0, int(math.Ceil(-math.Log10(step)-1e-9))) }

// tickText labels a y tick: a decade of a log axis with the decimals it
// needs (0.01, 1, 1000: never 1e+03), a linear tick with dec decimals.
func tickText(v float64, log bool, dec int) string {
	if log {
		return strconv.FormatFloat(v, 'f', max(0, int(-math.Floor(math.Log10(v)+1e-9))), 64)
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// esc escapes text for SVG markup inside the HTML page.
func esc(s string) string { return template.HTMLEscapeString(s) }
