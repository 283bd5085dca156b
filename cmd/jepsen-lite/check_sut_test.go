package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/examples/kv"
	"github.com/jepsen-lite/jepsen-lite/sut"
)

// kvRun runs the example key-value store (a user's system, through
// package sut) into a fresh directory.
func kvRun(t *testing.T, seed uint64, bug string) string {
	t.Helper()
	test, err := kv.NewTest(kv.Options{Bug: bug})
	if err != nil {
		t.Fatal(err)
	}
	test.Seed, test.OutDir, test.Log = seed, t.TempDir(), io.Discard
	if _, err := sut.Run(context.Background(), test); err != nil {
		t.Fatal(err)
	}
	return test.OutDir
}

// `check` and `report` understand a run of a user's system: check judges
// it with the checkers its test.json records (not the order system's) and
// gives the run's verdict; a model that is not built in gives unknown (2)
// with a note saying to use the test's own binary.
func TestCheckUserSystem(t *testing.T) {
	for _, c := range []struct {
		bug  string
		code int
	}{{"", exitValid}, {kv.BugStaleRead, exitInvalid}} {
		dir := kvRun(t, 7, c.bug)
		var out, errOut bytes.Buffer
		code := realMain([]string{"check", filepath.Join(dir, "history.jsonl")}, &out, &errOut)
		if code != c.code || !strings.Contains(out.String(), "test.json") || strings.Contains(out.String(), "exactly-once") {
			t.Fatalf("bug %q: check exit %d, want %d\n%s%s", c.bug, code, c.code, out.String(), errOut.String())
		}
		out.Reset()
		if code := realMain([]string{"report", dir}, &out, &errOut); code != c.code {
			t.Fatalf("bug %q: report exit %d, want %d\n%s%s", c.bug, code, c.code, out.String(), errOut.String())
		}
	}
	dir := kvRun(t, 7, kv.BugStaleRead)
	spec := `{"name":"kv","checkers":[{"name":"linearizable","model":"mine"}]}`
	if err := os.WriteFile(filepath.Join(dir, sut.SpecFile), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := realMain([]string{"check", filepath.Join(dir, "history.jsonl")}, &out, &errOut); code != exitUnknown ||
		!strings.Contains(out.String(), `model "mine" is not built in`) {
		t.Fatalf("model of one's own: exit %d, want 2\n%s%s", code, out.String(), errOut.String())
	}
	os.WriteFile(filepath.Join(dir, sut.SpecFile), []byte("{bad"), 0o644)
	if code := realMain([]string{"check", filepath.Join(dir, "history.jsonl")}, &out, &errOut); code != exitData {
		t.Fatalf("bad test.json: exit %d, want 65", code)
	}
}
