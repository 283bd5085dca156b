package difftest

import (
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"pgregory.net/rapid"
)

var save = flag.Bool("difftest.save", false, "write the shrunk behaviour of a disagreement to testdata/found-<bug>.json")

// stepsMax and finalMax bound a drawn behaviour: the random walk, then the
// final phase (system steps only) until the model is quiet.
var stepsMax = flag.Int("difftest.steps", 24, "most random-walk steps of a drawn behaviour (before its final phase)")

const finalMax = 200

// drawBehaviour draws a random walk of model/saga's Successors from one of
// its initial states, for the correct config or a bug's, followed by a
// final phase of system steps until quiet (the harness's heal + quiescence).
func drawBehaviour(t *rapid.T) Behaviour { return drawBehaviourOf(t, Configs) }

// drawBehaviourOf draws a behaviour of one of the configs.
func drawBehaviourOf(t *rapid.T, configs []string) Behaviour {
	b := Behaviour{Bug: rapid.SampledFrom(configs).Draw(t, "bug"), Orders: rapid.IntRange(1, 2).Draw(t, "orders")}
	cfg := b.Config()
	inits := saga.InitStates(cfg)
	b.Init = rapid.IntRange(0, len(inits)-1).Draw(t, "init")
	s := inits[b.Init]
	take := func(steps []saga.Step, label string) {
		st := steps[rapid.IntRange(0, len(steps)-1).Draw(t, label)]
		b.Steps = append(b.Steps, st.Label)
		s = st.To
	}
	for range rapid.IntRange(0, *stepsMax).Draw(t, "steps") {
		steps := filter(saga.Successors(cfg, s), func(l saga.Label) bool { return l.Name != saga.ActDone })
		if len(steps) == 0 {
			break
		}
		take(steps, "step")
	}
	for range finalMax {
		if s.Quiet(cfg) {
			break
		}
		take(filter(saga.Successors(cfg, s), IsSystem), "final")
	}
	return b
}

func filter(steps []saga.Step, keep func(saga.Label) bool) []saga.Step {
	var out []saga.Step
	for _, st := range steps {
		if keep(st.Label) {
			out = append(out, st)
		}
	}
	return out
}

// saveFound keeps a disagreeing behaviour in testdata/found-<bug><suffix>.json
// when -difftest.save is set. rapid calls the property again on every
// smaller case it tries, so the file ends as the shrunk case.
func saveFound(t tb, b Behaviour, suffix string) {
	if !*save {
		return
	}
	if err := WriteCase(filepath.Join("testdata", "found-"+b.Bug+suffix+".json"), b); err != nil {
		t.Errorf("saving: %v", err)
	}
}

// tb is what check needs of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// check compares the checkers' verdict on a behaviour with the model's.
func check(t tb, b Behaviour) []string {
	t.Helper()
	states, err := b.States()
	if err != nil {
		t.Fatalf("behaviour: %v", err)
	}
	built, err := Build(b, true)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	model, err := ModelAnomalies(b.Config(), b.Steps, states)
	if err != nil {
		t.Fatalf("model: %v", err)
	}
	rep := Judge(built)
	if why := Compare(model, rep, Vacuous(b.Config(), states[len(states)-1])); why != "" {
		saveFound(t, b, "")
		t.Fatalf("%s: model %v: %s\nsteps %s\nanomalies: %s", b.Bug, model, why, labels(b.Steps), details(rep))
	}
	return model
}

// Issue 6 point 6: on behaviours of the model (correct and every bug), the
// checkers' verdicts agree with the model's invariants.
func TestCheckersAgreeWithModel(t *testing.T) {
	seen := map[string]int{}
	rapid.Check(t, func(rt *rapid.T) {
		for _, a := range check(rt, drawBehaviour(rt)) {
			seen[a]++
		}
	})
	t.Logf("behaviours per model anomaly: %v", seen)
	if len(seen) < 3 {
		t.Fatalf("the behaviours showed only %d anomaly types (%v): the comparison is nearly vacuous", len(seen), seen)
	}
}

// labels prints steps as TLA+ action calls.
func labels(ls []saga.Label) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.TLA()
	}
	return strings.Join(out, " ")
}

// details lists a report's anomalies with their details.
func details(rep checker.Report) string {
	var out []string
	for name, r := range rep.Checkers {
		for _, a := range r.Anomalies {
			out = append(out, fmt.Sprintf("%s: %s %s ops %v: %s", name, a.Type, a.Key, a.Ops, a.Detail))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n  ")
}
