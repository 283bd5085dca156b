package formal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A hand-written sample in TLC's -tool message format.
const toolOutput = `@!@!@STARTMSG 2262:0 @!@!@
TLC2 Version 2026.04.29 (rev: cc6b616)
@!@!@ENDMSG 2262 @!@!@
noise outside messages
@!@!@STARTMSG 2110:1 @!@!@
Invariant NoDuplicateEffect is violated.
@!@!@ENDMSG 2110 @!@!@
@!@!@STARTMSG 2199:0 @!@!@
1,234 states generated, 567 distinct states found, 0 states left on queue.
@!@!@ENDMSG 2199 @!@!@
@!@!@STARTMSG 2194:0 @!@!@
The depth of the complete state graph search is 17.
@!@!@ENDMSG 2194 @!@!@
`

func exitErr(t *testing.T, code int) error {
	t.Helper()
	err := exec.Command("sh", "-c", fmt.Sprintf("exit %d", code)).Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("no exit error for %d: %v", code, err)
	}
	return err
}

func TestInterpretTLCViolation(t *testing.T) {
	var c Check
	interpretTLC(&c, toolOutput, exitErr(t, 12), propertySet{invariants: []string{"TypeOK", "NoDuplicateEffect"}})
	if c.Verdict != Fail || c.Property != "NoDuplicateEffect" || c.States != 1234 || c.Distinct != 567 || c.Depth != 17 {
		t.Fatalf("%+v", c)
	}
}

func TestInterpretTLCSuccessAndErrors(t *testing.T) {
	ok := "@!@!@STARTMSG 2193:0 @!@!@\nModel checking completed. No error has been found.\n@!@!@ENDMSG 2193 @!@!@\n"
	var c Check
	interpretTLC(&c, ok, nil, propertySet{})
	if c.Verdict != Pass {
		t.Fatalf("success: %+v", c)
	}
	// A parse error (exit 150) with no verdict message is an error, never a pass.
	var e Check
	interpretTLC(&e, "***Parse Error***\n", exitErr(t, 15), propertySet{})
	if e.Verdict != Error || !strings.Contains(e.Error, "exit 15") {
		t.Fatalf("parse error: %+v", e)
	}
	// A temporal violation names the one temporal property checked.
	tv := "@!@!@STARTMSG 2116:1 @!@!@\nTemporal properties were violated.\n@!@!@ENDMSG 2116 @!@!@\n"
	var l Check
	interpretTLC(&l, tv, exitErr(t, 13), propertySet{temporal: []string{"EventuallyTerminal"}})
	if l.Verdict != Fail || l.Property != "EventuallyTerminal" {
		t.Fatalf("temporal: %+v", l)
	}
}

func TestParseCfgAndStrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "no-dedup.cfg")
	body := "\\* comment\nSPECIFICATION Spec\nCONSTANTS\n    Bug = \"no-dedup\"\n    MaxDup = 1\nINVARIANTS\n    A\n    B\nPROPERTIES\n    L\nCHECK_DEADLOCK TRUE\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := parseCfg(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "no-dedup" || c.Bug != "no-dedup" || strings.Join(c.Properties(), ",") != "A,B,L,Deadlock" {
		t.Fatalf("%+v", c)
	}
	s := StripProperties(body)
	if strings.Contains(s, "INVARIANTS") || strings.Contains(s, "CHECK_DEADLOCK") || !strings.Contains(s, "MaxDup = 1") {
		t.Fatalf("strip:\n%s", s)
	}
	set := propertySet{invariants: []string{"A", "B"}, temporal: []string{"L"}, deadlock: true}.without("B").without("Deadlock")
	if strings.Join(set.all(), ",") != "A,L" {
		t.Fatalf("without: %v", set.all())
	}
}

// Without the tools, the finders say how to install them.
func TestFindToolsExplain(t *testing.T) {
	t.Setenv("TLA2TOOLS_JAR", filepath.Join(t.TempDir(), "missing.jar"))
	if _, err := FindTLC(); err == nil || !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "TLA2TOOLS_JAR") {
		t.Fatalf("FindTLC: %v", err)
	}
	t.Setenv("MCRL2_BIN", t.TempDir())
	if _, err := FindMCRL2(); err == nil || !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "mcrl22lps") {
		t.Fatalf("FindMCRL2: %v", err)
	}
}
