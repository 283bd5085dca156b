package crosscheck

import (
	"flag"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// update rewrites the golden files from live tool runs (every config):
//
//	TLA2TOOLS_JAR=/opt/tla/tla2tools.jar MCRL2_BIN=/opt/mcrl2/bin go test ./crosscheck -run Live -update -timeout 60m
var update = flag.Bool("update", false, "rewrite spec/golden/crosscheck/ from live TLC / mCRL2 runs")

const specDir = "../spec"

// maxStates bounds every exploration in the tests (the largest config has
// ~170k states).
const maxStates = 2_000_000

func loadConfigs(t testing.TB) []formal.Config {
	t.Helper()
	cs, err := formal.LoadConfigs(specDir)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// liveConfigs are the configs a live test runs: JEPSEN_LITE_CROSSCHECK_CONFIGS
// (a comma list, or "all"; default "correct"; all with -update when unset),
// smallest state space first.
func liveConfigs(t testing.TB) []formal.Config {
	all := loadConfigs(t)
	slices.SortStableFunc(all, func(a, b formal.Config) int { return sizeRank(a.Name) - sizeRank(b.Name) })
	want := os.Getenv("JEPSEN_LITE_CROSSCHECK_CONFIGS")
	if want == "all" || want == "" && *update {
		return all
	}
	if want == "" {
		want = "correct"
	}
	names := strings.Split(want, ",")
	var out []formal.Config
	for _, c := range all {
		if slices.Contains(names, c.Name) {
			out = append(out, c)
		}
	}
	if len(out) != len(names) {
		t.Fatalf("JEPSEN_LITE_CROSSCHECK_CONFIGS=%s: unknown config among %v", want, names)
	}
	return out
}

// graphs caches the Go model's graph of the last config explored: the
// tests go through the configs in one order, and keeping every graph would
// cost gigabytes.
var graphs = struct {
	sync.Mutex
	m map[string]*saga.Graph
}{m: map[string]*saga.Graph{}}

func goGraph(t testing.TB, c formal.Config) (saga.Config, *saga.Graph) {
	t.Helper()
	sc, err := SagaConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	graphs.Lock()
	defer graphs.Unlock()
	if g, ok := graphs.m[c.Name]; ok {
		return sc, g
	}
	g, err := saga.Explore(sc, maxStates)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	graphs.m = map[string]*saga.Graph{c.Name: g}
	return sc, g
}

func findTLC(t testing.TB) *formal.TLC {
	t.Helper()
	tlc, err := formal.FindTLC()
	if err != nil {
		t.Skipf("skipping the live TLC comparison: %v", err)
	}
	return tlc
}

func findMCRL2(t testing.TB) *formal.MCRL2 {
	t.Helper()
	m, err := formal.FindMCRL2()
	if err != nil {
		t.Skipf("skipping the live mCRL2 comparison: %v", err)
	}
	return m
}

// tinyConstants are small constants (4,630 states) for the live mutation
// tests: every initial stock and balance, one redelivery (so that every
// behavioural mutation shows), no crash, no read.
var tinyConstants = map[string]string{
	"Orders": `{"o-1"}`, "Bug": `"none"`, "StockInit": "{0, 1}", "BalanceInit": "{0, 1}",
	"Qty": "1", "Amount": "1", "MaxDup": "1", "MaxCrash": "0", "MaxPartition": "0", "MaxRead": "0",
}

// tinyConfig writes a cfg with tinyConstants into dir.
func tinyConfig(t testing.TB, dir string) formal.Config {
	t.Helper()
	var b strings.Builder
	b.WriteString("SPECIFICATION Spec\nCONSTANTS\n")
	keys := make([]string, 0, len(tinyConstants))
	for k := range tinyConstants {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString("    " + k + " = " + tinyConstants[k] + "\n")
	}
	path := dir + "/tiny.cfg"
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return formal.Config{Name: "tiny", Path: path, Bug: "none", Constants: tinyConstants}
}

// sizeRank orders configs by their state space (spec/golden/crosscheck).
func sizeRank(name string) int {
	order := []string{"no-occ", "correct", "no-compensation", "correct-partition", "ack-before-persist",
		"stale-read", "commit-before-process", "no-dedup", "unordered-apply"}
	if i := slices.Index(order, name); i >= 0 {
		return i
	}
	return len(order)
}
