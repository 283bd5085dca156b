package formal

import (
	"encoding/json"
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// ToResults turns one tool's checks into results.json form: one checker per
// config, valid when the config got its expected verdict; every violated
// property is listed as an anomaly with its state counts and time, and an
// unexpected one makes the config invalid.
func ToResults(tool string, configs []Config, checks []Check) results.Results {
	r := results.Results{Valid: verdict.Valid, Checkers: map[string]verdict.Result{}, Nemesis: []string{}}
	for _, c := range configs {
		ok, why := Expected(c, checks)
		res := verdict.Result{Valid: verdict.Valid, Note: fmt.Sprintf("%s, expect %s %s: %s", tool, c.Expect, c.Property, why)}
		if !ok {
			res.Valid = verdict.Invalid
		}
		for _, ch := range checks {
			if ch.Config != c.Name || ch.Verdict == Pass {
				continue
			}
			res.Anomalies = append(res.Anomalies, verdict.Anomaly{Type: "violated", Key: ch.Property, Ops: []int{}, Detail: checkDetail(tool, ch)})
		}
		r.Checkers[tool+":"+c.Name] = res
		r.Order = append(r.Order, tool+":"+c.Name)
		r.Valid = verdict.Merge(r.Valid, res.Valid)
		r.Stats.Ops += len(c.Properties())
	}
	return r
}

// checkDetail is a violation's line in the report: counts, time, and for
// mCRL2 the counterexample's actions.
func checkDetail(tool string, ch Check) string {
	if tool != "mcrl2" {
		return fmt.Sprintf("%s %s: %d states, %d distinct, depth %d, %.1fs %s", tool, ch.Verdict, ch.States, ch.Distinct, ch.Depth, ch.Seconds, ch.Error)
	}
	d := fmt.Sprintf("%s %s: LTS %d states, %d transitions (%.1fs), formula %.1fs %s", tool, ch.Verdict, ch.States, ch.Transitions, ch.BuildSeconds, ch.Seconds, ch.Error)
	var tr MCRL2Trace
	if len(ch.Trace) > 0 && json.Unmarshal(ch.Trace, &tr) == nil && len(tr.Steps) > 0 {
		d += "; counterexample (" + tr.Summary + "): " + tr.Actions()
	}
	return d
}

// Table renders TLC's and mCRL2's verdicts side by side, per config and
// property ("-" where a tool did not check it), and the state counts.
func Table(checks []Check) string { return VerdictTableOf(checks).Markdown() }

func or(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
