package formal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// mcrl2Timeout bounds one mCRL2 tool run; MCRL2_TIMEOUT (a duration)
// overrides it.
var mcrl2Timeout = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("MCRL2_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 10 * time.Minute
}()

// Version returns the toolset's version ("mCRL2 toolset 202407.1 (Release)").
func (m *MCRL2) Version(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, m.Tool("mcrl22lps"), "--version").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("mcrl22lps --version: %v", err)
	}
	return parseMCRL2Version(string(out))
}

// MCRL2Formula is the .mcf file that states a property under specDir/mcrl2
// ("Deadlock" is deadlock_free.mcf); "" when the property has none (TypeOK:
// mCRL2's sorts enforce it).
func MCRL2Formula(specDir, property string) string {
	name := property + ".mcf"
	if property == "Deadlock" {
		name = "deadlock_free.mcf"
	}
	p := filepath.Join(specDir, "mcrl2", name)
	if !isFile(p) {
		return ""
	}
	return p
}

// rewriterArgs prepends -r$MCRL2_REWRITER (e.g. jittyc, the compiling
// rewriter: faster on large state spaces, needs a C++ compiler) if set.
func (m *MCRL2) rewriterArgs(args ...string) []string {
	if r := os.Getenv("MCRL2_REWRITER"); r != "" {
		return append([]string{"-r" + r}, args...)
	}
	return args
}

// run runs one tool and returns its combined output.
func (m *MCRL2) run(ctx context.Context, dir, tool string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, mcrl2Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, m.Tool(tool), args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("timed out after %v", mcrl2Timeout)
	}
	return out.String(), err
}

// RunMCRL2 checks every config with the mCRL2 toolset: it instantiates the
// template for the config (MCRL2Spec), linearises it (mcrl22lps), builds
// the LTS (lps2lts, in FSM form: states, transitions and every state's
// values), and decides each property the config checks that has a formula
// with lps2pbes + pbessolve. A property that fails gets a counterexample:
// a shortest path in the LTS to where it fails (MCRL2Trace). The LTS also
// double-checks pbessolve: an invariant or deadlock verdict the LTS
// contradicts is an error, not a pass. progress, when set, sees each check.
func RunMCRL2(ctx context.Context, m *MCRL2, specDir string, configs []Config, progress func(Check)) []Check {
	var out []Check
	for _, c := range configs {
		for _, ch := range m.checkConfig(ctx, specDir, c) {
			out = append(out, ch)
			if progress != nil {
				progress(ch)
			}
		}
	}
	return out
}

// mcrl2Props returns the config's properties that have a formula.
func mcrl2Props(specDir string, c Config) []string {
	var out []string
	for _, p := range c.Properties() {
		if MCRL2Formula(specDir, p) != "" {
			out = append(out, p)
		}
	}
	return out
}

func (m *MCRL2) checkConfig(ctx context.Context, specDir string, c Config) []Check {
	props := mcrl2Props(specDir, c)
	fail := func(msg string) []Check {
		var out []Check
		for _, p := range props {
			out = append(out, Check{Tool: "mcrl2", Config: c.Name, Property: p, Verdict: Error, Error: msg})
		}
		return out
	}
	work, err := os.MkdirTemp("", "jepsen-lite-mcrl2-")
	if err != nil {
		return fail(err.Error())
	}
	defer os.RemoveAll(work)
	spec, err := LoadMCRL2Spec(specDir, c)
	if err != nil {
		return fail(err.Error())
	}
	if err := os.WriteFile(filepath.Join(work, "spec.mcrl2"), spec, 0o644); err != nil {
		return fail(err.Error())
	}
	start := time.Now()
	if out, err := m.run(ctx, work, "mcrl22lps", "spec.mcrl2", "spec.lps"); err != nil {
		return fail(toolError("mcrl22lps", err, out))
	}
	// The LTS in mCRL2's own format (with the data types: lts2pbes checks
	// formulas on it), converted to FSM for the runner to read. --cached
	// (enumeration caching) halves lps2lts's time on this model.
	out, err := m.run(ctx, work, "lps2lts", m.rewriterArgs("-v", "--cached", "spec.lps", "spec.lts")...)
	if err != nil {
		return fail(toolError("lps2lts", err, out))
	}
	counts, cerr := parseLps2ltsDone(out)
	if out, err := m.run(ctx, work, "ltsconvert", "spec.lts", "spec.fsm"); err != nil {
		return fail(toolError("ltsconvert", err, out))
	}
	f, err := os.Open(filepath.Join(work, "spec.fsm"))
	if err != nil {
		return fail(err.Error())
	}
	lts, err := ParseFSM(f, "spec.fsm")
	f.Close()
	if err != nil {
		return fail("lps2lts wrote an LTS the runner cannot read: " + err.Error())
	}
	build := time.Since(start).Seconds()
	if cerr == nil && (counts.States != int64(lts.NumStates()) || counts.Transitions != int64(len(lts.Trans))) {
		return fail(fmt.Sprintf("lps2lts reported %d states and %d transitions, its FSM holds %d and %d",
			counts.States, counts.Transitions, lts.NumStates(), len(lts.Trans)))
	}
	var checks []Check
	for _, p := range props {
		ch := Check{Tool: "mcrl2", Config: c.Name, Property: p,
			States: int64(lts.NumStates()), Transitions: int64(len(lts.Trans)), Depth: counts.Levels, BuildSeconds: build}
		m.checkFormula(ctx, work, MCRL2Formula(specDir, p), lts, &ch)
		checks = append(checks, ch)
	}
	return checks
}

// checkFormula decides one property with lps2pbes + pbessolve and attaches
// the LTS's counterexample.
func (m *MCRL2) checkFormula(ctx context.Context, work, mcf string, lts *LTS, ch *Check) {
	abs, _ := filepath.Abs(mcf)
	start := time.Now()
	defer func() { ch.Seconds = time.Since(start).Seconds() }()
	// lts2pbes (on the LTS already built) when the toolset has it: it does
	// not explore the state space again; else lps2pbes on the LPS.
	gen, args := "lps2pbes", []string{"-f", abs, "spec.lps", "prop.pbes"}
	if isFile(m.Tool("lts2pbes")) {
		gen, args = "lts2pbes", []string{"-f", abs, "spec.lts", "prop.pbes"}
	}
	if out, err := m.run(ctx, work, gen, args...); err != nil {
		ch.Verdict, ch.Error = Error, toolError(gen, err, out)
		return
	}
	out, err := m.run(ctx, work, "pbessolve", m.rewriterArgs("prop.pbes")...)
	if err != nil {
		ch.Verdict, ch.Error = Error, toolError("pbessolve", err, out)
		return
	}
	holds, err := parsePbessolve(out)
	if err != nil {
		ch.Verdict, ch.Error = Error, err.Error()
		return
	}
	ch.Verdict = map[bool]string{true: Pass, false: Fail}[holds]
	cex, found := lts.Counterexample(ch.Property)
	switch {
	case found && !holds:
		b, _ := json.Marshal(cex)
		ch.Trace = b
	case found && holds && ch.Property != "EventuallyTerminal":
		ch.Verdict, ch.Error = Error, "pbessolve says it holds but the LTS has a counterexample: "+cex.Summary+": "+oneLineOf(cex.Actions(), 300)
	case !found && !holds && ch.Property != "EventuallyTerminal":
		ch.Verdict, ch.Error = Error, "pbessolve says it fails but the LTS has no counterexample"
	case !found && !holds:
		ch.Error = "no counterexample found in the LTS"
	}
}
