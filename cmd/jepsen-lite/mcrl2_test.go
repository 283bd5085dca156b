package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// Without mCRL2, `mcrl2` exits 69 with one line saying how to install it.
func TestMCRL2Unavailable(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("MCRL2_BIN", "")
	code, _, stderr := runCLI(t, "mcrl2")
	if code != exitUnavailable || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
		!strings.Contains(stderr, "mCRL2 not found") || !strings.Contains(stderr, "MCRL2_BIN") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	t.Setenv("MCRL2_BIN", "/nonexistent/mcrl2/bin")
	code, _, stderr = runCLI(t, "mcrl2", "correct")
	if code != exitUnavailable || !strings.Contains(stderr, "MCRL2_BIN=/nonexistent/mcrl2/bin") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "mcrl2", "--no-such-flag"); code != exitUsage {
		t.Errorf("bad flag: exit %d", code)
	}
	if code, stdout, _ := runCLI(t, "mcrl2", "-h"); code != exitValid || !strings.Contains(stdout, "mcrl2 [CONFIG ...]") {
		t.Errorf("help: exit %d %q", code, stdout)
	}
}

// With stand-ins for the tools (every formula holds on a one-state LTS),
// `mcrl2 correct --out DIR` writes the report files, the tlc-vs-mcrl2
// checker and the verdict table, and exits 0; an unknown config is a usage
// error.
func TestMCRL2WritesReport(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell stand-ins")
	}
	bin := t.TempDir()
	fsm := "x(1) Nat \"0\"\n---\n0\n---\n1 1 \"done\"\n1 1 \"obs_status(st_completed)\"\n"
	for name, body := range map[string]string{
		"mcrl22lps":  `[ "$1" = --version ] && echo "mcrl22lps mCRL2 toolset 0 (fake)" || cp "$1" "$2"`,
		"lps2lts":    "for a; do out=$a; done; printf '" + strings.ReplaceAll(fsm, "\n", `\n`) + "' > \"$out\"; echo 'done with state space generation (1 level, 1 state and 2 transitions)' >&2",
		"lps2pbes":   `: > "$4"`,
		"pbessolve":  `echo true`,
		"ltsinfo":    `:`,
		"ltscompare": `:`,
		"ltsconvert": `cp "$1" "$2"`,
	} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("MCRL2_BIN", bin)
	spec := filepath.Join("..", "..", "spec")
	if code, _, stderr := runCLI(t, "mcrl2", "--spec", spec, "no-such-config"); code != exitUsage || !strings.Contains(stderr, "no-such-config") {
		t.Errorf("unknown config: exit %d %q", code, stderr)
	}
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "mcrl2", "--spec", spec, "--out", out, "correct")
	if code != exitValid {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"results.json", "junit.xml", "summary.md", "report.html", "table.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r results.Results
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if c, ok := r.Checkers["tlc-vs-mcrl2"]; !ok || !strings.Contains(c.Note, "agree") {
		t.Errorf("tlc-vs-mcrl2 checker: %+v (present %v)", c, ok)
	}
	if c := r.Checkers["mcrl2:correct"]; c.Valid != verdict.Valid {
		t.Errorf("mcrl2:correct %+v", c)
	}
	sum, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	if !strings.Contains(string(sum), "| correct | NoLostEvent | pass | pass | yes |") {
		t.Errorf("summary lacks the verdict table:\n%s", sum)
	}
}
