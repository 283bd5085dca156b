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

// CompareMCRL2 builds mCRL2's LTS of config c (BuildMCRL2Aut) and compares
// the Go model's graph g with it (CompareAut).
func CompareMCRL2(ctx context.Context, m *formal.MCRL2, specDir string, c formal.Config, g *saga.Graph) (BisimResult, error) {
	start := time.Now()
	mAut, err := BuildMCRL2Aut(ctx, m, specDir, c)
	if err != nil {
		return BisimResult{Tau: HiddenActions}, err
	}
	r, err := CompareAut(ctx, m, g, mAut)
	r.Seconds = time.Since(start).Seconds()
	return r, err
}

// BuildMCRL2Aut instantiates spec/mcrl2's template for config c
// (formal.LoadMCRL2Spec) and builds its LTS: mcrl22lps, then lps2lts to
// .aut. It returns the .aut.
func BuildMCRL2Aut(ctx context.Context, m *formal.MCRL2, specDir string, c formal.Config) ([]byte, error) {
	work, err := os.MkdirTemp("", "jepsen-lite-mcrl2aut-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	spec, err := formal.LoadMCRL2Spec(specDir, c)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(work, "spec.mcrl2"), spec, 0o644); err != nil {
		return nil, err
	}
	if _, err := runMCRL2(ctx, m, work, "mcrl22lps", "spec.mcrl2", "spec.lps"); err != nil {
		return nil, err
	}
	// --cached (enumeration caching) builds the same LTS about 4x faster.
	if _, err := runMCRL2(ctx, m, work, "lps2lts", "--cached", "spec.lps", "mcrl2.aut"); err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(work, "mcrl2.aut"))
}

// CompareAut compares the Go model's graph g with mCRL2's LTS mAut under
// branching bisimulation (HiddenActions hidden) and, with the observation
// loops on the Go side, under strong bisimulation (ltscompare).
func CompareAut(ctx context.Context, m *formal.MCRL2, g *saga.Graph, mAut []byte) (BisimResult, error) {
	r := BisimResult{Tau: HiddenActions}
	work, err := os.MkdirTemp("", "jepsen-lite-bisim-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(work)
	goAut, err := GoAut(g, false)
	if err != nil {
		return r, err
	}
	obsAut, err := GoAut(g, true)
	if err != nil {
		return r, err
	}
	files := map[string][]byte{"go.aut": goAut, "go-observed.aut": obsAut, "mcrl2.aut": mAut}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(work, name), b, 0o644); err != nil {
			return r, err
		}
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
	out, err := runMCRL2(ctx, m, work, "ltscompare", "-ebranching-bisim", "--tau="+strings.Join(HiddenActions, ","), "go.aut", "mcrl2.aut")
	if err != nil {
		return r, err
	}
	if r.Branching, err = ParseLTSCompare(out); err != nil {
		return r, err
	}
	out, err = runMCRL2(ctx, m, work, "ltscompare", "-ebisim", "go-observed.aut", "mcrl2.aut")
	if err != nil {
		return r, err
	}
	if r.StrongObserved, err = ParseLTSCompare(out); err != nil {
		return r, err
	}
	return r, nil
}

// runMCRL2 runs one tool in dir and returns its stdout (ltscompare's
// verdict is there; its explanation goes to stderr).
func runMCRL2(ctx context.Context, m *formal.MCRL2, dir, tool string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, mcrl2StepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, m.Tool(tool), args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %v: %s", tool, strings.Join(args, " "), err, formal.LastLines(errOut.String()+out.String(), 5))
	}
	return out.String(), nil
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
		return false, fmt.Errorf("ltscompare: want one line true or false, got %q", formal.LastLines(out, 3))
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
