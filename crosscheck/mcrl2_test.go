package crosscheck

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// checkMCRL2Aut: the Go model's LTS of config c is branching-bisimilar to
// mCRL2's (obs_status and violated hidden) and strongly bisimilar with the
// observation loops, against the golden of real ltscompare runs: the
// golden's verdicts are true and the Go model still writes the very .aut
// files that were compared (sha256).
func checkMCRL2Aut(t *testing.T, golden MCRL2Golden, name string, g *saga.Graph) {
	want, ok := golden.Results[name]
	if !ok {
		t.Fatalf("no golden result for config %s (make it with: go test ./crosscheck -run TestGoBisimMCRL2Live -update)", name)
	}
	if !want.Branching || !want.StrongObserved {
		t.Errorf("golden (%s): branching-bisim %v, strong bisim with observations %v", golden.Version, want.Branching, want.StrongObserved)
	}
	for _, f := range []struct {
		obs  bool
		want string
	}{{false, want.GoAutSHA256}, {true, want.GoObsAutSHA256}} {
		aut, err := GoAut(g, f.obs)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha(aut); got != f.want {
			t.Errorf("Go .aut (observations %v) changed since mCRL2 compared it: sha256 %.12s, golden %.12s", f.obs, got, f.want)
		}
	}
}

func TestMCRL2GoldenNotStale(t *testing.T) {
	g, err := ReadMCRL2Golden(specDir)
	if err != nil {
		t.Fatal(err)
	}
	if g.Tool != "mcrl2" || g.Version == "" || len(g.Inputs) == 0 {
		t.Fatalf("golden provenance incomplete: tool %q version %q, %d inputs", g.Tool, g.Version, len(g.Inputs))
	}
	diffs, err := g.Stale(specDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("%s is stale: %s (re-run: go test ./crosscheck -run TestGoBisimMCRL2Live -update)", MCRL2GoldenPath, d)
	}
}

// Live: mCRL2's LTS of each config (JEPSEN_LITE_CROSSCHECK_CONFIGS, default
// correct; all with -update unless it is set) is equivalent to the Go
// model's. Configs run two at a time (lps2lts takes minutes per config);
// with -update each result is merged into the golden as soon as it is in.
func TestGoBisimMCRL2Live(t *testing.T) {
	m := findMCRL2(t)
	ctx := context.Background()
	version, err := m.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	prov := Provenance{Tool: "mcrl2", Version: version,
		Command: "mcrl22lps spec.mcrl2 spec.lps; lps2lts --cached spec.lps mcrl2.aut; ltscompare -ebranching-bisim --tau=" +
			strings.Join(HiddenActions, ",") + " go.aut mcrl2.aut; ltscompare -ebisim go-observed.aut mcrl2.aut"}
	if prov.Inputs, err = formal.HashInputs(specDir, "mcrl2"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	for _, c := range liveConfigs(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			_, gg := goGraph(t, c)
			r, err := CompareMCRL2(ctx, m, specDir, c, gg)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%.1fs: Go .aut %d states %d transitions (%d with observations), mCRL2 %d states %d transitions: branching %v, strong+obs %v",
				r.Seconds, r.GoStates, r.GoTransitions, r.GoObsTransitions, r.MCRL2States, r.MCRL2Transitions, r.Branching, r.StrongObserved)
			if !r.Branching || !r.StrongObserved {
				t.Fatalf("ltscompare: branching-bisim %v, strong bisim with observations %v", r.Branching, r.StrongObserved)
			}
			if *update {
				mu.Lock()
				defer mu.Unlock()
				if err := mergeMCRL2Golden(prov, c.Name, r); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: result written", MCRL2GoldenPath)
			}
		})
	}
}

// mergeMCRL2Golden puts one config's result into the golden, starting a new
// golden when the existing one was made from other inputs or versions.
func mergeMCRL2Golden(prov Provenance, name string, r BisimResult) error {
	g, err := ReadMCRL2Golden(specDir)
	if err != nil || g.Version != prov.Version || !maps.Equal(g.Inputs, prov.Inputs) {
		g = MCRL2Golden{Results: map[string]BisimResult{}}
	}
	g.Provenance = prov
	g.Results[name] = r
	return WriteMCRL2Golden(specDir, g)
}

// Live: a Go model with a deliberate difference in its steps is not
// equivalent to mCRL2's LTS (small constants; each saga.Mutations entry but
// known-none, which changes a value and no step: bisimulation cannot see
// it, TestMutantDiffersFromTLCGolden does), while the unmutated model is.
func TestMCRL2MutantLive(t *testing.T) {
	m := findMCRL2(t)
	c := tinyConfig(t, t.TempDir())
	sc, err := SagaConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	mAut, err := BuildMCRL2Aut(context.Background(), m, specDir, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, mutation := range append([]string{""}, mutationNames()...) {
		mc := sc
		mc.Mutation = mutation
		g, err := saga.Explore(mc, maxStates)
		if err != nil {
			t.Fatal(err)
		}
		r, err := CompareAut(context.Background(), m, g, mAut)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case mutation == "" && (!r.Branching || !r.StrongObserved):
			t.Errorf("unmutated model: branching %v, strong+obs %v", r.Branching, r.StrongObserved)
		case mutation != "" && r.Branching:
			t.Errorf("mutation %s (%s): still branching-bisimilar to mCRL2", mutation, saga.Mutations[mutation])
		case mutation != "":
			t.Logf("mutation %s detected: branching %v, strong+obs %v", mutation, r.Branching, r.StrongObserved)
		}
	}
}

func mutationNames() []string {
	var out []string
	for m := range saga.Mutations {
		if m != "known-none" {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// The Go .aut is well formed: header counts match its lines, labels are as
// mCRL2 prints them, and the setup steps leave state 0.
func TestGoAutFormat(t *testing.T) {
	c := tinyConfig(t, t.TempDir())
	sc, err := SagaConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	g, err := saga.Explore(sc, maxStates)
	if err != nil {
		t.Fatal(err)
	}
	aut, err := GoAut(g, true)
	if err != nil {
		t.Fatal(err)
	}
	init, trs, states, err := AutHeader(aut)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(aut)), "\n")[1:]
	if init != 0 || trs != len(lines) || states != len(g.States)+1 {
		t.Fatalf("header des (%d,%d,%d); %d lines, %d graph states", init, trs, states, len(lines), len(g.States))
	}
	for _, want := range []string{`(0,"setup(0, 1)",`, `,"place",`, `,"deliver(inventory, 1)",`, `,"orders_decide(2)",`, `,"obs_status(st_none)",`, `,"done",`} {
		if !strings.Contains(string(aut), want) {
			t.Errorf(".aut has no %s", want)
		}
	}
	if strings.Contains(string(aut), "Deliver") || strings.Contains(string(aut), `"o-1"`) {
		t.Error(".aut has TLA+-style labels")
	}
}

func TestParseLTSCompare(t *testing.T) {
	for out, want := range map[string]bool{"true\n": true, "false\n": false, "  true  \n": true} {
		got, err := ParseLTSCompare(out)
		if err != nil || got != want {
			t.Errorf("ParseLTSCompare(%q) = %v, %v", out, got, err)
		}
	}
	for _, bad := range []string{"", "yes\n", "true\nfalse\n", "error: cannot open\n"} {
		if _, err := ParseLTSCompare(bad); err == nil {
			t.Errorf("ParseLTSCompare(%q) accepted", bad)
		}
	}
}
