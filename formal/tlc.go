package formal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Check is one model-checking verdict: a config (the bug switch) and a
// property, as TLC or mCRL2 gave it.
type Check struct {
	Tool     string `json:"tool"`
	Config   string `json:"config"`
	Property string `json:"property"`
	// Verdict is "pass" (the property holds), "fail" (violated) or "error".
	Verdict  string `json:"verdict"`
	States   int64  `json:"states,omitempty"`
	Distinct int64  `json:"distinct,omitempty"`
	Depth    int64  `json:"depth,omitempty"`
	// Transitions is the mCRL2 LTS's transition count (observation loops
	// included); BuildSeconds the time to linearise and build the LTS,
	// shared by the config's properties (Seconds is the formula's own).
	Transitions  int64   `json:"transitions,omitempty"`
	BuildSeconds float64 `json:"build_seconds,omitempty"`
	Seconds      float64 `json:"seconds"`
	Error        string  `json:"error,omitempty"`
	// Trace is the counterexample, when the property failed.
	Trace json.RawMessage `json:"trace,omitempty"`
}

// Verdicts.
const (
	Pass  = "pass"
	Fail  = "fail"
	Error = "error"
)

// tlcTimeout bounds one TLC run.
const tlcTimeout = 5 * time.Minute

// Version returns TLC's version banner, from a run on a trivial spec (TLC
// prints it at the start of every run and has no version flag).
func (t *TLC) Version(ctx context.Context) (string, error) {
	dir, err := os.MkdirTemp("", "jepsen-lite-tlc-version-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	spec := "---- MODULE V ----\nVARIABLE x\nInit == x = 0\nNext == UNCHANGED x\n====\n"
	if err := os.WriteFile(filepath.Join(dir, "V.tla"), []byte(spec), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "V.cfg"), []byte("INIT Init\nNEXT Next\n"), 0o644); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, t.Java, "-cp", t.Jar, "tlc2.TLC", "-tool", "-metadir", filepath.Join(dir, "states"), "V")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	for _, m := range parseTLCMessages(string(out)) {
		if m.Code == msgVersion {
			if v := reVersion.FindString(m.Text); v != "" {
				return strings.TrimSpace(v), nil
			}
		}
	}
	return "", fmt.Errorf("tlc: no version banner in its output")
}

// CheckProperty model-checks one property of spec under the constants of
// cfg: it writes a cfg with cfg's SPECIFICATION and CONSTANTS and only that
// property (an invariant, a temporal property, or "Deadlock"), runs TLC with
// -tool and parses the verdict, counts and the counterexample.
func (t *TLC) CheckProperty(ctx context.Context, spec, cfg, config, property string, temporal bool) Check {
	set := propertySet{invariants: []string{property}}
	switch {
	case property == "Deadlock":
		set = propertySet{deadlock: true}
	case temporal:
		set = propertySet{temporal: []string{property}}
	}
	c := t.checkSet(ctx, spec, cfg, config, set)
	c.Property = property
	return c
}

// propertySet is what one TLC run checks.
type propertySet struct {
	invariants, temporal []string
	deadlock             bool
}

func (p propertySet) cfg() string {
	var b strings.Builder
	if len(p.invariants) > 0 {
		b.WriteString("INVARIANTS\n    " + strings.Join(p.invariants, "\n    ") + "\n")
	}
	if len(p.temporal) > 0 {
		b.WriteString("PROPERTIES\n    " + strings.Join(p.temporal, "\n    ") + "\n")
	}
	fmt.Fprintf(&b, "CHECK_DEADLOCK %v\n", map[bool]string{true: "TRUE", false: "FALSE"}[p.deadlock])
	return b.String()
}

// checkSet runs TLC once on a set of properties. On a violation, Property
// names the one violated (TLC stops at the first).
func (t *TLC) checkSet(ctx context.Context, spec, cfg, config string, set propertySet) Check {
	c := Check{Tool: "tlc", Config: config}
	base, err := os.ReadFile(cfg)
	if err != nil {
		c.Verdict, c.Error = Error, err.Error()
		return c
	}
	work, err := os.MkdirTemp("", "jepsen-lite-tlc-")
	if err != nil {
		c.Verdict, c.Error = Error, err.Error()
		return c
	}
	defer os.RemoveAll(work)
	body := StripProperties(string(base)) + set.cfg()
	cfgPath := filepath.Join(work, "check.cfg")
	tracePath := filepath.Join(work, "trace.json")
	if err := os.WriteFile(cfgPath, []byte(body), 0o644); err != nil {
		c.Verdict, c.Error = Error, err.Error()
		return c
	}
	ctx, cancel := context.WithTimeout(ctx, tlcTimeout)
	defer cancel()
	cp := t.Jar
	if t.CommunityJar != "" {
		cp += string(os.PathListSeparator) + t.CommunityJar
	}
	abs, _ := filepath.Abs(spec)
	cmd := exec.CommandContext(ctx, t.Java, "-XX:+UseParallelGC", "-cp", cp, "tlc2.TLC",
		"-tool", "-workers", "1", "-nowarning", "-cleanup", "-metadir", filepath.Join(work, "states"),
		"-config", cfgPath, "-dumpTrace", "json", tracePath, abs)
	cmd.Dir = filepath.Dir(abs)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	runErr := cmd.Run()
	c.Seconds = time.Since(start).Seconds()
	interpretTLC(&c, out.String(), runErr, set)
	if c.Verdict == Fail {
		if b, err := os.ReadFile(tracePath); err == nil && json.Valid(b) {
			c.Trace = b
		}
	}
	return c
}

// interpretTLC sets the verdict from TLC's messages and exit status.
func interpretTLC(c *Check, out string, runErr error, set propertySet) {
	var violated, success bool
	for _, m := range parseTLCMessages(out) {
		switch m.Code {
		case msgInvariantViolatedBehavior, msgInvariantViolatedInitial:
			violated = true
			if s := reInvariant.FindStringSubmatch(m.Text); s != nil {
				c.Property = s[1]
			}
		case msgDeadlock:
			violated, c.Property = true, "Deadlock"
		case msgTemporalViolated, msgPropertyViolatedInitial, msgActionPropertyViolated:
			violated = true
			if len(set.temporal) == 1 {
				c.Property = set.temporal[0]
			}
		case msgSuccess:
			success = true
		case msgStats:
			if s := reStats.FindStringSubmatch(m.Text); s != nil {
				c.States, c.Distinct = atoi(s[1]), atoi(s[2])
			}
		case msgSearchDepth:
			if s := reDepth.FindStringSubmatch(m.Text); s != nil {
				c.Depth = atoi(s[1])
			}
		}
	}
	var exit *exec.ExitError
	code := 0
	if errors.As(runErr, &exit) {
		code = exit.ExitCode()
	} else if runErr != nil {
		c.Verdict, c.Error = Error, runErr.Error()
		return
	}
	switch {
	case violated && (code == 11 || code == 12 || code == 13 || code == 10):
		c.Verdict = Fail
	case success && code == 0:
		c.Verdict = Pass
	default:
		c.Verdict = Error
		c.Error = fmt.Sprintf("TLC exit %d: %s", code, LastLines(out, 6))
	}
}

// StripProperties removes the INVARIANT(S), PROPERTY(IES) and
// CHECK_DEADLOCK sections of a cfg, keeping SPECIFICATION, CONSTANTS and
// the rest. A section keyword inside a \* comment does not count.
func StripProperties(cfg string) string {
	var out []string
	skipping := false
	for _, line := range strings.Split(cfg, "\n") {
		code := line
		if k := strings.Index(code, `\*`); k >= 0 {
			code = code[:k]
		}
		if f := strings.Fields(code); len(f) > 0 && isKeyword(f[0]) {
			switch f[0] {
			case "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "CHECK_DEADLOCK":
				skipping = true
				continue
			}
			skipping = false
		}
		if !skipping {
			out = append(out, line)
		}
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

func isKeyword(w string) bool {
	switch w {
	case "SPECIFICATION", "INIT", "NEXT", "CONSTANT", "CONSTANTS", "INVARIANT", "INVARIANTS",
		"PROPERTY", "PROPERTIES", "CHECK_DEADLOCK", "SYMMETRY", "VIEW", "CONSTRAINT", "CONSTRAINTS",
		"ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "ALIAS", "POSTCONDITION":
		return true
	}
	return false
}

// LastLines is the last n lines of a tool's output joined by " | ", for a
// one-line error message.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
