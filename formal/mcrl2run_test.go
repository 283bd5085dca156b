package formal

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeMCRL2 writes stand-ins for the mCRL2 tools into a directory: lps2lts
// "generates" the FSM in $FAKE_FSM and reports $FAKE_COUNTS; pbessolve
// answers false for the formulas whose file names are in $FAKE_FALSE and
// true otherwise. They test the runner's plumbing, not the model.
func fakeMCRL2(t *testing.T) *MCRL2 {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell stand-ins")
	}
	dir := t.TempDir()
	tools := map[string]string{
		"mcrl22lps": `if [ "$1" = --version ]; then echo "mcrl22lps mCRL2 toolset 202407.1 (Release)"; exit 0; fi
cp "$1" "$2"`,
		"lps2lts": `for a; do out=$a; done; cp "$FAKE_FSM" "$out"
echo "[12:00:00.000 info]    done with state space generation ($FAKE_COUNTS)" >&2`,
		"lps2pbes":   `echo "$2" > "$4"`,
		"pbessolve":  `f=$(basename "$(cat "$1")"); case " $FAKE_FALSE " in *" $f "*) echo false;; *) echo true;; esac`,
		"ltsinfo":    `exit 0`,
		"ltscompare": `exit 0`,
		"ltsconvert": `cp "$1" "$2"`,
	}
	for name, body := range tools {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	fsm := filepath.Join(dir, "sample.fsm")
	if err := os.WriteFile(fsm, []byte(sampleFSM), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKE_FSM", fsm)
	t.Setenv("FAKE_COUNTS", "3 levels, 6 states and 11 transitions")
	return &MCRL2{Bin: dir}
}

func ackBeforePersist(t *testing.T) []Config {
	t.Helper()
	configs, err := LoadConfigs(specDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range configs {
		if c.Name == "ack-before-persist" {
			return []Config{c}
		}
	}
	t.Fatal("no ack-before-persist config")
	return nil
}

func byProperty(checks []Check) map[string]Check {
	out := map[string]Check{}
	for _, c := range checks {
		out[c.Property] = c
	}
	return out
}

func TestRunMCRL2Plumbing(t *testing.T) {
	m := fakeMCRL2(t)
	t.Setenv("FAKE_FALSE", "NoLostCommand.mcf deadlock_free.mcf")
	configs := ackBeforePersist(t)
	if v, err := m.Version(context.Background()); err != nil || v != "mCRL2 toolset 202407.1 (Release)" {
		t.Errorf("version %q %v", v, err)
	}
	var seen int
	checks := RunMCRL2(context.Background(), m, specDir, configs, func(Check) { seen++ })
	if seen != len(checks) || len(checks) != len(configs[0].Properties())-1 {
		t.Fatalf("%d checks (%d seen) for %v (TypeOK has no formula)", len(checks), seen, configs[0].Properties())
	}
	by := byProperty(checks)
	if _, ok := by["TypeOK"]; ok {
		t.Error("TypeOK checked by mCRL2")
	}
	nlc := by["NoLostCommand"]
	if nlc.Verdict != Fail || nlc.States != 6 || nlc.Transitions != 11 || nlc.Depth != 3 || nlc.Tool != "mcrl2" {
		t.Errorf("NoLostCommand %+v", nlc)
	}
	var tr MCRL2Trace
	if err := json.Unmarshal(nlc.Trace, &tr); err != nil || tr.Actions() != "setup(1, 1) · place · violated(NoLostCommand)" {
		t.Errorf("trace %s: %v", nlc.Trace, err)
	}
	if d := by["Deadlock"]; d.Verdict != Fail || len(d.Trace) == 0 {
		t.Errorf("Deadlock %+v", d)
	}
	if e := by["NoLostEvent"]; e.Verdict != Pass || e.Trace != nil {
		t.Errorf("NoLostEvent %+v", e)
	}
	if ok, why := Expected(configs[0], checks); !ok {
		t.Errorf("expected: %s", why)
	}
	res := ToResults("mcrl2", configs, checks)
	found := false
	for _, a := range res.Checkers["mcrl2:ack-before-persist"].Anomalies {
		found = found || a.Key == "NoLostCommand" && strings.Contains(a.Detail, "setup(1, 1) · place · violated(NoLostCommand)")
	}
	if !found {
		t.Errorf("the report does not show the counterexample: %+v", res.Checkers)
	}
}

// pbessolve is double-checked against the LTS: a verdict the LTS
// contradicts is an error, never a pass or a fail.
func TestRunMCRL2ContradictedByLTS(t *testing.T) {
	m := fakeMCRL2(t)
	t.Setenv("FAKE_FALSE", "NoLostEvent.mcf")
	by := byProperty(RunMCRL2(context.Background(), m, specDir, ackBeforePersist(t), nil))
	for p, want := range map[string]string{
		"NoLostCommand": "says it holds but the LTS has a counterexample",
		"Deadlock":      "says it holds but the LTS has a counterexample",
		"NoLostEvent":   "says it fails but the LTS has no counterexample",
	} {
		if c := by[p]; c.Verdict != Error || !strings.Contains(c.Error, want) {
			t.Errorf("%s: %s %q, want error %q", p, c.Verdict, c.Error, want)
		}
	}
	if c := by["CausalOrder"]; c.Verdict != Pass {
		t.Errorf("CausalOrder %+v", c)
	}
}

func TestRunMCRL2ToolFailures(t *testing.T) {
	m := fakeMCRL2(t)
	t.Setenv("FAKE_COUNTS", "3 levels, 7 states and 11 transitions")
	for _, c := range RunMCRL2(context.Background(), m, specDir, ackBeforePersist(t), nil) {
		if c.Verdict != Error || !strings.Contains(c.Error, "reported 7 states") {
			t.Fatalf("%s: %s %q", c.Property, c.Verdict, c.Error)
		}
	}
	if err := os.WriteFile(m.Tool("mcrl22lps"), []byte("#!/bin/sh\necho 'error: type checking failed' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range RunMCRL2(context.Background(), m, specDir, ackBeforePersist(t), nil) {
		if c.Verdict != Error || !strings.Contains(c.Error, "mcrl22lps") || !strings.Contains(c.Error, "type checking failed") {
			t.Fatalf("%s: %s %q", c.Property, c.Verdict, c.Error)
		}
	}
}
