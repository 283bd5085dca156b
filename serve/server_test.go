package serve

import (
	"context"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const secret = "TOP-SECRET-OUTSIDE-THE-STORE"

// xss are values a run may carry that must never reach a page as markup.
const (
	xssBug     = `<script>alert("bug")</script>`
	xssAnomaly = `"><img src=x onerror=alert(1)>`
	xssDir     = `<svg onload=alert(3)>`
)

// testStore makes a store with three runs (r1 oldest, valid; r2 invalid
// no-dedup with a report and a history; a run whose values are markup,
// newest), a secret file outside the store, and symbolic links out of it.
func testStore(t *testing.T) (store, outside string) {
	return testStoreF(t)
}

// testStoreF is testStore for tests and fuzz targets alike.
func testStoreF(t testing.TB) (store, outside string) {
	t.Helper()
	base := t.TempDir()
	store, outside = filepath.Join(base, "store"), filepath.Join(base, "outside")
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(store, "r1", "results.json"), `{"valid":true,"seed":1,"bug":"","nemesis":["crash"],"stats":{"ops":10},"checkers":{},"anomalies":[]}`)
	write(filepath.Join(store, "r2", "results.json"), `{"valid":false,"seed":2,"bug":"no-dedup","nemesis":["duplicate","crash"],"stats":{"ops":20},"checkers":{},"anomalies":["duplicate-effect"],"command":"jepsen-lite run --seed 2 --bug no-dedup"}`)
	write(filepath.Join(store, "r2", "report.html"), `<!doctype html><title>report r2</title><p id="verdict">invalid</p>`)
	write(filepath.Join(store, "r2", "linearizable-o-1.html"), `<p>viz</p>`)
	write(filepath.Join(store, "r2", "history.jsonl"), `{"index":0,"type":"invoke","process":0,"f":"place","key":"<script>alert(4)</script>","time":1}`+"\n")
	evil := filepath.Join(store, "nested", xssDir)
	write(filepath.Join(evil, "results.json"), `{"valid":false,"seed":3,"bug":"`+strings.ReplaceAll(xssBug, `"`, `\"`)+`","nemesis":["<b>n</b>"],"stats":{"ops":1},"checkers":{},"anomalies":["`+strings.ReplaceAll(xssAnomaly, `"`, `\"`)+`"]}`)
	write(filepath.Join(store, "broken", "results.json"), `{"valid":`)
	write(filepath.Join(store, "camp", "results.json"), `{"valid":false,"bug":"no-occ","runs":[{"seed":1,"nemesis":["crash"],"valid":false,"anomalies":["nonlinearizable"]},{"seed":2,"nemesis":["delay"],"valid":true,"anomalies":[]}]}`)
	write(filepath.Join(outside, "secret.txt"), secret)
	write(filepath.Join(outside, "run", "results.json"), `{"valid":true,"seed":99,"bug":"outside","nemesis":[],"stats":{},"checkers":{}}`)
	links := map[string]string{
		filepath.Join(store, "r2", "leak.txt"):   filepath.Join(outside, "secret.txt"),
		filepath.Join(store, "r2", "rel.txt"):    filepath.Join("..", "..", "outside", "secret.txt"),
		filepath.Join(store, "linkdir"):          outside,
		filepath.Join(store, "r1", "report.txt"): filepath.Join(store, "r2", "report.html"), // inside: allowed
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	// Modification times fix the order: r1 oldest, then broken, r2, the markup run.
	now := time.Now()
	for i, dir := range []string{filepath.Join(store, "camp"), filepath.Join(store, "r1"), filepath.Join(store, "broken"), filepath.Join(store, "r2"), evil} {
		at := now.Add(time.Duration(i-5) * time.Hour)
		if err := os.Chtimes(filepath.Join(dir, "results.json"), at, at); err != nil {
			t.Fatal(err)
		}
	}
	return store, outside
}

func get(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.Host = "127.0.0.1:8080"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func newTestServer(t *testing.T) (*Server, http.Handler) {
	store, _ := testStore(t)
	s, err := New(store)
	if err != nil {
		t.Fatal(err)
	}
	return s, s.Handler()
}

func TestListNewestFirstAndFilters(t *testing.T) {
	_, h := newTestServer(t)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"nested/" + xssDir, "r2", "broken", "r1", "camp"}},
		{"?verdict=invalid", []string{"nested/" + xssDir, "r2", "camp"}},
		{"?anomaly=nonlinearizable", []string{"camp"}},
		{"?bug=no-occ&nemesis=delay", []string{"camp"}},
		{"?verdict=valid", []string{"r1"}},
		{"?verdict=unknown", []string{"broken"}},
		{"?bug=no-dedup", []string{"r2"}},
		{"?bug=none", []string{"broken", "r1"}},
		{"?nemesis=crash", []string{"r2", "r1", "camp"}},
		{"?anomaly=duplicate-effect", []string{"r2"}},
		{"?q=nested", []string{"nested/" + xssDir}},
		{"?verdict=invalid&bug=no-dedup", []string{"r2"}},
	} {
		res, body := get(t, h, "/api/runs"+c.query)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", c.query, res.StatusCode)
		}
		var runs []Run
		if err := json.Unmarshal([]byte(body), &runs); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range runs {
			ids = append(ids, r.ID)
		}
		if strings.Join(ids, "|") != strings.Join(c.want, "|") {
			t.Errorf("runs%s = %q, want %q", c.query, ids, c.want)
		}
		// The HTML list shows the same rows in the same order.
		_, page := get(t, h, "/"+c.query)
		last := -1
		for _, id := range c.want {
			at := strings.Index(page, "<code>"+template.HTMLEscapeString(id)+"</code>")
			if at < 0 || at < last {
				t.Errorf("page%s: run %q missing or out of order", c.query, id)
			}
			last = at
		}
		if n := strings.Count(page, `<tr class="run"`); n != len(c.want) {
			t.Errorf("page%s: %d rows, want %d", c.query, n, len(c.want))
		}
	}
}

func TestListEscapesRunValues(t *testing.T) {
	_, h := newTestServer(t)
	res, page := get(t, h, "/")
	for _, raw := range []string{xssBug, xssAnomaly, xssDir, "<b>n</b>", "<script>"} {
		if strings.Contains(page, raw) {
			t.Errorf("the list holds %q unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;bug&#34;)&lt;/script&gt;") {
		t.Errorf("the bug is not shown escaped")
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("list CSP %q allows scripts", csp)
	}
	// A query value is echoed in the form escaped too.
	_, page = get(t, h, "/?q=%22%3E%3Cscript%3Ealert(5)%3C/script%3E")
	if strings.Contains(page, "<script>alert(5)") {
		t.Errorf("the query is echoed unescaped")
	}
}

func TestFilesOfARun(t *testing.T) {
	_, h := newTestServer(t)
	for target, want := range map[string]string{
		"/files/r2/report.html":   "text/html; charset=utf-8",
		"/files/r2/history.jsonl": "text/plain; charset=utf-8",
		"/files/r2/results.json":  "application/json",
		"/files/r1/report.txt":    "text/plain; charset=utf-8", // a link inside the store
	} {
		res, body := get(t, h, target)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != want || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %q (nosniff %q), want 200 %q", target, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("X-Content-Type-Options"), want)
		}
		if body == "" {
			t.Errorf("%s: empty", target)
		}
	}
	res, _ := get(t, h, "/files/r2/report.html")
	if !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("report served without a sandbox")
	}
	// The list links each run's report, history and results.
	_, page := get(t, h, "/?bug=no-dedup")
	for _, href := range []string{`href="/files/r2/report.html"`, `href="/files/r2/history.jsonl"`, `href="/files/r2/results.json"`, `href="/files/r2/linearizable-o-1.html"`} {
		if !strings.Contains(page, href) {
			t.Errorf("list lacks %s", href)
		}
	}
}

// No request reads a file outside the store: ".." in every spelling,
// absolute paths, and symbolic links out of the store (to a file and to a
// directory) are refused; so are directories.
func TestNoFileOutsideTheStore(t *testing.T) {
	s, h := newTestServer(t)
	for _, target := range []string{
		"/files/../outside/secret.txt",
		"/files/%2e%2e/outside/secret.txt",
		"/files/r2/..%2f..%2foutside%2fsecret.txt",
		"/files/r2/%2e%2e/%2e%2e/outside/secret.txt",
		"/files/..%5coutside%5csecret.txt",
		"/files//etc/passwd",
		"/files/%2fetc%2fpasswd",
		"/files/r2/leak.txt",
		"/files/r2/rel.txt",
		"/files/linkdir/secret.txt",
		"/files/linkdir/run/results.json",
		"/files/r2",
		"/files/",
		"/files/r2/%00",
		"/../outside/secret.txt",
	} {
		res, body := get(t, h, target)
		if res.StatusCode == 200 || strings.Contains(body, secret) || strings.Contains(body, `"seed":99`) {
			t.Errorf("%s: status %d, body %.60q", target, res.StatusCode, body)
		}
	}
	for _, rel := range []string{"../outside/secret.txt", "r2/../../outside/secret.txt", "/etc/passwd", `..\outside\secret.txt`, "r2/leak.txt", "r2/rel.txt", "linkdir/secret.txt", "r2", "", "r2/\x00"} {
		if p, err := s.resolve(rel); err == nil {
			t.Errorf("resolve(%q) = %s, want refused", rel, p)
		}
	}
	if _, err := s.resolve("r1/report.txt"); err != nil {
		t.Errorf("a link to a file inside the store was refused: %v", err)
	}
	// The list does not follow the link to a directory out of the store.
	_, body := get(t, h, "/api/runs")
	if strings.Contains(body, "outside") {
		t.Errorf("a run outside the store is listed: %s", body)
	}
}

func TestOnlyLoopbackHosts(t *testing.T) {
	s, h := newTestServer(t)
	for host, want := range map[string]int{"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "evil.example:8080": 403, "10.0.0.1": 403} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: %d, want %d", host, rec.Code, want)
		}
	}
	s.AnyHost = true
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "evil.example"
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("AnyHost: %d", rec.Code)
	}
}

func TestNewRejectsNonDirectory(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	for _, dir := range []string{f, filepath.Join(t.TempDir(), "missing")} {
		if _, err := New(dir); err == nil || !strings.HasPrefix(err.Error(), "--store ") {
			t.Errorf("New(%s): %v", dir, err)
		}
	}
}

// Serve answers on a loopback listener and returns nil soon after its
// context is cancelled.
func TestServeShutsDownGracefully(t *testing.T) {
	s, _ := newTestServer(t)
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	client := &http.Client{Timeout: 5 * time.Second}
	res, err := client.Get("http://" + ln.Addr().String() + "/api/runs?bug=no-dedup")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `"r2"`) {
		t.Fatalf("GET: %d %s", res.StatusCode, b)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(shutdownMax + time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := client.Get("http://" + ln.Addr().String() + "/"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}
