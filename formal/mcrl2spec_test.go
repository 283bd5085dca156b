package formal

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// configBlock returns the name = value equations of a spec's CONFIG block.
func configBlock(t *testing.T, spec []byte) map[string]string {
	t.Helper()
	s := string(spec)
	i, j := strings.Index(s, "% CONFIG BEGIN"), strings.Index(s, "% CONFIG END")
	if i < 0 || j < i {
		t.Fatalf("no CONFIG block in\n%s", s)
	}
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+) = (\w+);`).FindAllStringSubmatch(s[i:j], -1) {
		out[m[1]] = m[2]
	}
	return out
}

// Every config instantiates the template with its own constants, and
// nothing outside the CONFIG block changes.
func TestMCRL2SpecEveryConfig(t *testing.T) {
	configs, err := LoadConfigs(specDir)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile(filepath.Join(specDir, MCRL2Template))
	if err != nil {
		t.Fatal(err)
	}
	outside := func(b []byte) string {
		s := string(b)
		return s[:strings.Index(s, "% CONFIG BEGIN")] + s[strings.Index(s, "% CONFIG END"):]
	}
	for _, c := range configs {
		spec, err := MCRL2Spec(tmpl, c)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if outside(spec) != outside(tmpl) {
			t.Errorf("%s: the instantiation changed text outside the CONFIG block", c.Name)
		}
		got := configBlock(t, spec)
		wantBug := strings.ReplaceAll(c.Bug, "-", "_")
		if c.Bug == "none" {
			wantBug = "no_bug"
		}
		want := map[string]string{"bug": wantBug,
			"maxDup": c.Constants["MaxDup"], "maxCrash": c.Constants["MaxCrash"],
			"maxPart": c.Constants["MaxPartition"], "maxRead": c.Constants["MaxRead"],
			"qty": c.Constants["Qty"], "amount": c.Constants["Amount"],
			"stockMax": "1", "balMax": "1"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.Name, k, got[k], v)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: CONFIG block %v, want exactly %v", c.Name, got, want)
		}
		again, err := MCRL2Spec(spec, c)
		if err != nil || string(again) != string(spec) {
			t.Errorf("%s: instantiating an instance again is not a no-op (err %v)", c.Name, err)
		}
		if c.Name == "correct" {
			// The committed template is correct.cfg.
			base := configBlock(t, tmpl)
			for k, v := range got {
				if base[k] != v {
					t.Errorf("template as committed: %s = %q, correct.cfg gives %q", k, base[k], v)
				}
			}
		}
	}
}

func TestMCRL2SpecErrors(t *testing.T) {
	tmpl := []byte("sort BugT = struct no_bug | no_occ;\neqn\n  % CONFIG BEGIN\n  bug = no_bug;\n  % CONFIG END\n")
	good := map[string]string{"Orders": `{"o-1"}`, "Bug": `"no-occ"`, "StockInit": "{0, 1}", "BalanceInit": "0..2",
		"Qty": "1", "Amount": "1", "MaxDup": "1", "MaxCrash": "1", "MaxPartition": "0", "MaxRead": "1"}
	with := func(k, v string) Config {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		bug := strings.Trim(m["Bug"], `"`)
		return Config{Name: "x", Path: "spec/tla/x.cfg", Bug: bug, Constants: m}
	}
	out, err := MCRL2Spec(tmpl, with("Qty", "1"))
	if err != nil {
		t.Fatal(err)
	}
	if b := configBlock(t, out); b["bug"] != "no_occ" || b["balMax"] != "2" || b["stockMax"] != "1" {
		t.Errorf("block %v", b)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{with("Bug", `"no-such"`), "Bug"},
		{with("StockInit", "{1, 2}"), "StockInit"},
		{with("StockInit", "{0, 2}"), "StockInit"},
		{with("BalanceInit", "1..2"), "BalanceInit"},
		{with("StockInit", "{}"), "StockInit"},
		{with("MaxDup", "-1"), "MaxDup"},
		{with("MaxRead", "x"), "MaxRead"},
		{with("MaxCrash", ""), "MaxCrash"},
		{with("Orders", `{"o-1", "o-2"}`), "Orders"},
	} {
		_, err := MCRL2Spec(tmpl, tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.cfg") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v, want one line naming x.cfg and %s", tc.cfg.Constants, err, tc.want)
		}
	}
	if _, err := MCRL2Spec([]byte("no block"), with("Qty", "1")); err == nil {
		t.Error("a template without a CONFIG block was accepted")
	}
}

func FuzzMCRL2Spec(f *testing.F) {
	f.Add("{0, 1}", "3", "sort BugT = struct no_bug;\n% CONFIG BEGIN\n% CONFIG END\n")
	f.Add("0..2", "x", "% CONFIG END\n% CONFIG BEGIN\n")
	f.Fuzz(func(t *testing.T, stock, dup, tmpl string) {
		c := Config{Name: "f", Bug: "none", Constants: map[string]string{"StockInit": stock, "BalanceInit": stock,
			"Qty": "1", "Amount": "1", "MaxDup": dup, "MaxCrash": "1", "MaxPartition": "0", "MaxRead": "1"}}
		out, err := MCRL2Spec([]byte(tmpl), c)
		if err == nil && !strings.Contains(string(out), "bug = no_bug;") {
			t.Errorf("instantiated without the bug line:\n%s", out)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("multi-line error %q", err)
		}
	})
}
