package tracemodel_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// A run's directory says which model its trace was validated against, by
// which tools and with what result: formal.json, the trace-model entry of
// results.json, and the Formal section of report.html.
func TestRunReportsFormalSection(t *testing.T) {
	dir := t.TempDir()
	o := harness.DefaultOptions()
	o.Seed, o.Nemesis, o.Bug, o.OutDir = 7, vocab.Faults, vocab.BugNoCompensation, dir
	o.Workload.Ops = 200
	res, _, err := harness.Execute(o)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := res.Checkers[tracemodel.Name]
	if !ok || len(r.Files) != 1 || r.Files[0] != tracemodel.FormalFile {
		t.Fatalf("results.json trace-model entry: %+v", r)
	}
	b, err := os.ReadFile(filepath.Join(dir, tracemodel.FormalFile))
	if err != nil {
		t.Fatal(err)
	}
	var f tracemodel.Formal
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Model != "model/saga" || f.Config != "correct" || len(f.Tools) == 0 || f.Tools[0].Tool != "go-model" {
		t.Fatalf("formal.json: %+v", f)
	}
	if f.Tools[0].Result != "rejected" || len(f.ExplainedBy) != 1 || f.ExplainedBy[0] != vocab.BugNoCompensation {
		t.Fatalf("no-compensation run: go-model %s, explained by %v", f.Tools[0].Result, f.ExplainedBy)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="formal"`, "model/saga", "go-model", "bug <b>no-compensation</b>"} {
		if !strings.Contains(string(page), want) {
			t.Fatalf("report.html lacks %q", want)
		}
	}
}
