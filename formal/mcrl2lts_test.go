package formal

import (
	"encoding/json"
	"strings"
	"testing"
)

// A small LTS in FSM form: an extra initial state, setup, then a place;
// state 3 shows NoLostCommand violated; state 4 is a dead end; state 5 is a
// placed order that loops on done without becoming terminal.
const sampleFSM = `s1_P(2) Pos "1" "2"
log(3) List(Event) "[]" "[ev(order_o1, 1, OrderPlaced, 1, 0, 1)]" "[x]"
unused(0) Nat
pop(2) POp "p_idle" "p_ok"
---
0 0 0
1 0 0
1 1 1
1 2 1
1 2 0
1 1 0
---
1 2 "setup(1, 1)"
2 3 "place"
2 2 "obs_status(st_none)"
3 3 "obs_status(st_placed)"
3 3 "violated(NoLostCommand)"
3 5 "flush"
5 5 "obs_status(st_none)"
2 6 "cancel_decide"
6 6 "obs_status(st_reserved)"
6 6 "done"
4 4 "obs_status(st_completed)"
`

func TestParseFSMAndCounterexamples(t *testing.T) {
	l, err := ParseFSM(strings.NewReader(sampleFSM), "sample.fsm")
	if err != nil {
		t.Fatal(err)
	}
	if l.NumStates() != 6 || len(l.Trans) != 11 || len(l.Params) != 4 {
		t.Fatalf("%d states %d transitions %v", l.NumStates(), len(l.Trans), l.Params)
	}
	if got := l.Value(2, 1); got != "[ev(order_o1, 1, OrderPlaced, 1, 0, 1)]" {
		t.Errorf("value %q", got)
	}
	if got := l.Value(4, 3); got != "p_idle" {
		t.Errorf("value %q", got)
	}
	c, ok := l.Counterexample("NoLostCommand")
	if !ok || c.Actions() != "setup(1, 1) · place · violated(NoLostCommand)" {
		t.Errorf("NoLostCommand: %v %q", ok, c.Actions())
	}
	if c.Steps[0].State["log"] != "[]" || c.Steps[2].State["log"] == "" || c.Steps[2].State["s1_P"] != "" {
		t.Errorf("steps %+v", c.Steps)
	}
	if _, ok := l.Counterexample("NoLostEvent"); ok {
		t.Error("NoLostEvent: a counterexample where no state violates it")
	}
	d, ok := l.Counterexample("Deadlock")
	if !ok || d.Actions() != "setup(1, 1) · place · flush" {
		t.Errorf("Deadlock: %v %q", ok, d.Actions())
	}
	e, ok := l.Counterexample("EventuallyTerminal")
	if !ok || !strings.HasPrefix(e.Actions(), "setup(1, 1) · place") {
		t.Errorf("EventuallyTerminal: %v %q", ok, e.Actions())
	}
	if _, err := json.Marshal(e); err != nil {
		t.Error(err)
	}
}

func TestEventuallyTerminalLasso(t *testing.T) {
	fsm := "x(3) Nat \"0\" \"1\" \"2\"\n---\n0\n1\n2\n---\n" +
		"1 2 \"place\"\n2 2 \"obs_status(st_placed)\"\n2 3 \"deliver(inventory, 1)\"\n" +
		"3 3 \"obs_status(st_reserved)\"\n3 3 \"done\"\n"
	l, err := ParseFSM(strings.NewReader(fsm), "lasso.fsm")
	if err != nil {
		t.Fatal(err)
	}
	e, ok := l.Counterexample("EventuallyTerminal")
	if !ok || e.Loop != 2 || e.Actions() != "place · deliver(inventory, 1) · done (back to step 2)" {
		t.Errorf("%v %+v %q", ok, e, e.Actions())
	}
	// The same with the order completed: nothing to refute.
	l2, err := ParseFSM(strings.NewReader(strings.Replace(fsm, "st_reserved", "st_completed", 1)), "ok.fsm")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := l2.Counterexample("EventuallyTerminal"); ok {
		t.Error("a counterexample although every placed path ends completed")
	}
}

func TestParseFSMErrors(t *testing.T) {
	for _, bad := range []string{
		"",
		"x(2) Nat \"0\"\n---\n0\n---\n",
		"x(1) Nat \"0\"\n---\n1\n---\n",
		"x(1) Nat \"0\"\n---\n0 0\n---\n",
		"x(1) Nat \"0\"\n---\n0\n---\n1 2 \"a\"\n",
		"x(1) Nat \"0\"\n---\n0\n---\n1 1 a\n",
		"x(1) Nat \"0\n---\n0\n---\n",
		"x Nat\n---\n0\n---\n",
		"x(1) Nat \"0\"\n---\n0\n---\n1 1 \"a\"\n---\n",
	} {
		_, err := ParseFSM(strings.NewReader(bad), "bad.fsm")
		if err == nil || !strings.HasPrefix(err.Error(), "bad.fsm:") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v, want one line naming bad.fsm:LINE", bad, err)
		}
	}
}
