package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/formal/tracetlc"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// tlcOps keeps the live --tlc runs small: one JVM start dominates.
const tlcOps = "300"

// runTLC runs `jepsen-lite run --seed 7 --ops 300 --tlc` (plus args) and
// returns the run directory, its formal.json tools by name and results.json;
// it skips without TLC.
func runTLC(t *testing.T, args ...string) (string, map[string]tracemodel.Tool, results.Results) {
	t.Helper()
	if _, err := formal.FindTLC(); err != nil {
		t.Skipf("TLC not installed: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	args = append([]string{"run", "--seed", "7", "--ops", tlcOps, "--tlc", "--out", dir}, args...)
	code, stdout, stderr := runCLI(t, args...)
	if code != exitValid && code != exitInvalid {
		t.Fatalf("%v: exit %d\n%s%s", args, code, stdout, stderr)
	}
	tools, res := readTLCRun(t, dir)
	if !strings.HasSuffix(res.Command, " --tlc") {
		t.Errorf("reproduce command %q does not repeat --tlc", res.Command)
	}
	return dir, tools, res
}

// readTLCRun reads formal.json's tools by name and results.json of dir.
func readTLCRun(t *testing.T, dir string) (map[string]tracemodel.Tool, results.Results) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, tracemodel.FormalFile))
	if err != nil {
		t.Fatal(err)
	}
	var f tracemodel.Formal
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("formal.json: %v", err)
	}
	tools := map[string]tracemodel.Tool{}
	for _, tool := range f.Tools {
		tools[tool.Tool] = tool
	}
	res, err := results.Read(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	return tools, res
}

// sameVerdicts fails unless TLC and the Go model decided the same orders
// the same way, down to the first rejected step of each rejected order.
func sameVerdicts(t *testing.T, tools map[string]tracemodel.Tool) {
	t.Helper()
	g, tlc := tools["go-model"], tools["tlc"]
	switch {
	case tlc.Result == "not-run" || tlc.Version == "":
		t.Fatalf("formal.json tlc entry: %+v (want a result and TLC's version)", tlc)
	case g.Result != tlc.Result || g.Accepted != tlc.Accepted || g.Rejected != tlc.Rejected || g.Orders-g.Unknown != tlc.Orders:
		t.Fatalf("tools differ: go-model %+v, tlc %+v", g, tlc)
	case !reflect.DeepEqual(g.RejectedAt, tlc.RejectedAt):
		t.Fatalf("first rejected steps differ: go-model %v, tlc %v", g.RejectedAt, tlc.RejectedAt)
	case len(tlc.Disagree) > 0:
		t.Fatalf("disagreements: %v", tlc.Disagree)
	}
}

// A correct run validated by both tools: formal.json has both, agreeing,
// and report.html's formal section shows TLC's row with its result.
func TestRunTLCAgreesWithGoModel(t *testing.T) {
	dir, tools, res := runTLC(t)
	sameVerdicts(t, tools)
	if tools["tlc"].Orders == 0 {
		t.Fatalf("TLC validated no order: %+v", tools["tlc"])
	}
	if _, ok := res.Checkers[tlcCheckerName]; !ok {
		t.Fatalf("results.json has no %s checker: %v", tlcCheckerName, res.Order)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	row := "<tr><td>tlc</td><td>" + tools["tlc"].Result + "</td>"
	if !strings.Contains(string(page), row) || !strings.Contains(string(page), tools["tlc"].Version) {
		t.Fatalf("report.html: no TLC row %q with version %q", row, tools["tlc"].Version)
	}
}

// spec/tla config correct: a no-compensation run leaks a reservation, so both
// tools reject the same orders at the same step, and trace-tlc names them.
func TestRunTLCBugBothReject(t *testing.T) {
	dir, tools, res := runTLC(t, "--bug", vocab.BugNoCompensation)
	sameVerdicts(t, tools)
	if tools["tlc"].Rejected == 0 {
		t.Fatalf("no order rejected by the correct model: %+v", tools["tlc"])
	}
	if !testing.Short() { // check --tlc on the stored run: the same orders, read back from its files
		out := filepath.Join(t.TempDir(), "check")
		code, stdout, stderr := runCLI(t, "check", filepath.Join(dir, "history.jsonl"), "--tlc", "--out", out)
		if code != exitInvalid {
			t.Fatalf("check --tlc: exit %d\n%s%s", code, stdout, stderr)
		}
		again, _ := readTLCRun(t, out)
		sameVerdicts(t, again)
		if !reflect.DeepEqual(again["tlc"].RejectedAt, tools["tlc"].RejectedAt) {
			t.Fatalf("check --tlc rejects %v, run --tlc %v", again["tlc"].RejectedAt, tools["tlc"].RejectedAt)
		}
	}
	r := res.Checkers[tlcCheckerName]
	if r.Valid != checker.Invalid || len(r.Anomalies) == 0 || r.Anomalies[0].Type != vocab.AnomalyTraceRejected {
		t.Fatalf("trace-tlc: %+v", r)
	}
	for _, a := range r.Anomalies {
		if strings.HasPrefix(a.Detail, disagreePrefix) {
			t.Fatalf("disagreement anomaly: %s", a.Detail)
		}
	}
}

// Without TLC, --tlc stops before running anything: exit 69 with the
// install message, no run directory.
func TestTLCFlagUnavailable(t *testing.T) {
	t.Setenv("TLA2TOOLS_JAR", filepath.Join(t.TempDir(), "missing", "tla2tools.jar"))
	t.Setenv("PATH", t.TempDir()) // neither java nor tla2tools.jar
	dir := filepath.Join(t.TempDir(), "run")
	for _, args := range [][]string{
		{"run", "--seed", "7", "--ops", "10", "--tlc", "--out", dir},
		{"check", filepath.Join(dir, "history.jsonl"), "--tlc"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitUnavailable || !strings.Contains(stderr, formal.HowToInstallTLC) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q: want %d and the install message only", args, code, stdout, stderr, exitUnavailable)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("run directory exists (%v): --tlc must fail before running", err)
	}
}

// --tlc applies to the reference system's trace only.
func TestCheckTLCUsage(t *testing.T) {
	code, _, stderr := runCLI(t, "check", "h.edn", "--format", "jepsen-edn", "--tlc")
	if code != exitUsage || !strings.Contains(stderr, "--tlc") {
		t.Fatalf("exit %d, stderr %q: want %d naming --tlc", code, stderr, exitUsage)
	}
}

// A disagreement between the tools is an anomaly trace-rejected naming the
// order, whichever way it goes, and makes the verdict invalid (checked
// without TLC: these are the pure parts of --tlc).
func TestTLCDisagreementIsAnomaly(t *testing.T) {
	goRej := tracemodel.Rejection{Order: "o-2", Step: 3, Index: 40}
	cases := []struct {
		v         tracetlc.Result
		goRejects bool
		agree     bool
	}{
		{tracetlc.Result{Order: "o-2", Verdict: tracetlc.Accepted}, false, true},
		{tracetlc.Result{Order: "o-2", Verdict: tracetlc.Rejected, Step: 3, Index: 40}, true, true},
		{tracetlc.Result{Order: "o-2", Verdict: tracetlc.Accepted}, true, false},
		{tracetlc.Result{Order: "o-2", Verdict: tracetlc.Rejected, Step: 3, Index: 40}, false, false},
		{tracetlc.Result{Order: "o-2", Verdict: tracetlc.Rejected, Step: 4, Index: 41}, true, false},
	}
	sum := &tracemodel.Summary{Model: "model/saga", Config: "correct"}
	for i, c := range cases {
		d := disagreement(c.v, goRej, c.goRejects)
		if (d == "") != c.agree {
			t.Fatalf("case %d: disagreement %q, want agree=%v", i, d, c.agree)
		}
		if c.agree {
			continue
		}
		tool := tracemodel.Tool{Tool: "tlc", Result: "accepted", Disagree: []string{d}}
		r := tlcResult(sum, tool, nil)
		if r.Valid != checker.Invalid || len(r.Anomalies) != 1 || r.Anomalies[0].Type != vocab.AnomalyTraceRejected ||
			r.Anomalies[0].Key != "o-2" || !strings.Contains(r.Anomalies[0].Detail, "disagree on order o-2") {
			t.Fatalf("case %d: %+v", i, r)
		}
		res := results.Results{Valid: checker.Valid, Checkers: map[string]checker.Result{"trace-model": {Valid: checker.Valid}}}
		addChecker(&res, tlcCheckerName, r)
		if res.Valid != checker.Invalid || !reflect.DeepEqual(res.Anomalies, []string{vocab.AnomalyTraceRejected}) ||
			!reflect.DeepEqual(res.Order, []string{tlcCheckerName}) {
			t.Fatalf("case %d: results %+v", i, res)
		}
	}
}

// A deliberate difference between the tools is caught end to end: a copy of
// spec/tla whose correct model never compensates (a declined order keeps its
// reservation, spec/tla/OrderSaga.tla's no-compensation branch taken always)
// accepts the orders of a no-compensation run that the Go model rejects;
// each is a disagreement anomaly and the verdict is invalid.
func TestTLCWeakenedSpecDisagrees(t *testing.T) {
	tlc, err := formal.FindTLC()
	if err != nil {
		t.Skipf("TLC not installed: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	if code, stdout, stderr := runCLI(t, "run", "--seed", "7", "--ops", tlcOps, "--bug", vocab.BugNoCompensation, "--out", dir); code != exitInvalid {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	spec := weakenedSpec(t, `e.type = "OrderDeclined" /\ Bug = "no-compensation"`, `e.type = "OrderDeclined"`)
	hist, err := history.ReadFile(filepath.Join(dir, "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	evs, _, err := trace.ReadFile(filepath.Join(dir, "trace.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := results.Read(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	tt := &tlcTrace{tlc: tlc, spec: spec}
	if err := tt.validate(&checker.Input{Ops: hist.Ops, Trace: evs}, &res, dir, io.Discard); err != nil {
		t.Fatal(err)
	}
	tools, _ := readTLCRun(t, dir)
	g, w := tools["go-model"], tools["tlc"]
	if g.Rejected == 0 || len(w.Disagree) != g.Rejected || w.Rejected != 0 {
		t.Fatalf("weakened TLC: %d disagreements, %d rejected; go-model rejected %d (want every one a disagreement)", len(w.Disagree), w.Rejected, g.Rejected)
	}
	r := res.Checkers[tlcCheckerName]
	if res.Valid != checker.Invalid || r.Valid != checker.Invalid || len(r.Anomalies) != g.Rejected ||
		!strings.HasPrefix(r.Anomalies[0].Detail, disagreePrefix+g.RejectedAt[0].Order+": ") {
		t.Fatalf("trace-tlc %+v, verdict %s", r, res.Valid)
	}
}

// weakenedSpec copies spec/tla's trace-validation files into a temporary
// spec directory with old replaced by repl in OrderSaga.tla.
func weakenedSpec(t *testing.T, old, repl string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tla", "trace"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"OrderSaga.tla", "trace/OrderSagaTrace.tla", "trace/OrderSagaTrace.cfg"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "spec", "tla", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "OrderSaga.tla" {
			if !strings.Contains(string(b), old) {
				t.Fatalf("%s: no %q to replace", f, old)
			}
			b = []byte(strings.Replace(string(b), old, repl, 1))
		}
		if err := os.WriteFile(filepath.Join(dir, "tla", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
