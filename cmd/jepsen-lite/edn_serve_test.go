package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/results"
)

const knossos = "../../interop/jepsen/testdata/knossos/"

// check --format jepsen-edn gives Knossos' verdicts as exit codes and writes
// results.json (and porcupine's visualization when invalid) with --out.
func TestCheckJepsenEDN(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "check", "--format", "jepsen-edn", "--model", "cas-register", "--initial", "0",
		"--out", out, knossos+"cas-register/bad/cas-failure.edn")
	if code != exitInvalid || !strings.Contains(stdout, "model: cas-register") || !strings.Contains(stdout, "verdict: invalid (nonlinearizable)") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	res, err := results.Read(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	lin, ok := res.Checkers["linearizable"]
	if !ok || res.Valid.String() != "invalid" || len(lin.Anomalies) != 1 || !strings.Contains(res.Command, "--format jepsen-edn") {
		t.Fatalf("results.json: %+v", res)
	}
	for _, name := range []string{"linearizable.html", "junit.xml", "summary.md", "history.edn"} {
		if b, err := os.ReadFile(filepath.Join(out, name)); err != nil || len(b) == 0 {
			t.Fatalf("%s not written: %v", name, err)
		}
	}
	// Judging the copy in place gives the same verdict.
	if code, _, stderr := runCLI(t, "check", "--format", "jepsen-edn", "--model", "cas-register", "--initial", "0",
		"--out", out, filepath.Join(out, "history.edn")); code != exitInvalid {
		t.Fatalf("re-check of the copy: exit %d %s", code, stderr)
	}
	code, stdout, _ = runCLI(t, "check", "--format", "jepsen-edn", "--initial", "{:x 0 :y 0}", knossos+"multi-register/good/multi-register.edn")
	if code != exitValid || !strings.Contains(stdout, "model: multi-register") {
		t.Fatalf("multi-register: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "check", "--format", "jepsen-edn", "../../interop/jepsen/testdata/kafka/g1a.edn")
	if code != exitInvalid || !strings.Contains(stdout, "model: kafka") || !strings.Contains(stdout, "G1a") {
		t.Fatalf("kafka: exit %d\n%s", code, stdout)
	}
}

func TestCheckJepsenEDNErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.edn")
	os.WriteFile(bad, []byte("{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :process 0, :value 1\n"), 0o644)
	cas := knossos + "cas-register/bad/cas-failure.edn"
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--format", "edn", cas}, exitUsage, `--format "edn"`},
		{[]string{"--format", "jepsen-edn", "--model", "queue", cas}, exitUsage, `--model "queue"`},
		{[]string{"--model", "register", cas}, exitUsage, "need --format jepsen-edn"},
		{[]string{"--format", "jepsen-edn", "--initial", "0", "../../interop/jepsen/testdata/kafka/g1a.edn"}, exitData, "--initial and --independent apply to the register models"},
		{[]string{"--format", "jepsen-edn", "--model", "kafka", "--independent", "../../interop/jepsen/testdata/kafka/g1a.edn"}, exitUsage, "--initial and --independent apply to the register models"},
		{[]string{"--format", "jepsen-edn", bad}, exitData, bad + ":2: '{' opened here is not closed"},
		{[]string{"--format", "jepsen-edn", "--model", "register", cas}, exitData, ":f :cas: the register model takes :read and :write"},
		{[]string{"--format", "jepsen-edn", "--model", "multi-register", "--initial", "0", knossos + "multi-register/good/multi-register.edn"}, exitData, `--initial "0": the multi-register takes a map`},
	} {
		code, _, stderr := runCLI(t, append([]string{"check"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("check %v: exit %d, stderr %q; want %d and one line with %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// syncBuffer is a bytes buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serve prints its address, answers on loopback, and stops with exit 0 when
// its context ends (as on SIGINT).
func TestServeCommand(t *testing.T) {
	store := t.TempDir()
	os.MkdirAll(filepath.Join(store, "run1"), 0o755)
	os.WriteFile(filepath.Join(store, "run1", "results.json"), []byte(`{"valid":true,"seed":5,"bug":"","nemesis":[],"stats":{},"checkers":{}}`), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- serveUntil(ctx, []string{"--store", store, "--addr", "127.0.0.1:0"}, &stdout, &stderr) }()
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("no address printed: %q %q", stdout.String(), stderr.String())
	}
	res, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/api/runs")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `"run1"`) {
		t.Errorf("runs: %s", b)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitValid || !strings.Contains(stdout.String(), "stopped") {
			t.Fatalf("exit %d, stdout %q", code, stdout.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, args := range [][]string{{"--store", filepath.Join(store, "missing")}, {"extra"}, {"--port", "1"}} {
		if code, _, _ := runCLI(t, append([]string{"serve"}, args...)...); code != exitUsage {
			t.Errorf("serve %v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// A search that runs out of --timeout is unknown (exit 2), never valid.
func TestCheckJepsenEDNTimeout(t *testing.T) {
	code, stdout, stderr := runCLI(t, "check", "--format", "jepsen-edn", "--model", "cas-register", "--initial", "0",
		"--timeout", "1ns", knossos+"cas-register/good/memstress3-0.edn")
	if code != exitUnknown || !strings.Contains(stdout, "verdict: unknown") || !strings.Contains(stdout, "did not finish within --timeout 1ns") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}
