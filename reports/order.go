package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// anomaliesPerType caps the anomalies shown per type and checker: the first
// few show the pattern; a thousand identical cards hide it (STYLE.md 7).
const anomaliesPerType = 10

// checker is one checker's result with its name.
type checker struct {
	Name string
	verdict.Result
}

// orderedCheckers lists the checkers most serious first: invalid, then
// unknown, then valid. Within a verdict it keeps results.Order (the order
// the harness chose), then any unlisted name alphabetically, so the report
// is the same on every render.
func orderedCheckers(r results.Results) []checker {
	names := make([]string, 0, len(r.Checkers))
	seen := map[string]bool{}
	for _, n := range r.Order {
		if _, ok := r.Checkers[n]; ok && !seen[n] {
			names, seen[n] = append(names, n), true
		}
	}
	var rest []string
	for n := range r.Checkers {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	slices.Sort(rest)
	names = append(names, rest...)
	out := make([]checker, len(names))
	for i, n := range names {
		out[i] = checker{Name: n, Result: r.Checkers[n]}
	}
	slices.SortStableFunc(out, func(a, b checker) int { return severity(a.Valid) - severity(b.Valid) })
	return out
}

// severity ranks verdicts for sorting, the most serious lowest.
func severity(v verdict.Validity) int {
	switch v {
	case verdict.Invalid:
		return 0
	case verdict.Unknown:
		return 1
	}
	return 2
}

// statusWord is a verdict as the one word reports print.
func statusWord(v verdict.Validity) string { return strings.ToUpper(v.String()) }

// typeGroup is one checker's anomalies of one type, capped for display.
type typeGroup struct {
	Checker string
	Type    string
	Total   int
	Shown   []verdict.Anomaly
}

// More is how many anomalies of the group are not shown.
func (g typeGroup) More() int { return g.Total - len(g.Shown) }

// groupAnomalies splits the anomalies of the ordered checkers by type, in
// the order each type first appears, keeping the first perType of each.
func groupAnomalies(cs []checker, perType int) []typeGroup {
	var out []typeGroup
	for _, c := range cs {
		at := map[string]int{}
		for _, a := range c.Anomalies {
			i, ok := at[a.Type]
			if !ok {
				i = len(out)
				at[a.Type] = i
				out = append(out, typeGroup{Checker: c.Name, Type: a.Type})
			}
			out[i].Total++
			if len(out[i].Shown) < perType {
				out[i].Shown = append(out[i].Shown, a)
			}
		}
	}
	return out
}

// typeCounts renders "91 nonlinearizable, 3 lost-event" for one checker.
func typeCounts(as []verdict.Anomaly) string {
	var types []string
	n := map[string]int{}
	for _, a := range as {
		if n[a.Type] == 0 {
			types = append(types, a.Type)
		}
		n[a.Type]++
	}
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = fmt.Sprintf("%d %s", n[t], t)
	}
	return strings.Join(parts, ", ")
}

// anomalyLine renders one anomaly as a line of text (JUnit, summary).
func anomalyLine(a verdict.Anomaly) string {
	var b strings.Builder
	b.WriteString(a.Type)
	if a.Key != "" {
		fmt.Fprintf(&b, " key=%s", a.Key)
	}
	if len(a.Ops) > 0 {
		fmt.Fprintf(&b, " ops=%v", a.Ops)
	}
	if a.Detail != "" {
		b.WriteString(": ")
		b.WriteString(a.Detail)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// runLabel names the run's configuration: the bug switch or "correct".
func runLabel(r results.Results) string {
	if r.Bug == "" {
		return "correct"
	}
	return r.Bug
}

// listOr joins xs with ", ", or returns none when xs is empty.
func listOr(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, ", ")
}
