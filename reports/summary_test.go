package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

func TestSummaryForAPullRequest(t *testing.T) {
	dir, _ := renderFixture(t, "small")
	b, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	first, _, _ := strings.Cut(md, "\n")
	if first != "**INVALID** (duplicate-effect) · jepsen-lite seed 42 · bug no-dedup · nemesis partition, crash" {
		t.Errorf("first line %q", first)
	}
	for _, want := range []string{
		"| checker | verdict | anomalies | note |",
		"| exactly-once | INVALID | 2 | 2 duplicate-effect |",
		"| linearizable | UNKNOWN | 0 | search timed out after 60s on o-2 |",
		"| conservation | VALID | 0 | 2 SKUs and 1 account checked |",
		"- exactly-once: duplicate-effect key=o-1 ops=\\[2 3\\]: payment charged twice for &lt;script&gt;",
		"```sh\njepsen-lite run --seed 42 --nemesis partition,crash --bug no-dedup\n```\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "<script>") {
		t.Error("summary carries raw markup from an anomaly detail")
	}
}

func TestSummaryCapsAnomaliesAcrossCheckers(t *testing.T) {
	many := make([]verdict.Anomaly, 50)
	for i := range many {
		many[i] = verdict.Anomaly{Type: "nonlinearizable", Key: "o-1"}
	}
	r := results.Results{Valid: verdict.Invalid, Order: []string{"linearizable", "terminal"},
		Checkers: map[string]verdict.Result{
			"linearizable": {Valid: verdict.Invalid, Anomalies: many},
			"terminal":     {Valid: verdict.Invalid, Anomalies: []verdict.Anomaly{{Type: "conflicting-terminal", Key: "o-9"}}},
		}}
	var buf bytes.Buffer
	if err := WriteSummary(&buf, r); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if n := strings.Count(md, "\n- "); n != summaryAnomaliesMax {
		t.Errorf("%d anomalies listed, want %d", n, summaryAnomaliesMax)
	}
	if !strings.Contains(md, "conflicting-terminal") {
		t.Error("one checker's 50 anomalies hid the other checker's only one")
	}
	if !strings.Contains(md, "41 more in report.html") {
		t.Errorf("no count of the anomalies not listed:\n%s", md)
	}
	if strings.Contains(md, "Reproduce") {
		t.Error("a run without a command must not print an empty code block")
	}
}

func TestCodeFenceOutlastsBackticksInTheCommand(t *testing.T) {
	if got := codeFence("echo ````"); got != "`````" {
		t.Errorf("codeFence = %q", got)
	}
}
