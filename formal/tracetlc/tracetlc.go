// Package tracetlc validates projected traces (checker/tracemodel) with
// TLC through spec/tla/trace/OrderSagaTrace.tla: the second tool beside the
// Go model. It sits in formal/ (it runs an external tool); tests skip when
// TLC is not installed.
package tracetlc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
	"github.com/jepsen-lite/jepsen-lite/formal"
)

// Verdicts of one projected trace.
const (
	Accepted = "accepted"
	Rejected = "rejected"
	Error    = "error"
)

// Validate runs TLC on one order's projected trace against the model with
// bug switch bug; specDir is the repository's spec/ directory. Accepted
// when TLC reaches the end of the trace (it reports TraceNotConsumed
// violated, exit 12), rejected when it explores every state without (exit
// 0); anything else is an error with TLC's last lines.
func Validate(ctx context.Context, tlc *formal.TLC, specDir, bug string, p *tracemodel.Projection) (string, error) {
	dir, err := os.MkdirTemp("", "tracetlc-")
	if err != nil {
		return Error, err
	}
	defer os.RemoveAll(dir)
	for src, dst := range map[string]string{
		filepath.Join(specDir, "tla", "OrderSaga.tla"):               "OrderSaga.tla",
		filepath.Join(specDir, "tla", "trace", "OrderSagaTrace.tla"): "OrderSagaTrace.tla",
		filepath.Join(specDir, "tla", "trace", "OrderSagaTrace.cfg"): "OrderSagaTrace.cfg",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			return Error, err
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			return Error, err
		}
	}
	var tr bytes.Buffer
	if err := tracemodel.WriteTLC(&tr, bug, p); err != nil {
		return Error, err
	}
	tracePath := filepath.Join(dir, "trace.ndjson")
	if err := os.WriteFile(tracePath, tr.Bytes(), 0o644); err != nil {
		return Error, err
	}
	cp := tlc.Jar
	if tlc.CommunityJar != "" {
		cp += string(os.PathListSeparator) + tlc.CommunityJar
	}
	cmd := exec.CommandContext(ctx, tlc.Java, "-XX:+UseParallelGC", "-cp", cp, "tlc2.TLC",
		"-config", "OrderSagaTrace.cfg", "-workers", "1", "-deadlock", "-metadir", filepath.Join(dir, "states"),
		"OrderSagaTrace.tla")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TRACE_FILE="+tracePath)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		return Error, err
	}
	switch {
	case code == 12 && bytes.Contains(out, []byte("TraceNotConsumed")):
		return Accepted, nil
	case code == 0:
		return Rejected, nil
	}
	return Error, fmt.Errorf("order %s: TLC exit %d: %s", p.Order, code, tail(string(out), 8))
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
