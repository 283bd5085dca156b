package difftest

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Behaviour is a finite behaviour of model/saga: a config, an initial
// state and the labelled steps taken from it. It is what a regression case
// in testdata/ holds (as JSON) and what Build turns into a history and a
// trace.
type Behaviour struct {
	// Bug is the bug switch ("none" for the correct protocol).
	Bug    string `json:"bug"`
	Orders int    `json:"orders"`
	// Init is the index into saga.InitStates of the initial state.
	Init  int          `json:"init"`
	Steps []saga.Label `json:"steps"`
	// Mutation, when set, is applied to the built trace (Mutate).
	Mutation *Mutation `json:"mutation,omitempty"`
	// Note says why the case was kept (a regression case's story).
	Note string `json:"note,omitempty"`
}

// Config is the model config of a behaviour: spec/tla's constants (one SKU,
// one customer, Qty = Amount = 1, StockInit = BalanceInit = {0, 1}, one
// duplicate, one crash, one strong read) with one partition allowed too and
// Orders o-1 … o-n.
func (b Behaviour) Config() saga.Config {
	cfg := saga.Config{Bug: b.Bug, StockInit: []int{0, 1}, BalanceInit: []int{0, 1}, Qty: 1, Amount: 1,
		MaxDup: 1, MaxCrash: 1, MaxPartition: 1, MaxRead: 1}
	for i := range max(b.Orders, 1) {
		cfg.Orders = append(cfg.Orders, fmt.Sprintf("o-%d", i+1))
	}
	return cfg
}

// States replays the behaviour in the model: States[0] is the initial
// state, States[i+1] the state after Steps[i]. A step the model cannot take
// is an error naming it.
func (b Behaviour) States() ([]saga.State, error) {
	cfg := b.Config()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	inits := saga.InitStates(cfg)
	if b.Init < 0 || b.Init >= len(inits) {
		return nil, fmt.Errorf("init %d: want 0..%d", b.Init, len(inits)-1)
	}
	out := []saga.State{inits[b.Init]}
	for i, l := range b.Steps {
		s, err := saga.Apply(cfg, out[len(out)-1], l)
		if err != nil {
			return nil, fmt.Errorf("step %d: %v", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// systemActions are the steps the system takes by itself (TLA+
// SystemNext): the final phase takes only these, as the harness's final
// phase heals every fault and waits for quiescence.
var systemActions = []string{saga.ActDeliver, saga.ActOrdersDecide, saga.ActOrdersAppend, saga.ActFlush,
	saga.ActCancelAppend, saga.ActHeal}

// IsSystem reports whether a step is one the system takes by itself.
func IsSystem(l saga.Label) bool { return slices.Contains(systemActions, l.Name) }

// Configs are the bug switches behaviours are drawn for: the correct
// protocol and every bug.
var Configs = append([]string{saga.BugNone}, vocab.Bugs...)

// ReadCase reads a regression case.
func ReadCase(path string) (Behaviour, error) {
	var b Behaviour
	data, err := os.ReadFile(path)
	if err != nil {
		return b, err
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return b, fmt.Errorf("%s: %v", path, err)
	}
	return b, nil
}

// WriteCase writes a regression case.
func WriteCase(path string, b Behaviour) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
