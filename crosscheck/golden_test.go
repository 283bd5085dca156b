package crosscheck

import (
	"path/filepath"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
)

// TestGoldens explores each config once with the Go model and checks it
// against the goldens of real tool runs: TLC's state graph (TLCGraph),
// TLC's verdict on every property (TLCVerdicts) and the .aut files
// ltscompare found equivalent to mCRL2's LTS (MCRL2Aut). Live comparisons
// are the *Live tests.
func TestGoldens(t *testing.T) {
	tlcGraphs, err := ReadTLCGolden(specDir)
	if err != nil {
		t.Fatalf("%v (make it with: go test ./crosscheck -run TestGoEqualsTLCLive -update)", err)
	}
	verdicts, err := formal.ReadGolden(filepath.Join(specDir, "golden", "tlc.json"))
	if err != nil {
		t.Fatal(err)
	}
	bisim, err := ReadMCRL2Golden(specDir)
	if err != nil {
		t.Fatalf("%v (make it with: go test ./crosscheck -run TestGoBisimMCRL2Live -update)", err)
	}
	for _, c := range loadConfigs(t) {
		t.Run(c.Name, func(t *testing.T) {
			_, g := goGraph(t, c)
			t.Run("TLCGraph", func(t *testing.T) { checkTLCGraph(t, tlcGraphs, c.Name, g) })
			t.Run("TLCVerdicts", func(t *testing.T) { checkVerdicts(t, verdicts.Checks, c.Name, g) })
			t.Run("MCRL2Aut", func(t *testing.T) { checkMCRL2Aut(t, bisim, c.Name, g) })
		})
	}
}
