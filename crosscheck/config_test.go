package crosscheck

import (
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/formal"
)

func TestSagaConfigFromSpec(t *testing.T) {
	byName := map[string]formal.Config{}
	for _, c := range loadConfigs(t) {
		byName[c.Name] = c
		if _, err := SagaConfig(c); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
	sc, err := SagaConfig(byName["correct-partition"])
	if err != nil {
		t.Fatal(err)
	}
	if sc.Bug != "none" || len(sc.Orders) != 1 || sc.Orders[0] != "o-1" || sc.MaxPartition != 1 || sc.MaxDup != 0 ||
		len(sc.StockInit) != 2 || sc.Qty != 1 {
		t.Errorf("correct-partition.cfg read as %+v", sc)
	}
	if sc, _ := SagaConfig(byName["no-dedup"]); sc.Bug != "no-dedup" {
		t.Errorf("no-dedup.cfg: Bug %q", sc.Bug)
	}
}

func TestSagaConfigErrors(t *testing.T) {
	for name, v := range map[string]string{"Qty": `"one"`, "StockInit": "{0, x}", "Orders": "{1}", "MaxDup": "{"} {
		consts := map[string]string{}
		for k, x := range tinyConstants {
			consts[k] = x
		}
		consts[name] = v
		_, err := SagaConfig(formal.Config{Name: "bad", Path: "spec/tla/bad.cfg", Bug: "none", Constants: consts})
		if err == nil || !strings.Contains(err.Error(), "bad.cfg") || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = %s: error %v (want one naming the cfg and %s)", name, v, err, name)
		}
	}
	_, err := SagaConfig(formal.Config{Name: "bad", Bug: "none", Constants: map[string]string{}})
	if err == nil {
		t.Error("no constants accepted")
	}
}

func TestStripChecks(t *testing.T) {
	in := "\\* a comment\nSPECIFICATION Spec\nCONSTANTS\n    Bug = \"none\"\nINVARIANTS\n    TypeOK\n    NoLostEvent\nPROPERTIES\n    EventuallyTerminal\nCHECK_DEADLOCK TRUE\n"
	out := StripChecks(in)
	for _, gone := range []string{"INVARIANTS", "TypeOK", "EventuallyTerminal", "CHECK_DEADLOCK TRUE"} {
		if strings.Contains(out, gone) {
			t.Errorf("StripChecks left %q:\n%s", gone, out)
		}
	}
	for _, kept := range []string{"SPECIFICATION Spec", `Bug = "none"`, "CHECK_DEADLOCK FALSE"} {
		if !strings.Contains(out, kept) {
			t.Errorf("StripChecks dropped %q:\n%s", kept, out)
		}
	}
}
