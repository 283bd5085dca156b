package serve

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/harness"
)

// This file drives the server in a real browser: headless Chromium (Debian's
// chromium package; .ci/run installs it) loads the list and a report from a
// server on 127.0.0.1:0 over a store of three real simulator runs.

func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browse loads url in headless Chromium and returns the DOM after the page's
// scripts ran, and Chromium's log.
func browse(t *testing.T, bin, url string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0", "--dump-dom", url)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, errb.String())
	}
	return out.String(), errb.String()
}

// realStore runs three small simulations into a store and dates their
// results so that the newest is the bug run.
func realStore(t *testing.T) (string, []string) {
	t.Helper()
	store := t.TempDir()
	runs := []struct {
		id, bug string
		seed    uint64
		nemesis []string
	}{
		{"seed1-none", "", 1, nil},
		{"seed3-crash", "", 3, []string{"crash"}},
		{"seed7-no-dedup", "no-dedup", 7, []string{"duplicate", "reorder", "delay", "partition", "crash"}},
	}
	var ids []string
	for i, r := range runs {
		opts := harness.DefaultOptions()
		opts.Seed, opts.Bug, opts.Nemesis = r.seed, r.bug, r.nemesis
		opts.OutDir = filepath.Join(store, r.id)
		if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if _, _, err := harness.Execute(opts); err != nil {
			t.Fatalf("run %s: %v", r.id, err)
		}
		at := time.Now().Add(time.Duration(i-3) * time.Minute)
		if err := os.Chtimes(filepath.Join(opts.OutDir, resultsFile), at, at); err != nil {
			t.Fatal(err)
		}
		ids = append([]string{r.id}, ids...) // newest first
	}
	return store, ids
}

var rowRe = regexp.MustCompile(`<tr class="run" data-id="([^"]*)" data-verdict="([^"]*)">`)

// rows returns the run IDs and verdicts of the list's rows, in order.
func rows(dom string) []string {
	var out []string
	for _, m := range rowRe.FindAllStringSubmatch(dom, -1) {
		out = append(out, m[1]+"="+m[2])
	}
	return out
}

func TestBrowserListAndReport(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("chromium not found: the browser test needs Debian's chromium package (apt-get install -y chromium; .ci/run installs it when root)")
	}
	if testing.Short() {
		t.Skip("-short: the browser test runs three simulations and starts Chromium several times")
	}
	store, ids := realStore(t)
	s, err := New(store)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	base := "http://" + ln.Addr().String()

	// The list: every run, newest first, with the verdicts the runs wrote.
	dom, log := browse(t, bin, base+"/")
	want := []string{ids[0] + "=invalid", ids[1] + "=valid", ids[2] + "=valid"}
	if got := rows(dom); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("list rows %v, want %v", got, want)
	}
	if !strings.Contains(dom, "duplicate-effect") || !strings.Contains(dom, `href="/files/seed7-no-dedup/report.html"`) {
		t.Errorf("the bug run's row lacks its anomaly or its report link")
	}
	noBrowserErrors(t, log)

	// Filters (every filter is also covered over HTTP in server_test.go).
	for query, want := range map[string][]string{
		"?verdict=invalid":             {"seed7-no-dedup=invalid"},
		"?nemesis=crash":               {"seed7-no-dedup=invalid", "seed3-crash=valid"},
		"?bug=none&verdict=valid&q=1-": {"seed1-none=valid"},
	} {
		dom, _ := browse(t, bin, base+"/"+query)
		if got := rows(dom); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("list%s rows %v, want %v", query, got, want)
		}
	}

	// A report page renders, its scripts running under the sandbox.
	dom, log = browse(t, bin, base+"/files/seed7-no-dedup/report.html")
	if !strings.Contains(dom, `id="verdict">INVALID</div>`) || !strings.Contains(dom, "duplicate-effect") {
		t.Errorf("the report page lacks its verdict or anomaly:\n%.400s", dom)
	}
	if !strings.Contains(dom, "<svg") {
		t.Errorf("the report page has no plot")
	}
	noBrowserErrors(t, log)

	// The history opens as text.
	dom, _ = browse(t, bin, base+"/files/seed1-none/history.jsonl")
	if !strings.Contains(dom, `"type":"invoke"`) {
		t.Errorf("the history does not open as text: %.200s", dom)
	}
	t.Logf("%d runs listed at %s", len(ids), base)
}

// noBrowserErrors fails on script errors and on anything the page's CSP
// refused (a report that needs more than the sandbox allows).
func noBrowserErrors(t *testing.T, log string) {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "Uncaught") || strings.Contains(line, "Content Security Policy") {
			t.Errorf("browser: %s", line)
		}
	}
}
