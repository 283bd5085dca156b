package cex

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// mcrl2Order is the one order spec/mcrl2 has (its labels leave it implied).
const mcrl2Order = "o-1"

// ReadMCRL2 reads the counterexample of a failed mCRL2 check back into the
// Go model: setup(stock0, bal0) picks the initial state, each protocol
// label is the model step of that name and arguments, and the observation
// labels (violated, obs_status) are skipped. The budgets are the config's
// (MaxDup = MaxCrash = MaxRead = 1, as every spec/tla config has), or more
// when the path takes more such steps; a label the model cannot take is an
// error naming it.
func ReadMCRL2(check formal.Check) (Counterexample, error) {
	where := fmt.Sprintf("%s %s/%s", check.Tool, check.Config, check.Property)
	if check.Verdict != formal.Fail || len(check.Trace) == 0 {
		return Counterexample{}, fmt.Errorf("%s: verdict %q with no counterexample (want a failed check with its trace)", where, check.Verdict)
	}
	var tr formal.MCRL2Trace
	if err := json.Unmarshal(check.Trace, &tr); err != nil {
		return Counterexample{}, fmt.Errorf("%s: trace: %v", where, err)
	}
	stock0, bal0, found := 0, 0, false
	var steps []saga.Label
	for i, st := range tr.Steps {
		name, args, err := parseMCRL2Label(st.Action)
		if err != nil {
			return Counterexample{}, fmt.Errorf("%s: trace step %d: %v", where, i, err)
		}
		switch name {
		case "", "violated", "obs_status", "done":
		case "setup":
			if len(args) != 2 || found {
				return Counterexample{}, fmt.Errorf("%s: trace step %d: %q: want one setup(stock0, bal0) first", where, i, st.Action)
			}
			stock0, err = strconv.Atoi(args[0])
			if err == nil {
				bal0, err = strconv.Atoi(args[1])
			}
			if err != nil {
				return Counterexample{}, fmt.Errorf("%s: trace step %d: %q: %v", where, i, st.Action, err)
			}
			found = true
		default:
			l, err := sagaLabel(name, args)
			if err != nil {
				return Counterexample{}, fmt.Errorf("%s: trace step %d: %v", where, i, err)
			}
			steps = append(steps, l)
		}
	}
	if !found {
		return Counterexample{}, fmt.Errorf("%s: trace has no setup(stock0, bal0) step", where)
	}
	cfg := mcrl2Config(check.Config, stock0, bal0, steps)
	if err := cfg.Validate(); err != nil {
		return Counterexample{}, fmt.Errorf("%s: %v", where, err)
	}
	cx := Counterexample{Config: check.Config, Property: check.Property, Model: cfg, Loop: -1,
		States: []saga.State{saga.InitStates(cfg)[0]}}
	for i, l := range steps {
		next, err := saga.Apply(cfg, cx.States[i], l)
		if err != nil {
			return Counterexample{}, fmt.Errorf("%s: step %d %s: %v", where, i+1, l.TLA(), err)
		}
		cx.Steps = append(cx.Steps, l)
		cx.States = append(cx.States, next)
	}
	if tr.Loop >= 0 {
		cx.Loop = min(tr.Loop, len(cx.States)-1)
	}
	return cx, nil
}

// mcrl2Config is the model config of an mCRL2 counterexample.
func mcrl2Config(name string, stock0, bal0 int, steps []saga.Label) saga.Config {
	bug := name
	if name == "correct" || name == "correct-partition" || name == "" {
		bug = saga.BugNone
	}
	count := map[string]int{}
	for _, l := range steps {
		count[l.Name]++
	}
	return saga.Config{Bug: bug, Orders: []string{mcrl2Order}, StockInit: []int{stock0}, BalanceInit: []int{bal0},
		Qty: 1, Amount: 1, MaxDup: max(1, count[saga.ActDuplicate]),
		MaxCrash:     max(1, count[saga.ActCrashOrders]+count[saga.ActCrashAfterCommit]),
		MaxPartition: count[saga.ActPartition], MaxRead: max(1, count[saga.ActReadStrong])}
}

// parseMCRL2Label splits "deliver(inventory, 3)" into its name and arguments.
func parseMCRL2Label(s string) (string, []string, error) {
	s = strings.TrimSpace(s)
	name, rest, ok := strings.Cut(s, "(")
	if !ok {
		return s, nil, nil
	}
	if !strings.HasSuffix(rest, ")") {
		return "", nil, fmt.Errorf("label %q: unbalanced parenthesis", s)
	}
	var args []string
	for a := range strings.SplitSeq(strings.TrimSuffix(rest, ")"), ",") {
		args = append(args, strings.TrimSpace(a))
	}
	return name, args, nil
}

// mcrl2Actions maps a protocol label to the model action and whether it
// takes the implied order.
var mcrl2Actions = map[string]struct {
	act   string
	order bool
}{
	"place": {saga.ActPlace, true}, "flush": {saga.ActFlush, true}, "cancel_decide": {saga.ActCancelDecide, true},
	"cancel_append": {saga.ActCancelAppend, true}, "read_strong": {saga.ActReadStrong, true},
	"deliver": {saga.ActDeliver, false}, "orders_decide": {saga.ActOrdersDecide, false},
	"orders_append": {saga.ActOrdersAppend, false}, "duplicate": {saga.ActDuplicate, false},
	"partition": {saga.ActPartition, false}, "heal": {saga.ActHeal, false},
	"crash_orders": {saga.ActCrashOrders, false}, "crash_after_commit": {saga.ActCrashAfterCommit, false},
}

// sagaLabel is the model label of an mCRL2 protocol action.
func sagaLabel(name string, args []string) (saga.Label, error) {
	a, ok := mcrl2Actions[name]
	if !ok {
		return saga.Label{}, fmt.Errorf("unknown mCRL2 action %q", name)
	}
	if a.order {
		args = []string{mcrl2Order}
	}
	for _, x := range args {
		if x == "" {
			return saga.Label{}, fmt.Errorf("%s: empty argument", name)
		}
	}
	if (a.act == saga.ActPartition || a.act == saga.ActHeal) && (len(args) != 1 || saga.ConsumerIndex(args[0]) < 0) {
		return saga.Label{}, fmt.Errorf("%s: want one of %v", name, vocab.Services)
	}
	return saga.Label{Name: a.act, Args: args}, nil
}
