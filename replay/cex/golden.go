package cex

import (
	"fmt"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/formal"
)

// Expected returns the committed check of a config's expected property
// (spec/expected.json) from spec/golden/<tool>.json under specDir.
func Expected(specDir, tool, config string) (formal.Check, error) {
	path := filepath.Join(specDir, "golden", tool+".json")
	g, err := formal.ReadGolden(path)
	if err != nil {
		return formal.Check{}, err
	}
	cfgs, err := formal.LoadConfigs(specDir)
	if err != nil {
		return formal.Check{}, err
	}
	for _, c := range cfgs {
		if c.Name != config {
			continue
		}
		for _, ch := range g.Checks {
			if ch.Config == config && ch.Property == c.Property {
				return ch, nil
			}
		}
		return formal.Check{}, fmt.Errorf("%s: no check %s/%s", path, config, c.Property)
	}
	return formal.Check{}, fmt.Errorf("%s: no config %q", specDir, config)
}

// Failed returns the failed checks of spec/golden/<tool>.json under
// specDir that carry a counterexample, in the golden's order.
func Failed(specDir, tool string) ([]formal.Check, error) {
	g, err := formal.ReadGolden(filepath.Join(specDir, "golden", tool+".json"))
	if err != nil {
		return nil, err
	}
	var out []formal.Check
	for _, c := range g.Checks {
		if c.Verdict == formal.Fail && len(c.Trace) > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}
