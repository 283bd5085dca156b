package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/sut"
)

// kvJepsen runs the program's RealMain and returns its exit code and output.
func kvJepsen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := program.RealMain(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// The bug is found from the command line: exit 1, the seed printed first
// and the reproduce command last, a run directory that the program's check
// command judges the same; the correct store exits 0.
func TestCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kv")
	code, out, errOut := kvJepsen(t, "--seed", "7", "--bug", "stale-read", "--out", dir)
	if code != sut.ExitInvalid {
		t.Fatalf("--bug stale-read: exit %d, want 1\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "seed 7" || !strings.HasPrefix(lines[len(lines)-1], "reproduce: go run ./examples/kv/cmd/kv-jepsen --seed 7") {
		t.Fatalf("output must open with the seed and end with the reproduce command:\n%s", out)
	}
	for _, f := range []string{"history.jsonl", "test.json", "results.json", "report.html", "junit.xml", "summary.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("run directory: %v", err)
		}
	}
	res, err := results.Read(filepath.Join(dir, "results.json"))
	if err != nil || res.Seed != 7 || res.Bug != "stale-read" || !strings.Contains(strings.Join(res.Anomalies, ","), "nonlinearizable") {
		t.Fatalf("results.json: %+v %v", res, err)
	}
	code, out, errOut = kvJepsen(t, "check", filepath.Join(dir, "history.jsonl"))
	if code != sut.ExitInvalid || !strings.Contains(out, "nonlinearizable") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = kvJepsen(t, "--seed", "7", "--out", filepath.Join(t.TempDir(), "ok"))
	if code != sut.ExitValid {
		t.Fatalf("correct store: exit %d\n%s%s", code, out, errOut)
	}
}

// Bad flags are usage errors (64) with a one-line message naming the flag;
// an unreadable history is bad input (65).
func TestCLIErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--bug", "nope"}, {"--nemesis", "flood"}, {"--mode", "fast"}, {"--ops", "x"}, {"--concurrency", "0"}, {"--ops", "0"}, {"extra"},
		{"check"},
	} {
		code, _, errOut := kvJepsen(t, args...)
		if code != sut.ExitUsage || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 64 and one line", args, code, errOut)
		}
	}
	bad := filepath.Join(t.TempDir(), "history.jsonl")
	os.WriteFile(bad, []byte("{not json\n{}\n"), 0o644)
	if code, _, errOut := kvJepsen(t, "check", bad); code != sut.ExitData {
		t.Errorf("bad history: exit %d (%s), want 65", code, errOut)
	}
	if code, out, _ := kvJepsen(t, "-h"); code != sut.ExitValid || !strings.Contains(out, "-seed") {
		t.Errorf("-h: exit %d\n%s", code, out)
	}
}
