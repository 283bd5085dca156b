package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := realMain(args, &out, &errb)
	return code, out.String(), errb.String()
}

// Bad flags and arguments are usage errors (64) with one line naming the flag.
func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--seed", "x"}, "-seed"},
		{[]string{"run", "--nemesis", "flood"}, "--nemesis"},
		{[]string{"run", "--bug", "nope"}, "--bug"},
		{[]string{"run", "--concurrency", "0"}, "concurrency"},
		{[]string{"run", "--dist", "pareto"}, "distribution"},
		{[]string{"run", "--bus", "carrier-pigeon"}, "--bus"},
		{[]string{"run", "--no-such-flag"}, "no-such-flag"},
		{[]string{"check"}, "HISTORY"},
		{[]string{"check", "a", "b"}, "HISTORY"},
		{[]string{"check", "h.jsonl", "--format", "xml"}, "--format"},
		{[]string{"frobnicate"}, "frobnicate"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, c.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", c.args, code, exitUsage)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: stderr %q: want one line naming %q", c.args, stderr, c.want)
		}
	}
}

// A malformed history line is bad input (65) with an error naming file:line.
func TestCheckMalformedHistory(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "history.jsonl")
	body := `{"index":0,"type":"invoke","process":0,"f":"place","key":"o-1","time":1}
{"index":1,"type":"ok","process":0,"f":"place","key":"o-1","time":2}
{"index":2,"type":"bogus","process":0,"f":"place","key":"o-1","time":3}
{"index":3,"type":"ok","process":0,"f":"place","key":"o-1","time":4}
`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "check", p)
	if code != exitData || !strings.Contains(stderr, p+":3:") {
		t.Fatalf("exit %d stderr %q: want 65 naming %s:3", code, stderr, p)
	}
	code, _, stderr = runCLI(t, "check", filepath.Join(dir, "missing.jsonl"))
	if code != exitData || !strings.Contains(stderr, "missing.jsonl") {
		t.Fatalf("missing file: exit %d stderr %q", code, stderr)
	}
}

// run prints the seed first and the reproduce command last; check re-judges
// the stored history with the same verdict; a bug run exits 1.
func TestRunThenCheckSameVerdict(t *testing.T) {
	for _, c := range []struct {
		bug  string
		want int
	}{{"", exitValid}, {"no-dedup", exitInvalid}} {
		dir := filepath.Join(t.TempDir(), "run")
		args := []string{"run", "--seed", "7", "--nemesis", "all", "--ops", "800", "--out", dir}
		if c.bug != "" {
			args = append(args, "--bug", c.bug)
		}
		code, stdout, stderr := runCLI(t, args...)
		if code != c.want {
			t.Fatalf("run %v: exit %d, want %d\n%s%s", args, code, c.want, stdout, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if lines[0] != "seed 7" || !strings.HasPrefix(lines[len(lines)-1], "reproduce: jepsen-lite run --seed 7") {
			t.Fatalf("run output must start with the seed and end with the reproduce command:\n%s", stdout)
		}
		for _, f := range []string{"history.jsonl", "trace.ndjson", "results.json"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Fatalf("run did not write %s: %v", f, err)
			}
		}
		code2, out2, _ := runCLI(t, "check", filepath.Join(dir, "history.jsonl"))
		if code2 != code {
			t.Fatalf("check: exit %d, run said %d\n%s", code2, code, out2)
		}
		if verdictLine(stdout) != verdictLine(out2) {
			t.Fatalf("check verdict %q differs from run verdict %q", verdictLine(out2), verdictLine(stdout))
		}
	}
}

func verdictLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "verdict:") {
			return l
		}
	}
	return ""
}

// Killing a run at any moment leaves a history whose complete lines check
// reads: the history is appended line by line as the run goes.
func TestKilledRunLeavesReadableHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a child process")
	}
	bin := filepath.Join(t.TempDir(), "jepsen-lite")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(bin, "run", "--seed", "3", "--nemesis", "all", "--ops", "5000000", "--out", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	hist := filepath.Join(dir, "history.jsonl")
	deadline := time.Now().Add(60 * time.Second)
	for {
		if st, err := os.Stat(hist); err == nil && st.Size() > 200_000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the run wrote less than 200 kB of history in 60 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	res, err := history.ReadFile(hist)
	if err != nil {
		t.Fatalf("killed run's history does not parse: %v", err)
	}
	if len(res.Ops) < 1000 {
		t.Fatalf("only %d ops read from a killed run", len(res.Ops))
	}
	code, out, stderr := runCLI(t, "check", hist)
	if code != exitValid && code != exitInvalid && code != exitUnknown {
		t.Fatalf("check of a killed run: exit %d\n%s%s", code, out, stderr)
	}
	// The run never reached its final reads, so a verdict that needs them is unknown, not valid.
	if code == exitValid {
		t.Fatalf("check of a killed run said valid, but the final phase never ran:\n%s", out)
	}
}

// Without TLC, `tlc` exits 69 with a message saying how to install it.
func TestTLCUnavailable(t *testing.T) {
	t.Setenv("TLA2TOOLS_JAR", filepath.Join(t.TempDir(), "missing.jar"))
	code, _, stderr := runCLI(t, "tlc")
	if code != exitUnavailable || !strings.Contains(stderr, "tla2tools.jar") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}
