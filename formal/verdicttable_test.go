package formal

import (
	"os"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

func readGoldenOrSkip(t *testing.T, tool string) Golden {
	t.Helper()
	g, err := ReadGolden(goldenPath(tool))
	if os.IsNotExist(err) {
		t.Skipf("no golden %s yet: run go test ./formal -run TestUpdate -update where the tools are installed", goldenPath(tool))
	}
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The committed goldens: per config and property, TLC's verdict equals
// mCRL2's, and every property mCRL2 checked TLC checked too.
func TestVerdictTableGoldensAgree(t *testing.T) {
	tlc, mcrl2 := readGoldenOrSkip(t, "tlc"), readGoldenOrSkip(t, "mcrl2")
	vt := NewVerdictTable(tlc.Checks, mcrl2.Checks)
	for _, d := range vt.Disagreements() {
		t.Errorf("disagreement: %s", d)
	}
	if vt.Compared() != len(mcrl2.Checks) {
		t.Errorf("%d of mCRL2's %d checks have a TLC verdict beside them", vt.Compared(), len(mcrl2.Checks))
	}
	if r := vt.Result(); r.Valid != verdict.Valid {
		t.Errorf("tlc-vs-mcrl2: %s %s", r.Valid, r.Note)
	}
	t.Logf("\n%s\n%s", vt.Markdown(), ConfigSummary(tlc.Checks, mcrl2.Checks))
}

func TestConfigSummary(t *testing.T) {
	tlc := []Check{
		{Tool: "tlc", Config: "no-occ", Property: "NoConflictingTerminal", Verdict: Fail, Distinct: 5, Seconds: 2},
		{Tool: "tlc", Config: "no-occ", Property: "TypeOK", Verdict: Pass, Distinct: 99, Seconds: 10},
		{Tool: "tlc", Config: "no-occ", Property: "CausalOrder", Verdict: Pass, Distinct: 99, Seconds: 10},
	}
	mcrl2 := []Check{
		{Tool: "mcrl2", Config: "no-occ", Property: "NoConflictingTerminal", Verdict: Fail, States: 100, Transitions: 400, BuildSeconds: 3, Seconds: 1},
		{Tool: "mcrl2", Config: "no-occ", Property: "CausalOrder", Verdict: Pass, States: 100, Transitions: 400, BuildSeconds: 3, Seconds: 1.5},
	}
	want := "| no-occ | 99 | 12.0 | NoConflictingTerminal | 100 | 400 | 3.0 | 2.5 | NoConflictingTerminal |"
	if got := ConfigSummary(tlc, mcrl2); !strings.Contains(got, want) {
		t.Errorf("got\n%s\nwant a row %s", got, want)
	}
}

// A flipped verdict is caught: the table reports exactly that row.
func TestVerdictTableFindsAFlip(t *testing.T) {
	tlc := []Check{
		{Tool: "tlc", Config: "correct", Property: "NoLostEvent", Verdict: Pass, Distinct: 10},
		{Tool: "tlc", Config: "correct", Property: "TypeOK", Verdict: Pass, Distinct: 10},
		{Tool: "tlc", Config: "no-occ", Property: "NoConflictingTerminal", Verdict: Fail, Distinct: 3},
	}
	mcrl2 := []Check{
		{Tool: "mcrl2", Config: "correct", Property: "NoLostEvent", Verdict: Pass, States: 11, Transitions: 30},
		{Tool: "mcrl2", Config: "no-occ", Property: "NoConflictingTerminal", Verdict: Fail, States: 20},
	}
	vt := NewVerdictTable(tlc, mcrl2)
	if d := vt.Disagreements(); len(d) != 0 || vt.Compared() != 2 || vt.Result().Valid != verdict.Valid {
		t.Fatalf("agreeing tables: %v, compared %d", d, vt.Compared())
	}
	md := vt.Markdown()
	for _, want := range []string{"| correct | TypeOK | pass | - | - |", "| correct | 10 | 11 | 30 | yes |", "| no-occ | NoConflictingTerminal | fail | fail | yes |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	mcrl2[1].Verdict = Pass
	vt = NewVerdictTable(tlc, mcrl2)
	d := vt.Disagreements()
	if len(d) != 1 || d[0] != "no-occ NoConflictingTerminal: TLC fail, mCRL2 pass" {
		t.Errorf("flipped: %v", d)
	}
	r := vt.Result()
	if r.Valid != verdict.Invalid || len(r.Anomalies) != 1 || r.Anomalies[0].Key != "no-occ NoConflictingTerminal" {
		t.Errorf("flipped result %+v", r)
	}
	if !strings.Contains(vt.Markdown(), "| no-occ | NoConflictingTerminal | fail | pass | NO |") {
		t.Errorf("markdown:\n%s", vt.Markdown())
	}
	if NewVerdictTable(tlc, nil).Result().Valid != verdict.Unknown {
		t.Error("nothing compared is not unknown")
	}
}

// The two models have the same states: for every config, mCRL2's LTS has
// TLC's distinct states + 1 (the state before setup picks stock0, bal0).
func TestGoldenStatesMatchTLC(t *testing.T) {
	tlc, mcrl2 := readGoldenOrSkip(t, "tlc"), readGoldenOrSkip(t, "mcrl2")
	vt := NewVerdictTable(tlc.Checks, mcrl2.Checks)
	for _, s := range vt.States {
		if s.MCRL2States == 0 {
			t.Logf("%s: not in the mCRL2 golden", s.Config)
			continue
		}
		if s.TLCDistinct == 0 {
			t.Errorf("%s: no TLC run explored every state", s.Config)
			continue
		}
		if s.MCRL2States != s.TLCDistinct+1 {
			t.Errorf("%s: mCRL2 %d states, TLC %d distinct: want distinct + 1", s.Config, s.MCRL2States, s.TLCDistinct)
		}
	}
}
