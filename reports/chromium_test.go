package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromiumPath finds a Chromium to load the page with, "" when none.
func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// dumpDOM loads page in headless Chromium and returns the DOM after its
// scripts ran, and Chromium's log, where console errors appear as
// "Uncaught ...". Every network-facing feature is off: the page must not
// need the network, and the test must not touch it.
func dumpDOM(t *testing.T, bin, page string) (dom, log string, took time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0", "--dump-dom", "file://"+page)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String(), errb.String(), time.Since(start)
}

func checkDOM(t *testing.T, dom, log, verdict string) {
	t.Helper()
	if !strings.Contains(dom, `id="verdict">`+verdict+`</div>`) {
		t.Errorf("the DOM lacks the verdict %s", verdict)
	}
	for _, id := range plotIDs {
		if !strings.Contains(dom, `<svg id="`+id+`"`) {
			t.Errorf("the DOM lacks <svg id=%q>", id)
		}
	}
	if strings.Contains(dom, "<script>alert") {
		t.Error("unescaped markup reached the DOM")
	}
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "Uncaught") {
			t.Errorf("script error in the page: %s", line)
		}
	}
}

// TestChromiumLoadsTheReport loads report.html in a real browser: the DOM
// it builds must have the verdict and every plot, and the page's script
// must run without an uncaught error.
func TestChromiumLoadsTheReport(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium not installed: apt-get install chromium")
	}
	dir, _ := renderFixture(t, "small")
	dom, log, _ := dumpDOM(t, bin, filepath.Join(dir, HTMLFile))
	checkDOM(t, dom, log, "INVALID")
	if !strings.Contains(dom, "customer=&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the history value holding <script> is not shown as text")
	}
}

// TestChromiumLoadsA100kOpReport is the usability bound in a browser: the
// page of a 100k-op run loads in a few seconds, not minutes.
func TestChromiumLoadsA100kOpReport(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium not installed: apt-get install chromium")
	}
	if testing.Short() {
		t.Skip("generates a 100k-op run")
	}
	dir := t.TempDir()
	writeSynthRun(t, dir, 100_000, 3)
	if err := Render(dir); err != nil {
		t.Fatal(err)
	}
	dom, log, took := dumpDOM(t, bin, filepath.Join(dir, HTMLFile))
	checkDOM(t, dom, log, "INVALID")
	st, _ := os.Stat(filepath.Join(dir, HTMLFile))
	t.Logf("100k ops: report.html %.2f MB, chromium load and dump %v", float64(st.Size())/(1<<20), took.Round(time.Millisecond))
	if took > 30*time.Second {
		t.Errorf("chromium took %v on the 100k-op page", took)
	}
}
