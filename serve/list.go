package serve

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
)

// This file renders the list of runs with html/template: every value taken
// from a run (IDs, bugs, nemeses, anomalies, commands, errors) is escaped by
// the template for where it lands, text or URL.

// listCSP allows no script at all on the list page, and styles only inline.
const listCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"

type listPage struct {
	Store  string
	Filter Filter
	Total  int
	Runs   []listRow
	// Choices for the filter form, from the runs of the store.
	Bugs, Nemeses, Anomalies []string
	Verdicts                 []string
}

type listRow struct {
	Run
	When  string
	Links []link
}

type link struct {
	Name, URL string
}

func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	all, shown, f, ok := s.runs(w, r)
	if !ok {
		return
	}
	page := listPage{Store: s.root, Filter: f, Total: len(all), Verdicts: []string{"valid", "invalid", "unknown"}}
	for _, run := range all {
		page.Bugs = addChoice(page.Bugs, run.Bug)
		for _, n := range run.Nemesis {
			page.Nemeses = addChoice(page.Nemeses, n)
		}
		for _, a := range run.Anomalies {
			page.Anomalies = addChoice(page.Anomalies, a)
		}
	}
	for _, run := range shown {
		row := listRow{Run: run}
		if !run.Time.IsZero() {
			row.When = run.Time.UTC().Format(time.DateTime)
		}
		for _, name := range run.Files {
			row.Links = append(row.Links, link{strings.TrimSuffix(name, ".html"), fileURL(run.ID, name)})
		}
		page.Runs = append(page.Runs, row)
	}
	var b bytes.Buffer
	if err := listTemplate.Execute(&b, page); err != nil {
		slog.Error("serve: render list", "err", err)
		http.Error(w, "cannot render the list", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", listCSP)
	w.Write(b.Bytes())
}

func addChoice(xs []string, x string) []string {
	if x == "" || slices.Contains(xs, x) {
		return xs
	}
	xs = append(xs, x)
	slices.Sort(xs)
	return xs
}

var listTemplate = template.Must(template.New("list").Funcs(template.FuncMap{
	"join": strings.Join,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>jepsen-lite runs</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}
.valid{color:#1a7f37;font-weight:600}.invalid{color:#cf222e;font-weight:600}.unknown{color:#9a6700;font-weight:600}
form{margin:1em 0}label{margin-right:1em}code{font-size:12px}
</style></head>
<body>
<h1>jepsen-lite runs</h1>
<p>Store <code>{{.Store}}</code>: <span id="count">{{len .Runs}}</span> of {{.Total}} runs, newest first.</p>
<form method="get" action="/">
<label>verdict <select name="verdict"><option value="">any</option>{{range .Verdicts}}<option{{if eq . $.Filter.Verdict}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<label>bug <select name="bug"><option value="">any</option><option value="none"{{if eq "none" $.Filter.Bug}} selected{{end}}>none</option>{{range .Bugs}}<option{{if eq . $.Filter.Bug}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<label>nemesis <select name="nemesis"><option value="">any</option>{{range .Nemeses}}<option{{if eq . $.Filter.Nemesis}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<label>anomaly <select name="anomaly"><option value="">any</option>{{range .Anomalies}}<option{{if eq . $.Filter.Anomaly}} selected{{end}}>{{.}}</option>{{end}}</select></label>
<label>run <input name="q" value="{{.Filter.Q}}" size="16"></label>
<button type="submit">filter</button> <a href="/">clear</a>
</form>
<table id="runs">
<thead><tr><th>time (UTC)</th><th>verdict</th><th>seed</th><th>nemesis</th><th>bug</th><th>anomalies</th><th>run</th><th>files</th></tr></thead>
<tbody>
{{range .Runs}}<tr class="run" data-id="{{.ID}}" data-verdict="{{.Verdict}}">
<td>{{.When}}</td>
<td class="{{.Verdict}}">{{.Verdict}}</td>
<td>{{if .Campaign}}campaign{{else}}{{.Seed}}{{end}}</td>
<td>{{join .Nemesis ", "}}</td>
<td>{{.Bug}}</td>
<td>{{join .Anomalies ", "}}</td>
<td><code>{{.ID}}</code>{{if .Err}}<br><small>{{.Err}}</small>{{end}}{{if .Command}}<br><small><code>{{.Command}}</code></small>{{end}}</td>
<td>{{range .Links}}<a href="{{.URL}}">{{.Name}}</a> {{end}}</td>
</tr>
{{else}}<tr><td colspan="8">no run matches</td></tr>
{{end}}</tbody></table>
</body></html>
`))
