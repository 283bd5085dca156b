package difftest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// quietOnly are the invariants OrderSaga.tla states on Quiet states only
// (spec/README.md): the checkers judge them once, after the final phase,
// so the model's verdict is taken in the behaviour's last (quiet) state
// only. A stuck saga that a later cancel ended is no anomaly for either.
var quietOnly = map[string]bool{"StockConserved": true, "MoneyConserved": true, "NoLostEvent": true,
	"NoStuckSaga": true, "ProjectionConverged": true}

// ModelAnomalies returns the anomalies the model finds in a behaviour: the
// invariants false in some state (those stated on Quiet states: in the
// last state), mapped to anomaly names (spec/README.md), sorted; plus
// nonlinearizable when the client's observations, in the model's own
// order, contradict each other (observe.go).
func ModelAnomalies(cfg saga.Config, labels []saga.Label, states []saga.State) ([]string, error) {
	set := map[string]bool{}
	if !observationsAgree(cfg, labels, states) {
		set[vocab.AnomalyNonlinearizable] = true
	}
	for i, s := range states {
		last := i == len(states)-1
		for _, inv := range saga.Invariants {
			if inv.Holds(cfg, s) || (quietOnly[inv.Name] && !last) {
				continue
			}
			if inv.Anomaly == "" {
				return nil, fmt.Errorf("state %d: %s is false", i, inv.Name)
			}
			set[inv.Anomaly] = true
		}
	}
	return sortedKeys(set), nil
}

// Judge runs the property checkers and the linearizability and stale-read
// checkers (the ones a run of the reference system gets, trace validation
// aside) on a built behaviour.
func Judge(b Built) checker.Report {
	cs := append([]checker.Checker{checker.NewLinearizable(), checker.NewStaleRead()}, checker.Properties()...)
	return checker.Run(&checker.Input{Ops: b.Ops, Trace: b.Trace}, cs)
}

// implied lists, per model anomaly, what else the checkers may rightly
// report for it, because they judge the final reads where the model judges
// the stored events (spec/README.md scope; docs/REPLAY.md):
//   - conflicting-terminal: an event stored after an acknowledged cancel
//     makes the final read not cancelled, which reads as a lost cancel
//     (lost-command);
//   - nonlinearizable: the stale-read checker is a cheaper, partial
//     linearizability check, so it may name the same reads.
var implied = map[string][]string{
	vocab.AnomalyConflictingTerminal: {vocab.AnomalyLostCommand},
	vocab.AnomalyNonlinearizable:     {vocab.AnomalyStaleRead},
}

// Compare states how a checker report disagrees with the model's
// anomalies, "" when they agree: every model anomaly must be reported (a
// non-linearizable read by the linearizability or the stale-read checker),
// every reported anomaly must be the model's or implied by one of them,
// and no checker may be unknown on a complete behaviour except those in
// vacuous (Vacuous).
func Compare(model []string, rep checker.Report, vacuous []string) string {
	found := rep.AnomalyTypes()
	var why []string
	for _, a := range model {
		if !slices.Contains(found, a) {
			why = append(why, "model: "+a+", no checker reports it")
		}
	}
	for _, a := range found {
		if slices.Contains(model, a) || slices.ContainsFunc(model, func(m string) bool { return slices.Contains(implied[m], a) }) {
			continue
		}
		why = append(why, "checkers report "+a+", the model does not")
	}
	names := make([]string, 0, len(rep.Checkers))
	for n := range rep.Checkers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if r := rep.Checkers[n]; r.Valid == checker.Unknown && !slices.Contains(vacuous, n) {
			why = append(why, "checker "+n+" unknown: "+r.Note)
		}
	}
	return strings.Join(why, "; ")
}

// Vacuous names the checkers that may rightly be unknown on a behaviour
// ending in state last: conservation when a placed order is not terminal
// (StockConserved and MoneyConserved then hold vacuously in the model; the
// checker cannot tell a leak from stock still reserved).
func Vacuous(cfg saga.Config, last saga.State) []string {
	for oi, o := range cfg.Orders {
		if last.PlaceOp[oi] != saga.OpIdle && last.Placed(o) && !vocab.Terminal(last.Status(o)) {
			return []string{"conservation"}
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
