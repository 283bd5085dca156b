package difftest

import (
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// report builds a checker report from name -> (validity, anomaly types).
func report(results map[string]checker.Result) checker.Report {
	rep := checker.Report{Valid: checker.Valid, Checkers: results}
	for _, r := range results {
		rep.Valid = checker.Merge(rep.Valid, r.Valid)
	}
	return rep
}

func invalid(types ...string) checker.Result {
	var r checker.Result
	for _, t := range types {
		r.Invalidate(checker.Anomaly{Type: t})
	}
	return r
}

// Compare flags each way the checkers and the model can disagree, and only
// the scope differences it documents pass.
func TestCompare(t *testing.T) {
	ok := checker.Result{Valid: checker.Valid}
	unknown := checker.Result{Valid: checker.Unknown, Note: "no final read"}
	cases := []struct {
		name    string
		model   []string
		rep     checker.Report
		vacuous []string
		want    string // "" = agree
	}{
		{"both valid", nil, report(map[string]checker.Result{"terminal": ok}), nil, ""},
		{"missed", []string{vocab.AnomalyLostEvent}, report(map[string]checker.Result{"no-lost-event": ok}), nil, "no checker reports it"},
		{"extra", nil, report(map[string]checker.Result{"exactly-once": invalid(vocab.AnomalyDuplicateEffect)}), nil, "the model does not"},
		{"same", []string{vocab.AnomalyDuplicateEffect}, report(map[string]checker.Result{"exactly-once": invalid(vocab.AnomalyDuplicateEffect)}), nil, ""},
		{"implied lost cancel", []string{vocab.AnomalyConflictingTerminal},
			report(map[string]checker.Result{"terminal": invalid(vocab.AnomalyConflictingTerminal), "no-lost-command": invalid(vocab.AnomalyLostCommand)}), nil, ""},
		{"lost cancel alone", nil, report(map[string]checker.Result{"no-lost-command": invalid(vocab.AnomalyLostCommand)}), nil, "the model does not"},
		{"stale with nonlinearizable", []string{vocab.AnomalyNonlinearizable},
			report(map[string]checker.Result{"linearizable": invalid(vocab.AnomalyNonlinearizable), "stale-read": invalid(vocab.AnomalyStaleRead)}), nil, ""},
		{"stale alone satisfies nothing", []string{vocab.AnomalyNonlinearizable},
			report(map[string]checker.Result{"stale-read": invalid(vocab.AnomalyStaleRead)}), nil, "no checker reports it"},
		{"unknown", nil, report(map[string]checker.Result{"conservation": unknown}), nil, "checker conservation unknown"},
		{"vacuous unknown", nil, report(map[string]checker.Result{"conservation": unknown}), []string{"conservation"}, ""},
	}
	for _, c := range cases {
		got := Compare(c.model, c.rep, c.vacuous)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: Compare = %q, want %q", c.name, got, c.want)
		}
	}
}
