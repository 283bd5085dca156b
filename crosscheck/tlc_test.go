package crosscheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// checkTLCGraph: the Go model's state graph of config c equals TLC's,
// against the golden summary of a real TLC dump
// (spec/golden/crosscheck/tlc-graphs.json): same states, initial states and
// labelled edges (counts, edges per action, sha256 of the canonical lists).
func checkTLCGraph(t *testing.T, golden TLCGolden, name string, g *saga.Graph) {
	want, ok := golden.Graphs[name]
	if !ok {
		t.Fatalf("no golden graph for config %s (make it with: go test ./crosscheck -run TestGoEqualsTLCLive -update)", name)
	}
	cg, err := FromSaga(g)
	if err != nil {
		t.Fatal(err)
	}
	got := cg.Summary()
	for _, d := range DiffSummary(got, want) {
		t.Errorf("Go model vs TLC (golden, %s): %s", golden.Version, d)
	}
	t.Logf("%d states, %d initial, %d edges: equal to TLC's", got.States, got.Init, got.Edges)
}

// The golden was made from the spec and configs as they are now.
func TestTLCGoldenNotStale(t *testing.T) {
	g, err := ReadTLCGolden(specDir)
	if err != nil {
		t.Fatal(err)
	}
	if g.Tool != "tlc" || g.Version == "" || len(g.Inputs) == 0 {
		t.Fatalf("golden provenance incomplete: tool %q version %q, %d inputs", g.Tool, g.Version, len(g.Inputs))
	}
	diffs, err := g.Stale(specDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("%s is stale: %s (re-run: go test ./crosscheck -run TestGoEqualsTLCLive -update)", TLCGoldenPath, d)
	}
}

// A deliberately wrong Go model (each saga.Mutations entry) no longer
// matches TLC's golden graph of the correct config, nor (except known-none,
// which changes a value and no step) the .aut that mCRL2 was compared with.
func TestMutantDiffersFromTLCGolden(t *testing.T) {
	g, err := ReadTLCGolden(specDir)
	if err != nil {
		t.Fatal(err)
	}
	bisim, err := ReadMCRL2Golden(specDir)
	if err != nil {
		t.Fatal(err)
	}
	var correct = loadConfigs(t)[0]
	for _, c := range loadConfigs(t) {
		if c.Name == "correct" {
			correct = c
		}
	}
	sc, err := SagaConfig(correct)
	if err != nil {
		t.Fatal(err)
	}
	for m := range saga.Mutations {
		t.Run(m, func(t *testing.T) {
			mc := sc
			mc.Mutation = m
			mg, err := saga.Explore(mc, maxStates)
			if err != nil {
				t.Fatal(err)
			}
			// The counts alone usually tell; the hashes when they do not.
			diffs := DiffSummary(countSummary(mg), g.Graphs["correct"])
			if len(diffs) == 3 { // only the three hashes, which countSummary leaves out
				cg, err := FromSaga(mg)
				if err != nil {
					t.Fatal(err)
				}
				diffs = DiffSummary(cg.Summary(), g.Graphs["correct"])
			}
			if len(diffs) == 0 {
				t.Fatalf("mutation %s (%s): the graph still equals TLC's", m, saga.Mutations[m])
			}
			t.Logf("mutation %s detected: %s", m, strings.Join(diffs, "; "))
			// The mCRL2 golden notices the behavioural mutations too: the
			// Go .aut is no longer the one ltscompare found equivalent.
			aut, err := GoAut(mg, false)
			if err != nil {
				t.Fatal(err)
			}
			if same := sha(aut) == bisim.Results["correct"].GoAutSHA256; same != (m == "known-none") {
				t.Errorf("mutation %s: Go .aut equal to the one compared with mCRL2: %v", m, same)
			}
		})
	}
}

// Live: TLC's dump of each config (JEPSEN_LITE_CROSSCHECK_CONFIGS, default
// correct) equals the Go model's graph, state by state and edge by edge;
// with -update every config is run and the golden rewritten.
func TestGoEqualsTLCLive(t *testing.T) {
	tlc := findTLC(t)
	ctx := context.Background()
	version, err := tlc.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(specDir, "tla", "OrderSaga.tla")
	golden := TLCGolden{Provenance: Provenance{Tool: "tlc", Version: version,
		Command: "java -cp tla2tools.jar tlc2.TLC -workers 1 -dump dot,actionlabels FILE -config <cfg without INVARIANTS/PROPERTIES, CHECK_DEADLOCK FALSE> OrderSaga.tla"},
		Graphs: map[string]Summary{}}
	if golden.Inputs, err = formal.HashInputs(specDir, "tlc"); err != nil {
		t.Fatal(err)
	}
	for _, c := range liveConfigs(t) {
		t.Run(c.Name, func(t *testing.T) {
			dump, err := DumpTLC(ctx, tlc, spec, c.Path)
			if err != nil {
				t.Fatal(err)
			}
			_, gg := goGraph(t, c)
			cg, err := FromSaga(gg)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range Diff(cg, dump.Graph, "Go model", "TLC") {
				t.Error(d)
			}
			sum := dump.Graph.Summary()
			golden.Graphs[c.Name] = sum
			t.Logf("TLC %.1fs: %d states, %d initial, %d edges", dump.Seconds, sum.States, sum.Init, sum.Edges)
		})
	}
	if *update && !t.Failed() {
		if err := WriteTLCGolden(specDir, golden); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", TLCGoldenPath)
	}
}

// Live: a mutated copy of the spec (inventory reserves only when Stock >
// Qty) gives TLC a graph the Go model does not have, and the Go model with
// the same mutation (inventory-strict-stock) has TLC's graph again.
func TestTLCMutantLive(t *testing.T) {
	tlc := findTLC(t)
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(specDir, "tla", "OrderSaga.tla"))
	if err != nil {
		t.Fatal(err)
	}
	const from, to = "IF Stock >= Qty THEN", "IF Stock > Qty THEN"
	if strings.Count(string(b), from) != 1 {
		t.Fatalf("OrderSaga.tla: want exactly one %q to mutate", from)
	}
	spec := filepath.Join(dir, "OrderSaga.tla")
	if err := os.WriteFile(spec, []byte(strings.Replace(string(b), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	c := tinyConfig(t, dir)
	dump, err := DumpTLC(context.Background(), tlc, spec, c.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, mutation := range []string{"", "inventory-strict-stock"} {
		sc, err := SagaConfig(c)
		if err != nil {
			t.Fatal(err)
		}
		sc.Mutation = mutation
		g, err := saga.Explore(sc, maxStates)
		if err != nil {
			t.Fatal(err)
		}
		cg, err := FromSaga(g)
		if err != nil {
			t.Fatal(err)
		}
		diffs := Diff(cg, dump.Graph, "Go model", "mutated TLA+")
		switch {
		case mutation == "" && len(diffs) == 0:
			t.Errorf("the mutated spec's graph equals the Go model's: the comparison is blind")
		case mutation == "" && len(diffs) > 0:
			t.Logf("mutated spec detected (%d states in TLC, %d in Go): %s", len(dump.Graph.States), len(cg.States), diffs[0])
		case len(diffs) > 0:
			t.Errorf("same mutation on both sides, still different: %v", diffs)
		}
	}
}

// countSummary is a Summary without the hashes: the counts of states,
// initial states, and unique edges by TLC label, per action.
func countSummary(g *saga.Graph) Summary {
	type edge struct {
		from, to int
		label    string
	}
	seen := map[edge]bool{}
	s := Summary{States: len(g.States), Init: len(g.Init), ActionsByName: map[string]int{}}
	for _, e := range g.Edges {
		k := edge{e.From, e.To, e.Label.TLC()}
		if !seen[k] {
			seen[k] = true
			s.Edges++
			s.ActionsByName[e.Label.Name]++
		}
	}
	return s
}
