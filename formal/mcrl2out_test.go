package formal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Outputs of the mCRL2 tools as captured from real runs (testdata/mcrl2/).
func readCaptured(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mcrl2", name))
	if os.IsNotExist(err) {
		t.Skipf("no captured output %s yet", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseLps2ltsDone(t *testing.T) {
	c, err := parseLps2ltsDone(readCaptured(t, "lps2lts-v.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if c.States <= 0 || c.Transitions < c.States || c.Levels <= 0 {
		t.Errorf("counts %+v", c)
	}
	for in, want := range map[string]lpsLTSCounts{
		"[info] done with state space generation (1 level, 1 state and 0 transitions)\n":                              {1, 1, 0},
		"x\n[12:00:01.5 info]    done with state space generation (22 levels, 33,012 states and 180,004 transitions)": {22, 33012, 180004},
	} {
		got, err := parseLps2ltsDone(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v, want %+v", in, got, err, want)
		}
	}
	if _, err := parseLps2ltsDone("error: out of memory\n"); err == nil || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("error %v", err)
	}
}

func TestParsePbessolve(t *testing.T) {
	for in, want := range map[string]bool{
		readCaptured(t, "pbessolve-true.txt"):  true,
		readCaptured(t, "pbessolve-false.txt"): false,
		"true\n":                               true,
		"[info] solving\nfalse\n":              false,
	} {
		got, err := parsePbessolve(in)
		if err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	if _, err := parsePbessolve("error: parse error\n"); err == nil {
		t.Error("no verdict accepted")
	}
}

func TestParseMCRL2Version(t *testing.T) {
	v, err := parseMCRL2Version(readCaptured(t, "version.txt"))
	if err != nil || !strings.HasPrefix(v, "mCRL2 toolset") {
		t.Errorf("%q %v", v, err)
	}
	if _, err := parseMCRL2Version("bash: mcrl22lps: not found"); err == nil {
		t.Error("no version accepted")
	}
}

func TestToolError(t *testing.T) {
	e := toolError("mcrl22lps", errors.New("exit status 1"), "a\nerror: type checking failed\nline 3\nerror: x\n")
	if strings.Contains(e, "\n") || !strings.Contains(e, "type checking failed") || !strings.HasPrefix(e, "mcrl22lps: exit status 1") {
		t.Errorf("%q", e)
	}
}

// The parsers of tool output never panic and give one-line errors.
func FuzzMCRL2Outputs(f *testing.F) {
	for _, name := range []string{"lps2lts-v.txt", "pbessolve-true.txt", "pbessolve-false.txt", "version.txt"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "mcrl2", name)); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(sampleFSM)
	f.Add("done with state space generation (9 levels, 99999999999999999999 states and 1 transitions)")
	f.Fuzz(func(t *testing.T, s string) {
		oneLine := func(err error) {
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
		}
		c, err := parseLps2ltsDone(s)
		oneLine(err)
		if err == nil && (c.States < 0 || c.Transitions < 0) {
			t.Errorf("negative counts %+v", c)
		}
		_, err = parsePbessolve(s)
		oneLine(err)
		_, err = parseMCRL2Version(s)
		oneLine(err)
		if e := toolError("t", errors.New("x"), s); strings.Contains(e, "\n") || !utf8.ValidString(e) && utf8.ValidString(s) {
			t.Errorf("toolError %q", e)
		}
		l, err := ParseFSM(strings.NewReader(s), "f.fsm")
		oneLine(err)
		if err == nil {
			for _, p := range []string{"Deadlock", "EventuallyTerminal", "NoLostEvent"} {
				if c, ok := l.Counterexample(p); ok && len(c.Steps) == 0 {
					t.Errorf("%s: empty counterexample", p)
				}
			}
		}
	})
}

// A real lps2lts run: its verbose counts agree with the FSM it wrote, and
// the tail of the correct config's run parses.
func TestCapturedLps2lts(t *testing.T) {
	c, err := parseLps2ltsDone(readCaptured(t, "lps2lts-v.txt"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseFSM(strings.NewReader(readCaptured(t, "small.fsm")), "small.fsm")
	if err != nil {
		t.Fatal(err)
	}
	if c.States != int64(l.NumStates()) || c.Transitions != int64(len(l.Trans)) || l.Params[0] != "n_P3" || l.Value(2, 0) != "2" {
		t.Errorf("lps2lts said %+v; FSM: %d states, %d transitions, %v", c, l.NumStates(), len(l.Trans), l.Params)
	}
	c, err = parseLps2ltsDone(readCaptured(t, "lps2lts-v-correct-tail.txt"))
	if err != nil || c != (lpsLTSCounts{Levels: 23, States: 33012, Transitions: 160828}) {
		t.Errorf("%+v %v", c, err)
	}
}
