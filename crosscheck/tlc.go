package crosscheck

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/jepsen-lite/jepsen-lite/formal"
)

// tlcDumpTimeout bounds one TLC run that dumps a state graph.
const tlcDumpTimeout = 20 * time.Minute

// TLCDump is TLC's full state graph of one config, canonicalised.
type TLCDump struct {
	Graph   CanonGraph
	Seconds float64 // TLC's wall time, the dump included
}

// DumpTLC runs TLC on spec (a .tla file) with the constants of cfg and no
// invariants, properties or deadlock check — TLC stops at the first
// violation, and the whole graph is wanted — dumping the state graph with
// action labels (-dump dot,actionlabels) into a temporary directory, and
// returns it canonicalised. One worker, as the golden runs.
func DumpTLC(ctx context.Context, t *formal.TLC, spec, cfg string) (TLCDump, error) {
	var out TLCDump
	body, err := os.ReadFile(cfg)
	if err != nil {
		return out, err
	}
	work, err := os.MkdirTemp("", "jepsen-lite-tlcdump-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(work)
	cfgPath := filepath.Join(work, "dump.cfg")
	if err := os.WriteFile(cfgPath, []byte(StripChecks(string(body))), 0o644); err != nil {
		return out, err
	}
	dot := filepath.Join(work, "graph.dot")
	ctx, cancel := context.WithTimeout(ctx, tlcDumpTimeout)
	defer cancel()
	abs, err := filepath.Abs(spec)
	if err != nil {
		return out, err
	}
	cmd := exec.CommandContext(ctx, t.Java, "-XX:+UseParallelGC", "-cp", t.Jar, "tlc2.TLC",
		"-workers", "1", "-nowarning", "-cleanup", "-metadir", filepath.Join(work, "states"),
		"-config", cfgPath, "-dump", "dot,actionlabels", dot, abs)
	cmd.Dir = work
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return out, fmt.Errorf("tlc on %s: %v: %s", filepath.Base(cfg), err, formal.LastLines(log.String(), 5))
	}
	out.Seconds = time.Since(start).Seconds()
	f, err := os.Open(dot)
	if err != nil {
		return out, err
	}
	defer f.Close()
	out.Graph, err = ParseTLCDot(f)
	if err != nil {
		return out, fmt.Errorf("%s: %v", filepath.Base(cfg), err)
	}
	return out, nil
}

// StripChecks removes the INVARIANT(S), PROPERTY(IES) and CHECK_DEADLOCK
// sections of a cfg and turns the deadlock check off, keeping the rest
// (SPECIFICATION, CONSTANTS): the whole reachable graph is dumped.
func StripChecks(cfg string) string {
	return formal.StripProperties(cfg) + "CHECK_DEADLOCK FALSE\n"
}
