package cex

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Counterexample is a TLC counterexample read back into the Go model: the
// model config it was found in, the labelled steps (with the arguments TLC
// leaves out of its wrapper actions, e.g. Deliver's consumer and event id,
// recovered by matching each next state among the model's successors) and
// the states, States[0] initial, States[i+1] after Steps[i].
type Counterexample struct {
	Config   string // the spec/tla config (check.Config)
	Property string
	Model    saga.Config
	Steps    []saga.Label
	States   []saga.State
	// Loop, for a liveness counterexample (a lasso), is the index into
	// States the behaviour returns to after the last step and repeats from
	// forever; -1 for a finite counterexample (an invariant's).
	Loop int
}

// ReadTLC reads the counterexample of a failed TLC check.
func ReadTLC(check formal.Check) (Counterexample, error) {
	where := fmt.Sprintf("%s %s/%s", check.Tool, check.Config, check.Property)
	if check.Verdict != formal.Fail || len(check.Trace) == 0 {
		return Counterexample{}, fmt.Errorf("%s: verdict %q with no counterexample (want a failed check with its trace)", where, check.Verdict)
	}
	var tr tlcTrace
	if err := json.Unmarshal(check.Trace, &tr); err != nil {
		return Counterexample{}, fmt.Errorf("%s: trace: %v", where, err)
	}
	acts := tr.Counterexample.Action
	if len(acts) == 0 {
		return Counterexample{}, fmt.Errorf("%s: trace: counterexample has no actions", where)
	}
	raw := make([]tlcState, 0, len(acts)+1)
	loop, back := -1, ""
	names := make([]string, 0, len(acts))
	for i, a := range acts {
		if len(a) != 3 {
			return Counterexample{}, fmt.Errorf("%s: trace: action %d: want [state, action, state]", where, i+1)
		}
		var act tlcAction
		if err := json.Unmarshal(a[1], &act); err != nil || act.Name == "" {
			return Counterexample{}, fmt.Errorf("%s: trace: action %d: no action name", where, i+1)
		}
		from, s, err := decodeState(a[0])
		if err != nil {
			return Counterexample{}, fmt.Errorf("%s: trace: state before action %d: %v", where, i+1, err)
		}
		if i == 0 {
			raw = append(raw, s)
		}
		if from != i+1 {
			return Counterexample{}, fmt.Errorf("%s: trace: action %d starts in state %d, want %d", where, i+1, from, i+1)
		}
		to, s, err := decodeState(a[2])
		if err != nil {
			return Counterexample{}, fmt.Errorf("%s: trace: state after action %d: %v", where, i+1, err)
		}
		if to <= from {
			// The back edge of a lasso: the behaviour loops from here.
			if i != len(acts)-1 {
				return Counterexample{}, fmt.Errorf("%s: trace: action %d goes back to state %d before the end", where, i+1, to)
			}
			loop, back = to-1, act.Name
			break
		}
		raw = append(raw, s)
		names = append(names, act.Name)
	}
	cfg, err := modelConfig(check.Config, raw)
	if err != nil {
		return Counterexample{}, fmt.Errorf("%s: %v", where, err)
	}
	cx := Counterexample{Config: check.Config, Property: check.Property, Model: cfg, Loop: loop}
	if err := cx.label(raw, names); err != nil {
		return Counterexample{}, fmt.Errorf("%s: %v", where, err)
	}
	if err := cx.checkLoop(back); err != nil {
		return Counterexample{}, fmt.Errorf("%s: %v", where, err)
	}
	return cx, nil
}

// modelConfig derives the Go model's constants from the counterexample:
// the bug from the config's name, the budgets and reads from the initial
// state, the one initial stock and balance it starts from, and Qty and
// Amount from the events it stores (1, as every spec/tla config has, when
// it stores none).
func modelConfig(name string, states []tlcState) (saga.Config, error) {
	bug := name
	if name == "correct" || name == "correct-partition" || name == "" {
		bug = saga.BugNone
	}
	s0 := states[0]
	orders := s0.orders()
	cfg := saga.Config{Bug: bug, Orders: orders, StockInit: []int{s0.Stock0}, BalanceInit: []int{s0.Bal0},
		Qty: 1, Amount: 1, MaxDup: s0.DupLeft, MaxCrash: s0.CrashLeft, MaxPartition: s0.PartLeft,
		MaxRead: s0.ReadsLeft[orders[0]]}
	for _, s := range states {
		for _, e := range s.Log {
			switch e.Type {
			case vocab.OrderPlaced:
				cfg.Qty = e.N
			case vocab.PaymentCharged, vocab.PaymentDeclined:
				cfg.Amount = e.N
			}
		}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("config %q: %v", name, err)
	}
	return cfg, nil
}

// label walks the model from the initial state along the counterexample:
// each step must be a successor, of the action TLC names, whose state is
// the next one TLC printed.
func (cx *Counterexample) label(raw []tlcState, names []string) error {
	want, err := raw[0].toSaga(cx.Model)
	if err != nil {
		return fmt.Errorf("initial state: %v", err)
	}
	inits := saga.InitStates(cx.Model)
	i := slices.IndexFunc(inits, func(s saga.State) bool { return s.Key() == want.Key() })
	if i < 0 {
		return fmt.Errorf("initial state is not one of the model's initial states")
	}
	cur := inits[i]
	cx.States = append(cx.States, cur)
	for k, name := range names {
		next, err := raw[k+1].toSaga(cx.Model)
		if err != nil {
			return fmt.Errorf("state after action %d: %v", k+1, err)
		}
		key := next.Key()
		found := false
		for _, st := range saga.Successors(cx.Model, cur) {
			if st.Label.Name == name && st.To.Key() == key {
				cx.Steps = append(cx.Steps, st.Label)
				cx.States = append(cx.States, st.To)
				cur, found = st.To, true
				break
			}
		}
		if !found {
			return fmt.Errorf("action %d (%s): the model has no such step to the state TLC printed", k+1, name)
		}
	}
	return nil
}

// checkLoop checks a lasso's back edge: from the last state, action back
// leads to States[Loop], or the behaviour stutters there (Loop is the last
// state), which TLA+ always allows.
func (cx *Counterexample) checkLoop(back string) error {
	last := len(cx.States) - 1
	if cx.Loop < 0 || cx.Loop == last {
		return nil
	}
	if cx.Loop > last {
		return fmt.Errorf("the lasso goes back to state %d of %d", cx.Loop+1, last+1)
	}
	key := cx.States[cx.Loop].Key()
	for _, st := range saga.Successors(cx.Model, cx.States[last]) {
		if st.Label.Name == back && st.To.Key() == key {
			return nil
		}
	}
	return fmt.Errorf("the lasso's back edge (%s) to state %d is no step of the model", back, cx.Loop+1)
}
