package formal

import (
	"path/filepath"
	"strings"
	"testing"
)

// partialUpdate reads the TLC golden and keeps only the configs named in
// list. It fails the test when an input other than those configs' .cfg
// files changed since the golden was written: the kept checks would then
// carry fresh hashes for results of an older spec.
func partialUpdate(t *testing.T, configs []Config, list string) (*Golden, []Config) {
	t.Helper()
	g, err := ReadGolden(goldenPath("tlc"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		want[strings.TrimSpace(name)] = true
	}
	diffs, err := g.Stale(specDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		file := strings.SplitN(d, ":", 2)[0]
		name := strings.TrimSuffix(filepath.Base(file), ".cfg")
		if !strings.HasSuffix(file, ".cfg") || !want[name] {
			t.Fatalf("-only %s: %s changed too; run the full -update", list, d)
		}
	}
	var keep []Config
	for _, c := range configs {
		if want[c.Name] {
			keep = append(keep, c)
			delete(want, c.Name)
		}
	}
	for name := range want {
		t.Fatalf("-only: no config %q in spec/tla", name)
	}
	return &g, keep
}

// mergeChecks replaces the checks of the re-run configs in old by fresh
// ones, keeping the order of old for the others.
func mergeChecks(old, fresh []Check) []Check {
	rerun := map[string]bool{}
	for _, c := range fresh {
		rerun[c.Config] = true
	}
	var out []Check
	for _, c := range old {
		if !rerun[c.Config] {
			out = append(out, c)
		}
	}
	return append(out, fresh...)
}
