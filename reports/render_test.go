package reports

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fixture copies testdata/NAME into a temporary run directory: Render
// writes next to its inputs, and testdata must stay as committed.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("testdata", name)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func renderFixture(t *testing.T, name string) (dir, page string) {
	t.Helper()
	dir = fixture(t, name)
	if err := Render(dir); err != nil {
		t.Fatalf("Render: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	return dir, string(b)
}

var plotIDs = []string{"plot-faults", "plot-latency", "plot-throughput", "plot-lag", "plot-retries", "plot-dlq"}

func TestRenderWritesAllThreeFiles(t *testing.T) {
	dir, _ := renderFixture(t, "small")
	for _, f := range []string{HTMLFile, JUnitFile, SummaryFile} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
		if _, err := os.Stat(filepath.Join(dir, f+".tmp")); err == nil {
			t.Errorf("%s.tmp left behind", f)
		}
	}
}

func TestHTMLTopShowsVerdictAndReproduceCommand(t *testing.T) {
	_, page := renderFixture(t, "small")
	for _, want := range []string{
		`<header class="banner invalid">`,
		`<div class="verdict" id="verdict">INVALID</div>`,
		`<pre id="cmd">jepsen-lite run --seed 42 --nemesis partition,crash --bug no-dedup</pre>`,
		`<button type="button" class="copy" data-target="cmd">`,
		"<dt>seed</dt><dd>42</dd>", "<dt>bug</dt><dd>no-dedup</dd>", "partition, crash",
		"<dd>4 / 1 / 1</dd>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Index(page, `id="verdict"`) > strings.Index(page, `id="checkers"`) {
		t.Error("the verdict must come before the checker table (STYLE.md 7)")
	}
}

func TestHTMLOrdersCheckersMostSeriousFirst(t *testing.T) {
	_, page := renderFixture(t, "small")
	table := page[strings.Index(page, `<section id="checkers">`):strings.Index(page, `<section id="anomalies">`)]
	inv, unk, val := strings.Index(table, ">exactly-once<"), strings.Index(table, ">linearizable<"), strings.Index(table, ">conservation<")
	if inv < 0 || unk < 0 || val < 0 || !(inv < unk && unk < val) {
		t.Errorf("checker order: exactly-once@%d linearizable@%d conservation@%d, want invalid < unknown < valid", inv, unk, val)
	}
	if !strings.Contains(table, "search timed out after 60s on o-2") {
		t.Error("the unknown checker's note is missing")
	}
}

func TestHTMLHasAnSVGPerPlotWithFaultShading(t *testing.T) {
	_, page := renderFixture(t, "small")
	for _, id := range plotIDs {
		i := strings.Index(page, `<svg id="`+id+`"`)
		if i < 0 {
			t.Errorf("no <svg> for %s", id)
			continue
		}
		svg := page[i : i+strings.Index(page[i:], "</svg>")]
		if !strings.Contains(svg, `class="fault" data-fault="partition"`) || !strings.Contains(svg, `data-fault="crash"`) {
			t.Errorf("%s does not shade both fault windows", id)
		}
	}
	for _, want := range []string{"partition (fault)", "crash (fault)", "run time (s)", "latency (ms, log scale)",
		"final reads", "<title>partition inventory: 0.010000–0.030000 s</title>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLEscapesHistoryValues(t *testing.T) {
	_, page := renderFixture(t, "small")
	if strings.Contains(page, "<script>alert") {
		t.Fatal("a history value or anomaly detail was written unescaped")
	}
	for _, want := range []string{"customer=&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(&#39;detail&#39;)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped %q", want)
		}
	}
	if n := strings.Count(page, "<script>"); n != 1 {
		t.Errorf("%d <script> elements, want only the copy button's", n)
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	_, page := renderFixture(t, "small")
	for _, bad := range []string{"http://", "https://", " src=", "@import", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("page references %q: a report must load nothing from the network", bad)
		}
	}
}

func TestHTMLAnomalyShowsOpsAroundIt(t *testing.T) {
	_, page := renderFixture(t, "small")
	a := page[strings.Index(page, `<section id="anomalies">`):strings.Index(page, `<section id="plots">`)]
	for _, want := range []string{"duplicate-effect", "checker exactly-once · 2 found", "payment charged twice",
		`<tr class="named"><td class="num">2</td><td class="num">0.003000</td><td>1</td><td>invoke</td><td>place</td><td>o-1</td>`,
		// Context: the read of o-1 that followed, and its timeout.
		`<td class="num">7</td>`, "<td>timeout</td>",
		`<a href="linearizable-o-1.html">porcupine visualization of o-1</a>`} {
		if !strings.Contains(a, want) {
			t.Errorf("anomalies lack %q", want)
		}
	}
	if strings.Contains(page, "linearizable-o-missing.html") {
		t.Error("linked a porcupine file that is not in the run directory")
	}
}

func TestHTMLCapsAnomaliesPerType(t *testing.T) {
	dir := t.TempDir()
	writeSynthRun(t, dir, 3000, 1)
	if err := Render(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, HTMLFile))
	page := string(b)
	if n := strings.Count(page, `<details class="anomaly"`); n != anomaliesPerType {
		t.Errorf("%d anomaly cards, want the cap %d", n, anomaliesPerType)
	}
	if !regexp.MustCompile(`\d+ more nonlinearizable anomalies not shown`).MatchString(page) {
		t.Error(`no "N more" line under the capped anomalies`)
	}
}

func TestHTMLCoverageMarksFlagNeverReached(t *testing.T) {
	_, page := renderFixture(t, "small")
	never := strings.Index(page, `<tr class="never"><td>redelivery-after-crash</td><td class="num">0</td><td>never reached</td>`)
	reached := strings.Index(page, `<tr><td>partition-during-checkout</td><td class="num">3</td>`)
	if never < 0 || reached < 0 || never > reached {
		t.Errorf("marks: never-reached row at %d, reached row at %d; want both, never-reached first", never, reached)
	}
}

func TestRenderWithoutTraceSaysSo(t *testing.T) {
	dir := fixture(t, "small")
	os.Remove(filepath.Join(dir, TraceFile))
	if err := Render(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, HTMLFile))
	if !strings.Contains(string(b), "No trace.ndjson in the run directory") {
		t.Error("a run without a trace must say why its trace plots are missing")
	}
	if !strings.Contains(string(b), `<svg id="plot-latency"`) {
		t.Error("the history plots must not depend on the trace")
	}
}

func TestRenderErrorsNameTheFile(t *testing.T) {
	cases := []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"malformed results.json", func(string) {}, "results.json"},
		{"missing history", func(dir string) { os.Remove(filepath.Join(dir, HistoryFile)) }, "history.jsonl"},
		{"malformed history line", func(dir string) {
			os.WriteFile(filepath.Join(dir, HistoryFile), []byte("{\"index\":0,\"type\":\"bogus\",\"f\":\"place\"}\n"), 0o644)
		}, "history.jsonl:1"},
		{"malformed trace line", func(dir string) {
			os.WriteFile(filepath.Join(dir, TraceFile), []byte("{\"seq\":0,\"kind\":\"commit\"}\n{oops\n{}\n"), 0o644)
		}, "trace.ndjson:2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx := "small"
			if c.want == "results.json" {
				fx = "bad-results"
			}
			dir := fixture(t, fx)
			c.setup(dir)
			err := Render(dir)
			if err == nil {
				t.Fatal("Render succeeded on a broken run directory")
			}
			if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s", msg, c.want)
			}
			if _, err := os.Stat(filepath.Join(dir, HTMLFile)); err == nil {
				t.Error("a failed render left a report.html")
			}
		})
	}
}

func TestPartialLastTraceLineIsSkippedAndReported(t *testing.T) {
	dir := fixture(t, "small")
	f, _ := os.OpenFile(filepath.Join(dir, TraceFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":11,"time":3600`)
	f.Close()
	run, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !run.TraceTruncated || len(run.Trace) != 9 {
		t.Errorf("truncated=%v, %d plotted events; want true and 9 (append and deliver are not plotted)", run.TraceTruncated, len(run.Trace))
	}
}

// A 100k-op run must give a page a browser opens at once: the plots'
// markup is bounded by sampling and bucketing, not by the run's length.
func TestBigRunPageIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 20k-op run")
	}
	dir := t.TempDir()
	writeSynthRun(t, dir, 20000, 2)
	if err := Render(dir); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, HTMLFile))
	if st.Size() > 3<<20 {
		t.Errorf("report.html is %d bytes for 20k ops, want under 3 MB", st.Size())
	}
	b, _ := os.ReadFile(filepath.Join(dir, HTMLFile))
	for _, path := range regexp.MustCompile(`<path class="series"[^>]*d="([^"]*)"`).FindAllStringSubmatch(string(b), -1) {
		if n := strings.Count(path[1], "M"); n > pointsPerSeries {
			t.Errorf("a scatter series has %d points, want at most %d", n, pointsPerSeries)
		}
	}
	for _, line := range regexp.MustCompile(`<polyline class="series"[^>]*points="([^"]*)"`).FindAllStringSubmatch(string(b), -1) {
		if n := len(strings.Fields(line[1])); n > 2*bucketsMax {
			t.Errorf("a line has %d vertices, want at most %d", n, 2*bucketsMax)
		}
	}
}
