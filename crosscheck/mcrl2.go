package crosscheck

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// HiddenActions are the mCRL2 actions hidden (renamed to tau) for the
// branching-bisimulation check: the observation self-loops of
// spec/mcrl2/order_saga.mcrl2, which never change the state and which the
// Go model's protocol LTS does not have. setup is not hidden: the Go
// model's .aut has the same setup(stock0, bal0) steps from an extra initial
// state (saga.Graph.WriteAut).
var HiddenActions = []string{"obs_status", "violated"}

// BisimResult is the outcome of comparing the Go model's LTS with mCRL2's
// for one config.
type BisimResult struct {
	// Branching is ltscompare -ebranching-bisim with HiddenActions as tau:
	// Go's protocol LTS against mCRL2's.
	Branching bool     `json:"branching_bisim"`
	Tau       []string `json:"tau"`
	// StrongObserved is ltscompare -ebisim, nothing hidden, with the Go
	// .aut carrying the same observation loops (obs_status, violated(p)
	// from saga.Violations): the invariants agree state by state.
	StrongObserved bool `json:"strong_bisim_with_observations"`
	// The compared files: sha256 and size of each.
	GoAutSHA256      string  `json:"go_aut_sha256"`
	GoObsAutSHA256   string  `json:"go_observed_aut_sha256"`
	MCRL2AutSHA256   string  `json:"mcrl2_aut_sha256"`
	GoStates         int     `json:"go_states"`
	GoTransitions    int     `json:"go_transitions"`
	GoObsTransitions int     `json:"go_observed_transitions"`
	MCRL2States      int     `json:"mcrl2_states"`
	MCRL2Transitions int     `json:"mcrl2_transitions"`
	Seconds          float64 `json:"seconds"` // mcrl22lps + lps2lts + the comparisons
}

// mcrl2StepTimeout bounds one mCRL2 tool run.
const mcrl2StepTimeout = 15 * time.Minute

// GoAut writes the Go model's graph as .aut (without or with the
// observation loops) and returns the bytes.
func GoAut(g *saga.Graph, observations bool) ([]byte, error) {
	var b bytes.Buffer
	err := g.WriteAut(&b, saga.AutOptions{Observations: observations})
	return b.Bytes(), err
}

// CompareMCRL2 builds mCRL2's LTS of config c (formal.LoadMCRL2Spec,
// mcrl22lps, lps2lts to .aut) and compares the Go model's graph g with it
// under branching bisimulation (HiddenActions hidden) and, with the
// observation loops on the Go side, under strong bisimulation.
func CompareMCRL2(ctx context.Context, m *formal.MCRL2, specDir string, c formal.Config, g *saga.Graph) (BisimResult, error) {
	r := BisimResult{Tau: HiddenActions}
	work, err := os.MkdirTemp("", "jepsen-lite-bisim-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(work)
	spec, err := formal.LoadMCRL2Spec(specDir, c)
	if err != nil {
		return r, err
	}
	goAut, err := GoAut(g, false)
	if err != nil {
		return r, err
	}
	obsAut, err := GoAut(g, true)
	if err != nil {
		return r, err
	}
	files := map[string][]byte{"spec.mcrl2": spec, "go.aut": goAut, "go-observed.aut": obsAut}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(work, name), b, 0o644); err != nil {
			return r, err
		}
	}
	start := time.Now()
	// run returns the tool's stdout (ltscompare's verdict is there; its
	// explanation goes to stderr).
	run := func(tool string, args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, mcrl2StepTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, m.Tool(tool), args...)
		cmd.Dir = work
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			return out.String(), fmt.Errorf("%s %s: %v: %s", tool, strings.Join(args, " "), err, tail(errOut.String()+out.String(), 5))
		}
		return out.String(), nil
	}
	if _, err := run("mcrl22lps", "spec.mcrl2", "spec.lps"); err != nil {
		return r, err
	}
	// --cached (enumeration caching) builds the same LTS about 4x faster.
	if _, err := run("lps2lts", "--cached", "spec.lps", "mcrl2.aut"); err != nil {
		return r, err
	}
	mAut, err := os.ReadFile(filepath.Join(work, "mcrl2.aut"))
	if err != nil {
		return r, err
	}
	for _, f := range []struct {
		b           []byte
		sum         *string
		states, trs *int
	}{{goAut, &r.GoAutSHA256, &r.GoStates, &r.GoTransitions},
		{obsAut, &r.GoObsAutSHA256, nil, &r.GoObsTransitions},
		{mAut, &r.MCRL2AutSHA256, &r.MCRL2States, &r.MCRL2Transitions}} {
		sum := sha256.Sum256(f.b)
		*f.sum = hex.EncodeToString(sum[:])
		_, trs, states, err := AutHeader(f.b)
		if err != nil {
			return r, err
		}
		if f.states != nil {
			*f.states = states
		}
		*f.trs = trs
	}
	out, err := run("ltscompare", "-ebranching-bisim", "--tau="+strings.Join(HiddenActions, ","), "go.aut", "mcrl2.aut")
	if err != nil {
		return r, err
	}
	if r.Branching, err = ParseLTSCompare(out); err != nil {
		return r, err
	}
	out, err = run("ltscompare", "-ebisim", "go-observed.aut", "mcrl2.aut")
	if err != nil {
		return r, err
	}
	if r.StrongObserved, err = ParseLTSCompare(out); err != nil {
		return r, err
	}
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// ParseLTSCompare reads ltscompare's verdict: it prints "true" or "false"
// (and exits 0 either way).
func ParseLTSCompare(out string) (bool, error) {
	sc := bufio.NewScanner(strings.NewReader(out))
	verdict, n := false, 0
	for sc.Scan() {
		switch strings.TrimSpace(sc.Text()) {
		case "true":
			verdict, n = true, n+1
		case "false":
			verdict, n = false, n+1
		}
	}
	if n != 1 {
		return false, fmt.Errorf("ltscompare: want one line true or false, got %q", tail(out, 3))
	}
	return verdict, nil
}

// AutHeader reads the first line of an .aut file: des (init, transitions,
// states).
func AutHeader(aut []byte) (init, transitions, states int, err error) {
	line, _, _ := bytes.Cut(aut, []byte("\n"))
	if _, err := fmt.Sscanf(strings.TrimSpace(string(line)), "des (%d,%d,%d)", &init, &transitions, &states); err != nil {
		return 0, 0, 0, fmt.Errorf("aut: first line %q is not des (init,transitions,states)", line)
	}
	return init, transitions, states, nil
}
