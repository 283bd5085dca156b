package formal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Golden is the committed record of real tool runs (spec/golden/verdicts.json):
// which tool versions produced which checks from which inputs. A test
// recomputes the input hashes; a spec changed without re-running the tools
// no longer matches and fails.
type Golden struct {
	Tool    string            `json:"tool"`
	Version string            `json:"version"` // the tool's version banner
	Inputs  map[string]string `json:"inputs"`  // path relative to spec/ -> sha256
	Checks  []Check           `json:"checks"`
}

// SpecInputs lists the files under specDir that a tool's results depend
// on: for TLC the TLA+ modules and configs, for mCRL2 the specs, formulas
// and the configs it is instantiated from; both depend on the expectations. Paths are relative to specDir, slash-separated, sorted.
func SpecInputs(specDir, tool string) ([]string, error) {
	pats := map[string][]string{
		"tlc":   {"tla/*.tla", "tla/*.cfg", "expected.json"},
		"mcrl2": {"tla/*.cfg", "mcrl2/*.mcrl2", "mcrl2/*.mcf", "expected.json"},
	}[tool]
	if pats == nil {
		return nil, fmt.Errorf("unknown tool %q", tool)
	}
	var out []string
	for _, pat := range pats {
		m, err := filepath.Glob(filepath.Join(specDir, filepath.FromSlash(pat)))
		if err != nil {
			return nil, err
		}
		for _, p := range m {
			rel, _ := filepath.Rel(specDir, p)
			if strings.Contains(rel, "_TTrace_") {
				continue // TLC's trace-exploration leftovers are not inputs
			}
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out, nil
}

// HashInputs returns the sha256 of every input.
func HashInputs(specDir, tool string) (map[string]string, error) {
	files, err := SpecInputs(specDir, tool)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(files))
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(specDir, filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		out[f] = hex.EncodeToString(sum[:])
	}
	return out, nil
}

// Stale compares a golden's input hashes with the files now under specDir
// and describes every difference; none means the golden is current.
func (g Golden) Stale(specDir string) ([]string, error) {
	now, err := HashInputs(specDir, g.Tool)
	if err != nil {
		return nil, err
	}
	var diffs []string
	for f, h := range now {
		switch old, ok := g.Inputs[f]; {
		case !ok:
			diffs = append(diffs, f+": not in the golden (new input: re-run the tools)")
		case old != h:
			diffs = append(diffs, f+": changed since the tools ran (sha256 "+old[:12]+"… now "+h[:12]+"…)")
		}
	}
	for f := range g.Inputs {
		if _, ok := now[f]; !ok {
			diffs = append(diffs, f+": in the golden but gone")
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}

// ReadGolden reads a golden file.
func ReadGolden(path string) (Golden, error) {
	var g Golden
	b, err := os.ReadFile(path)
	if err != nil {
		return g, err
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return g, fmt.Errorf("%s: %v", path, err)
	}
	return g, nil
}

// Write writes a golden file, sorted so that diffs are readable.
func (g Golden) Write(path string) error {
	sort.SliceStable(g.Checks, func(i, j int) bool {
		a, b := g.Checks[i], g.Checks[j]
		if a.Tool != b.Tool {
			return a.Tool < b.Tool
		}
		if a.Config != b.Config {
			return a.Config < b.Config
		}
		return a.Property < b.Property
	})
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
