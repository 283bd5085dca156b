package formal

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestUpdateMCRL2Golden re-runs the mCRL2 toolset on every config and
// rewrites spec/golden/mcrl2.json (go test ./formal -run TestUpdateMCRL2Golden
// -update -timeout 120m, with MCRL2_BIN set or the tools on PATH;
// MCRL2_ONLY=a,b re-runs some configs, MCRL2_JOBS=2 two at a time).
func TestUpdateMCRL2Golden(t *testing.T) {
	if !*update {
		t.Skip("run with -update to re-run mCRL2 and rewrite spec/golden/mcrl2.json")
	}
	m, err := FindMCRL2()
	if err != nil {
		t.Skip(err)
	}
	configs, err := LoadConfigs(specDir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	version, err := m.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keep []Check // MCRL2_ONLY: the other configs' checks of the golden
	if list := os.Getenv("MCRL2_ONLY"); list != "" {
		configs, keep = onlyConfigs(t, configs, list)
	}
	inputs, err := HashInputs(specDir, "mcrl2")
	if err != nil {
		t.Fatal(err)
	}
	// MCRL2_JOBS configs at a time; the golden is written after each config
	// (with the configs done so far), so a long run keeps what it finished.
	jobs, _ := strconv.Atoi(os.Getenv("MCRL2_JOBS"))
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sem  = make(chan struct{}, max(jobs, 1))
		done = slices.Clone(keep)
	)
	for _, c := range configs {
		wg.Add(1)
		sem <- struct{}{} // in order: MCRL2_ONLY's order is the run order
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			checks := RunMCRL2(ctx, m, specDir, []Config{c}, nil)
			mu.Lock()
			defer mu.Unlock()
			failed := false
			for _, c := range checks {
				t.Logf("%s %s %s %d states %d transitions build %.1fs check %.1fs %s", c.Config, c.Property, c.Verdict, c.States, c.Transitions, c.BuildSeconds, c.Seconds, oneLineOf(c.Error, 200))
				if c.Verdict == Error {
					t.Errorf("%s %s: %s", c.Config, c.Property, oneLineOf(c.Error, 300))
					failed = true
				}
			}
			if failed {
				return // this config stays out of the golden; the others go in
			}
			done = append(done, checks...)
			g := Golden{Tool: "mcrl2", Version: version, Inputs: inputs, Checks: slices.Clone(done)}
			if err := g.Write(goldenPath("mcrl2")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// onlyConfigs keeps the configs named in list (MCRL2_ONLY=a,b: re-run only
// those) and returns the golden's checks of the others. Refused when an
// input other than those configs' cfgs changed since the golden was made:
// the kept checks would carry hashes of inputs they were not made from.
func onlyConfigs(t *testing.T, configs []Config, list string) ([]Config, []Check) {
	t.Helper()
	names := strings.Split(list, ",")
	var keep []Check
	if g, err := ReadGolden(goldenPath("mcrl2")); err == nil {
		diffs, err := g.Stale(specDir)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range diffs {
			f, _, _ := strings.Cut(d, ":")
			if !strings.HasSuffix(f, ".cfg") || !slices.Contains(names, strings.TrimSuffix(strings.TrimPrefix(f, "tla/"), ".cfg")) {
				t.Fatalf("MCRL2_ONLY=%s: %s: re-run every config", list, d)
			}
		}
		keep = slices.DeleteFunc(g.Checks, func(c Check) bool { return slices.Contains(names, c.Config) })
	}
	var out []Config
	for _, n := range names {
		if i := slices.IndexFunc(configs, func(c Config) bool { return c.Name == n }); i >= 0 {
			out = append(out, configs[i])
		}
	}
	if len(out) != len(names) {
		t.Fatalf("MCRL2_ONLY=%s: not all of them are configs", list)
	}
	return out, keep
}

// Live: with the tools installed, mCRL2's verdicts on the configs named in
// MCRL2_LIVE (comma-separated, or "all") equal the TLC golden's, and each
// config gets its expected verdict. Opt-in: a config takes minutes.
func TestMCRL2LiveAgreesWithTLCGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no live mCRL2 run")
	}
	m, err := FindMCRL2()
	if err != nil {
		t.Skip(err)
	}
	tlc := readGoldenOrSkip(t, "tlc")
	configs, err := LoadConfigs(specDir)
	if err != nil {
		t.Fatal(err)
	}
	want := os.Getenv("MCRL2_LIVE")
	if want == "" {
		t.Skip("set MCRL2_LIVE=stale-read (or a list, or all) to check configs live: minutes per config")
	}
	if want != "all" {
		names := strings.Split(want, ",")
		configs = slices.DeleteFunc(configs, func(c Config) bool { return !slices.Contains(names, c.Name) })
	}
	if len(configs) == 0 {
		t.Fatalf("MCRL2_LIVE=%s names no config", want)
	}
	checks := RunMCRL2(context.Background(), m, specDir, configs, nil)
	for _, c := range configs {
		if ok, why := Expected(c, checks); !ok {
			t.Errorf("%s: %s", c.Name, why)
		}
	}
	vt := NewVerdictTable(tlc.Checks, checks)
	for _, d := range vt.Disagreements() {
		t.Errorf("disagreement: %s", d)
	}
	if vt.Compared() != len(checks) {
		t.Errorf("%d of %d mCRL2 checks compared with TLC", vt.Compared(), len(checks))
	}
	t.Logf("\n%s", vt.Markdown())
}
