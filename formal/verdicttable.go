package formal

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// VerdictRow is one config × property: TLC's verdict beside mCRL2's ("" when
// a tool did not check it: TypeOK is TLA+ only).
type VerdictRow struct {
	Config, Property string
	TLC, MCRL2       string
}

// Agree reports whether the row is no disagreement: both tools gave the
// same verdict, or only one checked the property.
func (r VerdictRow) Agree() bool { return r.TLC == "" || r.MCRL2 == "" || r.TLC == r.MCRL2 }

// Compared reports whether both tools checked the property.
func (r VerdictRow) Compared() bool { return r.TLC != "" && r.MCRL2 != "" }

// StateRow is one config's state-space size by both tools: TLC's distinct
// states (of a run that explored every state: one that passed) and the
// mCRL2 LTS's states and transitions (observation loops included).
type StateRow struct {
	Config                   string
	TLCDistinct, MCRL2States int64
	MCRL2Transitions         int64
}

// VerdictTable is TLC's verdicts beside mCRL2's, per config and property.
type VerdictTable struct {
	Rows   []VerdictRow
	States []StateRow
}

// NewVerdictTable pairs TLC's checks with mCRL2's (from goldens or live
// runs), sorted by config and property.
func NewVerdictTable(tlc, mcrl2 []Check) VerdictTable {
	type key struct{ config, property string }
	rows := map[key]*VerdictRow{}
	states := map[string]*StateRow{}
	add := func(c Check, set func(*VerdictRow)) {
		k := key{c.Config, c.Property}
		if rows[k] == nil {
			rows[k] = &VerdictRow{Config: c.Config, Property: c.Property}
		}
		set(rows[k])
		if states[c.Config] == nil {
			states[c.Config] = &StateRow{Config: c.Config}
		}
	}
	for _, c := range tlc {
		add(c, func(r *VerdictRow) { r.TLC = c.Verdict })
		if s := states[c.Config]; c.Verdict == Pass && c.Distinct > s.TLCDistinct {
			s.TLCDistinct = c.Distinct
		}
	}
	for _, c := range mcrl2 {
		add(c, func(r *VerdictRow) { r.MCRL2 = c.Verdict })
		if s := states[c.Config]; c.States > 0 {
			s.MCRL2States, s.MCRL2Transitions = c.States, c.Transitions
		}
	}
	var t VerdictTable
	for _, r := range rows {
		t.Rows = append(t.Rows, *r)
	}
	sort.Slice(t.Rows, func(i, j int) bool {
		a, b := t.Rows[i], t.Rows[j]
		if a.Config != b.Config {
			return a.Config < b.Config
		}
		return a.Property < b.Property
	})
	for _, s := range states {
		t.States = append(t.States, *s)
	}
	sort.Slice(t.States, func(i, j int) bool { return t.States[i].Config < t.States[j].Config })
	return t
}

// VerdictTableOf splits mixed checks by tool.
func VerdictTableOf(checks []Check) VerdictTable {
	var tlc, mcrl2 []Check
	for _, c := range checks {
		switch c.Tool {
		case "tlc":
			tlc = append(tlc, c)
		case "mcrl2":
			mcrl2 = append(mcrl2, c)
		}
	}
	return NewVerdictTable(tlc, mcrl2)
}

// Disagreements describes every row where the tools' verdicts differ.
func (t VerdictTable) Disagreements() []string {
	var out []string
	for _, r := range t.Rows {
		if !r.Agree() {
			out = append(out, fmt.Sprintf("%s %s: TLC %s, mCRL2 %s", r.Config, r.Property, r.TLC, r.MCRL2))
		}
	}
	return out
}

// Compared counts the rows both tools checked.
func (t VerdictTable) Compared() int {
	n := 0
	for _, r := range t.Rows {
		if r.Compared() {
			n++
		}
	}
	return n
}

// Markdown renders the verdicts and the state counts as two tables.
func (t VerdictTable) Markdown() string {
	var b strings.Builder
	b.WriteString("| config | property | TLC | mCRL2 | agree |\n|---|---|---|---|---|\n")
	for _, r := range t.Rows {
		agree := "-"
		if r.Compared() {
			agree = map[bool]string{true: "yes", false: "NO"}[r.Agree()]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.Config, r.Property, or(r.TLC, "-"), or(r.MCRL2, "-"), agree)
	}
	if len(t.States) > 0 {
		b.WriteString("\n| config | TLC distinct states | mCRL2 LTS states | mCRL2 transitions | states = distinct + 1 |\n|---|---|---|---|---|\n")
		for _, s := range t.States {
			plus := "-"
			if s.TLCDistinct > 0 && s.MCRL2States > 0 {
				plus = map[bool]string{true: "yes", false: "no"}[s.MCRL2States == s.TLCDistinct+1]
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", s.Config, count(s.TLCDistinct), count(s.MCRL2States), count(s.MCRL2Transitions), plus)
		}
	}
	return b.String()
}

func count(n int64) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

// Result is the table as a checker ("tlc-vs-mcrl2" in results.json): valid
// when every property both tools checked got the same verdict, each
// disagreement an anomaly; unknown when no property was checked by both.
func (t VerdictTable) Result() verdict.Result {
	res := verdict.Result{Valid: verdict.Valid, Anomalies: []verdict.Anomaly{}}
	for _, r := range t.Rows {
		if !r.Agree() {
			res.Invalidate(verdict.Anomaly{Type: "disagreement", Key: r.Config + " " + r.Property,
				Detail: fmt.Sprintf("TLC %s, mCRL2 %s", r.TLC, r.MCRL2)})
		}
	}
	n := t.Compared()
	switch {
	case n == 0:
		res.Valid, res.Note = verdict.Unknown, "no property was checked by both TLC and mCRL2"
	case res.Valid == verdict.Valid:
		res.Note = fmt.Sprintf("TLC and mCRL2 agree on all %d config × property verdicts both checked", n)
	default:
		res.Note = fmt.Sprintf("TLC and mCRL2 disagree on %d of %d config × property verdicts", len(res.Anomalies), n)
	}
	return res
}

// ConfigSummary renders one row per config: each tool's state counts, its
// time for the config (TLC: the sum of its runs; mCRL2: building the LTS
// plus every formula) and the properties it found violated.
func ConfigSummary(tlc, mcrl2 []Check) string {
	type agg struct {
		distinct, states, trans int64
		tlcSec, buildSec, mSec  float64
		tlcFail, mFail          []string
		seenRun                 map[float64]bool
		ranTLC, ranMCRL2        bool
	}
	by := map[string]*agg{}
	get := func(c string) *agg {
		if by[c] == nil {
			by[c] = &agg{seenRun: map[float64]bool{}}
		}
		return by[c]
	}
	for _, c := range tlc {
		a := get(c.Config)
		a.ranTLC = true
		// A TLC run that passed decides several properties with one time.
		if !a.seenRun[c.Seconds] {
			a.seenRun[c.Seconds], a.tlcSec = true, a.tlcSec+c.Seconds
		}
		if c.Verdict == Pass && c.Distinct > a.distinct {
			a.distinct = c.Distinct
		}
		if c.Verdict != Pass {
			a.tlcFail = append(a.tlcFail, c.Property)
		}
	}
	for _, c := range mcrl2 {
		a := get(c.Config)
		a.ranMCRL2 = true
		a.states, a.trans, a.buildSec = c.States, c.Transitions, c.BuildSeconds
		a.mSec += c.Seconds
		if c.Verdict != Pass {
			a.mFail = append(a.mFail, c.Property)
		}
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("| config | TLC distinct | TLC s | TLC violated | mCRL2 states | mCRL2 transitions | mCRL2 LTS s | mCRL2 formulas s | mCRL2 violated |\n|---|---|---|---|---|---|---|---|---|\n")
	list := func(xs []string) string {
		sort.Strings(xs)
		return or(strings.Join(xs, ", "), "none")
	}
	for _, n := range names {
		a := by[n]
		tlcCols, mCols := "- | - | not run", "- | - | - | - | not run"
		if a.ranTLC {
			tlcCols = fmt.Sprintf("%s | %.1f | %s", count(a.distinct), a.tlcSec, list(a.tlcFail))
		}
		if a.ranMCRL2 {
			mCols = fmt.Sprintf("%s | %s | %.1f | %.1f | %s", count(a.states), count(a.trans), a.buildSec, a.mSec, list(a.mFail))
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", n, tlcCols, mCols)
	}
	return b.String()
}
