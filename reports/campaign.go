package reports

import (
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// RenderCampaign writes a campaign directory's report.html, junit.xml (one
// test case per run) and summary.md from its results.json.
func RenderCampaign(dir string) error {
	c, err := results.ReadCampaign(filepath.Join(dir, ResultsFile))
	if err != nil {
		return oneLine(err)
	}
	outs := []struct {
		name  string
		write func(io.Writer) error
	}{
		{JUnitFile, func(w io.Writer) error { return WriteCampaignJUnit(w, c) }},
		{SummaryFile, func(w io.Writer) error { return WriteCampaignSummary(w, c) }},
		{HTMLFile, func(w io.Writer) error { return WriteCampaignHTML(w, dir, c) }},
	}
	for _, o := range outs {
		if err := writeAtomic(filepath.Join(dir, o.name), o.write); err != nil {
			return err
		}
	}
	return nil
}

// CampaignRow summarises the runs of one nemesis set.
type CampaignRow struct {
	Nemesis                       string
	Runs, Valid, Invalid, Unknown int
	Anomalies                     string
	FirstFailing                  *results.CampaignRun
}

func CampaignRows(c results.Campaign) []CampaignRow {
	byKey := map[string]*CampaignRow{}
	seen := map[string]map[string]bool{}
	var keys []string
	for i := range c.Runs {
		r := &c.Runs[i]
		k := nemesisLabel(r.Nemesis)
		if byKey[k] == nil {
			byKey[k], seen[k] = &CampaignRow{Nemesis: k}, map[string]bool{}
			keys = append(keys, k)
		}
		row := byKey[k]
		row.Runs++
		switch r.Valid {
		case verdict.Valid:
			row.Valid++
		case verdict.Invalid:
			row.Invalid++
			if row.FirstFailing == nil || r.Seed < row.FirstFailing.Seed {
				row.FirstFailing = r
			}
		default:
			row.Unknown++
		}
		for _, a := range r.Anomalies {
			seen[k][a] = true
		}
	}
	sort.Strings(keys)
	out := make([]CampaignRow, 0, len(keys))
	for _, k := range keys {
		row := byKey[k]
		as := make([]string, 0, len(seen[k]))
		for a := range seen[k] {
			as = append(as, a)
		}
		sort.Strings(as)
		row.Anomalies = strings.Join(as, ", ")
		out = append(out, *row)
	}
	return out
}

func nemesisLabel(n []string) string {
	if len(n) == 0 {
		return "none"
	}
	return strings.Join(n, ",")
}

var campaignPage = template.Must(template.New("campaign").Funcs(template.FuncMap{
	"nemesis": nemesisLabel,
	"rel": func(dir, p string) string {
		if r, err := filepath.Rel(dir, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	},
	"verdictClass": func(v verdict.Validity) string { return v.String() },
	"dur":          func(ns int64) string { return time.Duration(ns).Round(time.Millisecond).String() },
	"join":         strings.Join,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jepsen-lite campaign: {{.C.Valid}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}
.banner{padding:.8em 1em;color:#fff;border-radius:6px;font-size:1.6em;font-weight:700}
.valid{background:#2e7d32}.invalid{background:#c62828}.unknown{background:#b26a00}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.never{color:#c62828;font-weight:700}
code,pre{background:#111;color:#eee;padding:.4em .6em;border-radius:4px;display:block;white-space:pre-wrap}
span.v-valid{color:#2e7d32;font-weight:700}span.v-invalid{color:#c62828;font-weight:700}span.v-unknown{color:#b26a00;font-weight:700}
</style></head><body>
<div class="banner {{verdictClass .C.Valid}}">{{.Upper}} · {{len .C.Runs}} runs{{if .C.Bug}} · bug {{.C.Bug}}{{end}}</div>
<p>Wall time {{dur .C.WallNS}}.{{if .C.Stopped}} Stopped at the first failing run.{{end}}</p>
{{if .C.Command}}<h2>Rerun</h2><pre>{{.C.Command}}</pre>{{end}}
{{with .C.Shrunk}}<h2>Shrunk reproducer</h2><p>{{.Anomaly}}: ops {{.OpsBefore}} → {{.OpsAfter}}, fault windows {{.WindowsBefore}} → {{.WindowsAfter}} ({{.Runs}} runs).</p><pre>{{.Command}}</pre>{{end}}
<h2>By fault mix</h2>
<table><tr><th>nemesis</th><th>runs</th><th>valid</th><th>invalid</th><th>unknown</th><th>anomalies</th><th>first failing</th></tr>
{{range .Rows}}<tr><td>{{.Nemesis}}</td><td class="n">{{.Runs}}</td><td class="n">{{.Valid}}</td><td class="n">{{.Invalid}}</td><td class="n">{{.Unknown}}</td><td>{{.Anomalies}}</td>
<td>{{with .FirstFailing}}seed {{.Seed}}{{if .Dir}} · <a href="{{rel $.Dir .Dir}}/report.html">report</a>{{end}}{{end}}</td></tr>{{end}}</table>
<h2>Coverage marks</h2><p>Situations the campaign was meant to reach, summed over runs; one never reached is flagged.</p>
<table><tr><th>mark</th><th>count</th></tr>{{range .Marks}}<tr><td>{{.Name}}</td><td class="n">{{if .Never}}<span class="never">never reached</span>{{else}}{{.Count}}{{end}}</td></tr>{{end}}</table>
<h2>Runs that did not pass</h2>
<table><tr><th>seed</th><th>nemesis</th><th>verdict</th><th>anomalies</th><th>reproduce</th></tr>
{{range .Failing}}<tr><td>{{.Seed}}</td><td>{{nemesis .Nemesis}}</td><td><span class="v-{{verdictClass .Valid}}">{{.Valid}}</span></td><td>{{join .Anomalies ", "}}</td><td><code>{{.Command}}</code>{{if .Dir}}<a href="{{rel $.Dir .Dir}}/report.html">report</a>{{end}}</td></tr>{{else}}<tr><td colspan="5">none</td></tr>{{end}}</table>
</body></html>
`))

// WriteCampaignHTML writes a campaign's self-contained report page; dir is
// the campaign directory, for links to kept runs.
func WriteCampaignHTML(w io.Writer, dir string, c results.Campaign) error {
	var failing []results.CampaignRun
	for _, r := range c.Runs {
		if r.Valid != verdict.Valid {
			failing = append(failing, r)
		}
	}
	if len(failing) > 500 {
		failing = failing[:500] // results.json has them all; the page stays light
	}
	return campaignPage.Execute(w, map[string]any{
		"C": c, "Dir": dir, "Rows": CampaignRows(c), "Marks": marks(c.Marks), "Failing": failing,
		"Upper": strings.ToUpper(c.Valid.String()),
	})
}

// WriteCampaignJUnit writes one test case per run, named by seed and fault
// mix, so CI shows which seeds failed.
func WriteCampaignJUnit(w io.Writer, c results.Campaign) error {
	suite := junitSuite{Name: "jepsen-lite-campaign"}
	var total time.Duration
	for _, r := range c.Runs {
		tc := junitCase{Classname: "jepsen-lite.campaign." + nemesisLabel(r.Nemesis), Name: fmt.Sprintf("seed-%d", r.Seed),
			Time: fmt.Sprintf("%.3f", time.Duration(r.WallNS).Seconds())}
		total += time.Duration(r.WallNS)
		switch r.Valid {
		case verdict.Invalid:
			suite.Failures++
			tc.Failure = &junitFailure{Message: strings.Join(r.Anomalies, ", "), Type: "anomaly", Text: "reproduce: " + r.Command}
		case verdict.Unknown:
			suite.Skipped++
			tc.Skipped = &junitSkipped{Message: "unknown verdict; reproduce: " + r.Command}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Tests = len(suite.Cases)
	suite.Time = fmt.Sprintf("%.3f", total.Seconds())
	doc := junitSuites{Name: "jepsen-lite", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped,
		Time: suite.Time, Suites: []junitSuite{suite}}
	return encodeJUnit(w, doc)
}

// WriteCampaignSummary writes summary.md of a campaign.
func WriteCampaignSummary(w io.Writer, c results.Campaign) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** · jepsen-lite campaign · %d runs · bug %s\n\n", strings.ToUpper(c.Valid.String()), len(c.Runs), md(orDash(c.Bug)))
	b.WriteString("| nemesis | runs | valid | invalid | unknown | anomalies |\n|---|---:|---:|---:|---:|---|\n")
	for _, r := range CampaignRows(c) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s |\n", md(r.Nemesis), r.Runs, r.Valid, r.Invalid, r.Unknown, md(r.Anomalies))
	}
	if len(c.Never) > 0 {
		fmt.Fprintf(&b, "\nNever reached: %s\n", md(strings.Join(c.Never, ", ")))
	}
	if c.Shrunk != nil {
		fmt.Fprintf(&b, "\nShrunk reproducer (%s):\n\n```sh\n%s\n```\n", md(c.Shrunk.Anomaly), c.Shrunk.Command)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
