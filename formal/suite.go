package formal

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Config is one model configuration: spec/tla/<Name>.cfg with the bug
// switch it sets, the properties it checks and what is expected of it.
type Config struct {
	Name       string
	Path       string
	Bug        string
	Invariants []string
	Temporal   []string
	Deadlock   bool
	// Constants are the cfg's CONSTANTS, name -> value as written (the
	// mCRL2 template is instantiated from them).
	Constants map[string]string
	// Expect is "pass" (every property holds) or "fail" with Property the
	// one that must be violated.
	Expect   string
	Property string
}

// Properties returns every property a config checks, "Deadlock" included.
func (c Config) Properties() []string {
	out := append(append([]string{}, c.Invariants...), c.Temporal...)
	if c.Deadlock {
		out = append(out, "Deadlock")
	}
	return out
}

// expectation is one entry of spec/expected.json.
type expectation struct {
	Expect   string `json:"expect"`
	Property string `json:"property"`
}

// LoadConfigs reads spec/tla/*.cfg and spec/expected.json under specDir.
func LoadConfigs(specDir string) ([]Config, error) {
	paths, err := filepath.Glob(filepath.Join(specDir, "tla", "*.cfg"))
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("%s: no spec/tla/*.cfg found", specDir)
	}
	exp := map[string]expectation{}
	expPath := filepath.Join(specDir, "expected.json")
	b, err := os.ReadFile(expPath)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &exp); err != nil {
		return nil, fmt.Errorf("%s: %v", expPath, err)
	}
	sort.Strings(paths)
	var out []Config
	for _, p := range paths {
		c, err := parseCfg(p)
		if err != nil {
			return nil, err
		}
		e, ok := exp[c.Name]
		if !ok {
			return nil, fmt.Errorf("%s: config %q has no entry", expPath, c.Name)
		}
		c.Expect, c.Property = e.Expect, e.Property
		out = append(out, c)
	}
	return out, nil
}

// parseCfg reads the sections of a TLC cfg the runner needs.
func parseCfg(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	c := Config{Name: strings.TrimSuffix(filepath.Base(path), ".cfg"), Path: path}
	section := ""
	for i, line := range strings.Split(string(b), "\n") {
		if k := strings.Index(line, `\*`); k >= 0 {
			line = line[:k]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if isKeyword(f[0]) {
			section, f = f[0], f[1:]
			if section == "CHECK_DEADLOCK" && len(f) > 0 {
				c.Deadlock = f[0] == "TRUE"
			}
		}
		for _, w := range f {
			switch section {
			case "INVARIANT", "INVARIANTS":
				c.Invariants = append(c.Invariants, w)
			case "PROPERTY", "PROPERTIES":
				c.Temporal = append(c.Temporal, w)
			}
		}
		if section == "CONSTANT" || section == "CONSTANTS" {
			if name, v, ok := strings.Cut(strings.Join(f, " "), "="); ok && name != "" {
				if c.Constants == nil {
					c.Constants = map[string]string{}
				}
				name, v = strings.TrimSpace(name), strings.TrimSpace(v)
				c.Constants[name] = v
				if name == "Bug" {
					c.Bug = strings.Trim(v, `"`)
				}
			}
		}
		_ = i
	}
	if c.Bug == "" {
		return c, fmt.Errorf("%s: no CONSTANT Bug = \"...\"", path)
	}
	return c, nil
}

// RunTLC gives every property of every config a verdict with as few TLC
// runs as it can: it checks all the properties not yet decided in one run;
// a pass decides them all, a violation decides the one TLC names, and the
// rest are checked again without it. progress, when set, sees each check.
func RunTLC(ctx context.Context, t *TLC, spec string, configs []Config, progress func(Check)) []Check {
	var out []Check
	for _, c := range configs {
		set := propertySet{invariants: c.Invariants, temporal: c.Temporal, deadlock: c.Deadlock}
		for runs := 0; runs <= len(c.Properties()); runs++ {
			ch := t.checkSet(ctx, spec, c.Path, c.Name, set)
			if ch.Verdict == Fail && ch.Property == "" {
				ch.Verdict, ch.Error = Error, "a violation TLC did not name"
			}
			if ch.Verdict != Fail {
				// Pass (or error) decides every property still in the set.
				for _, p := range set.all() {
					d := ch
					d.Property = p
					out = append(out, d)
					if progress != nil {
						progress(d)
					}
				}
				break
			}
			out = append(out, ch)
			if progress != nil {
				progress(ch)
			}
			set = set.without(ch.Property)
			if len(set.all()) == 0 {
				break
			}
		}
	}
	return out
}

func (p propertySet) all() []string {
	out := append(append([]string{}, p.invariants...), p.temporal...)
	if p.deadlock {
		out = append(out, "Deadlock")
	}
	return out
}

func (p propertySet) without(name string) propertySet {
	drop := func(xs []string) []string {
		var out []string
		for _, x := range xs {
			if x != name {
				out = append(out, x)
			}
		}
		return out
	}
	return propertySet{invariants: drop(p.invariants), temporal: drop(p.temporal), deadlock: p.deadlock && name != "Deadlock"}
}

// Expected reports whether a config's checks meet its expectation: the
// correct config passes every property; a bug config fails its property.
func Expected(c Config, checks []Check) (bool, string) {
	var failed []string
	for _, ch := range checks {
		if ch.Config != c.Name {
			continue
		}
		if ch.Verdict == Error {
			return false, fmt.Sprintf("%s: %s", ch.Property, ch.Error)
		}
		if ch.Verdict == Fail {
			failed = append(failed, ch.Property)
		}
	}
	if c.Expect == Pass {
		if len(failed) > 0 {
			return false, "unexpected violations: " + strings.Join(failed, ", ")
		}
		return true, "every property holds"
	}
	for _, f := range failed {
		if f == c.Property {
			return true, fmt.Sprintf("%s violated as expected (violated: %s)", c.Property, strings.Join(failed, ", "))
		}
	}
	return false, fmt.Sprintf("%s was expected to fail; violated: %s", c.Property, strings.Join(failed, ", "))
}
