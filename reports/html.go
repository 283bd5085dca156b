package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// The page template holds the CSS and the few lines of JS (the copy
// button) inline: the report must open from a CI artifact or a laptop
// without network, so it loads nothing from anywhere.
//
//go:embed page.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

// page is the view model of report.html: every value already a string or
// a number in the form shown, so the template has no logic to get wrong.
type page struct {
	Verdict, VerdictClass string
	AnomalyTypes          string
	Seed                  uint64
	Bug, Nemesis, Bus     string
	Stats                 results.Stats
	Virtual, Wall         string
	Command               string
	Checkers              []checkerRow
	Groups                []groupView
	Visualizations        []link
	Plots                 []plotView
	Marks                 []markRow
	Warnings              []string
	Files                 []link
	Formal                *formalView // formal.json: trace validation against the models
}

type checkerRow struct {
	Name, Verdict, Class string
	Anchor               string // id of its first anomaly section, "" when it has none
	Anomalies            int
	Types, Note          string
	NoteFull             string // the whole note when Note is clipped, for its tooltip
	Files                []link
}

type groupView struct {
	Checker, Type string
	Anchor        string // set on a checker's first section only: ids are unique
	Total, More   int
	Cards         []card
}

type card struct {
	Key, Ops, Detail string
	Rows             []opRow
	Viz              *link
	Open             bool // the first card of a group is unfolded
}

type link struct{ Href, Label string }

type markRow struct {
	Name  string
	Count int
	Never bool
}

// noteMax clips a checker's note in the table: a note listing every dead
// letter would push the anomalies off the first screen.
const noteMax = 240

// WriteHTML writes the self-contained report.html of run to w.
func WriteHTML(w io.Writer, run *Run) error {
	if err := pageTemplate.Execute(w, buildPage(run)); err != nil {
		return fmt.Errorf("%s: %v", HTMLFile, err)
	}
	return nil
}

func buildPage(run *Run) page {
	r := run.Results
	pg := page{Verdict: statusWord(r.Valid), VerdictClass: r.Valid.String(),
		AnomalyTypes: strings.Join(r.Anomalies, ", "), Seed: r.Seed, Bug: orNone(r.Bug),
		Nemesis: listOr(r.Nemesis, "none"), Bus: orNone(r.Bus), Stats: r.Stats, Command: r.Command}
	if r.Stats.VirtualNS > 0 {
		pg.Virtual = time.Duration(r.Stats.VirtualNS).Round(time.Millisecond).String()
	}
	if r.Stats.WallNS > 0 {
		pg.Wall = time.Duration(r.Stats.WallNS).Round(time.Millisecond).String()
	}
	present := presentFiles(run)
	pg.Formal = loadFormal(run.Dir)
	cs := orderedCheckers(r)
	for _, c := range cs {
		row := checkerRow{Name: c.Name, Verdict: statusWord(c.Valid), Class: c.Valid.String(),
			Anomalies: len(c.Anomalies), Types: typeCounts(c.Anomalies), Note: clip(c.Note, noteMax)}
		if row.Note != c.Note {
			row.NoteFull = c.Note
		}
		for _, f := range c.Files {
			l, ok := present(f)
			switch {
			case !ok:
			case isVisualization(f):
				// Listed once above the anomalies and linked from each
				// anomaly of its order, not here: twenty links would bury the note.
				pg.Visualizations = append(pg.Visualizations, l)
			default:
				row.Files = append(row.Files, l)
			}
		}
		pg.Checkers = append(pg.Checkers, row)
	}
	pg.Groups = groups(cs, newOpIndex(run.Ops), present)
	for i := range pg.Checkers {
		if pg.Checkers[i].Anomalies > 0 {
			pg.Checkers[i].Anchor = anchor(pg.Checkers[i].Name)
		}
	}
	pg.Plots = newPlotter(run).plots()
	pg.Marks = marks(r.Marks)
	pg.Warnings = warnings(run)
	for _, f := range []string{ResultsFile, HistoryFile, TraceFile, JUnitFile, SummaryFile} {
		if l, ok := present(f); ok {
			pg.Files = append(pg.Files, l)
		}
	}
	return pg
}

// isVisualization matches porcupine's per-order pages written by the
// linearizability checker: they are linked, never inlined (one is ~30 KB
// and a failing run can have many).
func isVisualization(f string) bool {
	ok, _ := path.Match("linearizable-*.html", f)
	return ok
}

// presentFiles returns a lookup that links a checker's file when it is a
// plain name in the run directory and exists there: a link to a file that
// was never written, or outside the directory, helps nobody.
func presentFiles(run *Run) func(string) (link, bool) {
	return func(f string) (link, bool) {
		if f == "" || filepath.Base(f) != f || strings.ContainsAny(f, `/\`) {
			return link{}, false
		}
		if run.Dir != "" {
			if st, err := os.Stat(filepath.Join(run.Dir, f)); err != nil || !st.Mode().IsRegular() {
				return link{}, false
			}
		}
		return link{Href: f, Label: f}, true
	}
}

// groups builds the anomaly sections: per checker and type, the first
// anomaliesPerType with the history around each.
func groups(cs []checker, ix *opIndex, present func(string) (link, bool)) []groupView {
	var out []groupView
	for _, g := range groupAnomalies(cs, anomaliesPerType) {
		gv := groupView{Checker: g.Checker, Type: g.Type, Total: g.Total, More: g.More()}
		if len(out) == 0 || out[len(out)-1].Checker != g.Checker {
			gv.Anchor = anchor(g.Checker)
		}
		for i, a := range g.Shown {
			cd := card{Key: a.Key, Ops: opsText(a.Ops), Detail: a.Detail, Rows: ix.context(a), Open: i == 0}
			if a.Key != "" {
				if l, ok := present("linearizable-" + a.Key + ".html"); ok {
					l.Label = "porcupine visualization of " + a.Key
					cd.Viz = &l
				}
			}
			gv.Cards = append(gv.Cards, cd)
		}
		out = append(out, gv)
	}
	return out
}

// anchor is the element id of a checker's anomalies.
func anchor(checker string) string { return "c-" + checker }

// opsText lists an anomaly's op indices, capped: some anomalies name
// hundreds of ops, and the table below shows the ones that matter.
func opsText(ops []int) string {
	const max = 20
	var b strings.Builder
	for i, o := range ops {
		if i == max {
			fmt.Fprintf(&b, " … (%d more)", len(ops)-max)
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, o)
	}
	return b.String()
}

// marks lists the coverage marks, the never-reached ones first: they are
// what a reader of a campaign's report must act on (STYLE.md 11).
func marks(m map[string]int) []markRow {
	out := make([]markRow, 0, len(m))
	for name, n := range m {
		out = append(out, markRow{Name: name, Count: n, Never: n == 0})
	}
	slices.SortFunc(out, func(a, b markRow) int {
		if a.Never != b.Never {
			return boolRank(b.Never) - boolRank(a.Never)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func warnings(run *Run) []string {
	var w []string
	if run.HistoryTruncated {
		w = append(w, "history.jsonl ends with a partial line (the run was killed); it was skipped.")
	}
	if run.TraceTruncated {
		w = append(w, "trace.ndjson ends with a partial line (the run was killed); it was skipped.")
	}
	if run.Results.Valid == verdict.Unknown {
		w = append(w, "The verdict is unknown: some checker could not decide. A timeout is never a pass; see the notes in the checker table.")
	}
	return w
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
