package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// Bounds of summary.md: a pull-request comment is read on a phone between
// other comments; it says what failed and how to rerun it, the page has the rest.
const (
	summaryAnomaliesMax = 10
	summaryNoteMax      = 120 // characters of a checker's note in the table
)

// WriteSummary writes summary.md, meant as a pull-request comment: the
// verdict as a status word on the first line, the run's configuration, a
// table of checkers (most serious first), the first anomalies and the
// reproduce command in a code block.
func WriteSummary(w io.Writer, r results.Results) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", statusWord(r.Valid))
	if len(r.Anomalies) > 0 {
		fmt.Fprintf(&b, " (%s)", md(strings.Join(r.Anomalies, ", ")))
	}
	fmt.Fprintf(&b, " · jepsen-lite seed %d · bug %s · nemesis %s\n\n", r.Seed, md(orNone(r.Bug)), md(listOr(r.Nemesis, "none")))
	fmt.Fprintf(&b, "%d ops: %d ok, %d fail, %d info.\n\n", r.Stats.Ops, r.Stats.OK, r.Stats.Fail, r.Stats.Info)

	cs := orderedCheckers(r)
	b.WriteString("| checker | verdict | anomalies | note |\n|---|---|---:|---|\n")
	for _, c := range cs {
		note := c.Note
		if c.Valid == verdict.Invalid {
			note = typeCounts(c.Anomalies)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", md(c.Name), statusWord(c.Valid), len(c.Anomalies), md(clip(note, summaryNoteMax)))
	}

	total := 0
	for _, c := range cs {
		total += len(c.Anomalies)
	}
	if total > 0 {
		b.WriteString("\n**First anomalies**\n\n")
		shown := 0
		for _, a := range firstAnomalies(cs, summaryAnomaliesMax) {
			fmt.Fprintf(&b, "- %s: %s\n", md(a.checker), md(anomalyLine(a.Anomaly)))
			shown++
		}
		if total > shown {
			fmt.Fprintf(&b, "\n%d more in report.html and results.json.\n", total-shown)
		}
	}
	if r.Command != "" {
		fence := codeFence(r.Command)
		fmt.Fprintf(&b, "\nReproduce:\n\n%ssh\n%s\n%s\n", fence, r.Command, fence)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("%s: %v", SummaryFile, err)
	}
	return nil
}

type namedAnomaly struct {
	checker string
	verdict.Anomaly
}

// firstAnomalies picks up to n anomalies, most serious checker first,
// taking them round-robin over (checker, type) groups so that one checker
// with a hundred findings does not hide another's single one.
func firstAnomalies(cs []checker, n int) []namedAnomaly {
	gs := groupAnomalies(cs, n)
	var out []namedAnomaly
	for i := 0; len(out) < n; i++ {
		added := false
		for _, g := range gs {
			if i < len(g.Shown) && len(out) < n {
				out = append(out, namedAnomaly{g.Checker, g.Shown[i]})
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// mdEscaper keeps text from results.json (checker notes, anomaly details
// that quote history values) from being read as markdown or HTML: a
// detail with a "|" would otherwise break the table, one with "<" could
// hide text in a rendered comment.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "#", `\#`,
)

// md escapes s for markdown and keeps it on one line.
func md(s string) string { return mdEscaper.Replace(strings.Join(strings.Fields(s), " ")) }

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// codeFence is a backtick fence longer than any backtick run in s, so a
// command cannot close its own code block.
func codeFence(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
