package saga

import (
	"slices"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// specConfig is spec/tla/<bug>.cfg's constants (the cfgs differ only in Bug
// and budgets; crosscheck/ reads the real files).
func specConfig(bug string) Config {
	c := Config{Bug: bug, Orders: []string{"o-1"}, StockInit: []int{0, 1}, BalanceInit: []int{0, 1},
		Qty: 1, Amount: 1, MaxDup: 1, MaxCrash: 1, MaxRead: 1}
	switch bug {
	case "correct-partition":
		c.Bug, c.MaxDup, c.MaxPartition = BugNone, 0, 1
	case vocab.BugNoOCC:
		c.MaxDup = 0
	}
	return c
}

// expectedViolation is spec/expected.json: the invariant each bug breaks.
var expectedViolation = map[string]string{
	vocab.BugNoDedup:             "NoDuplicateEffect",
	vocab.BugNoCompensation:      "StockConserved",
	vocab.BugNoOCC:               "NoConflictingTerminal",
	vocab.BugStaleRead:           "LinearizableRead",
	vocab.BugAckBeforePersist:    "NoLostCommand",
	vocab.BugCommitBeforeProcess: "NoLostEvent",
	vocab.BugUnorderedApply:      "CausalOrder",
}

// spec/tla/OrderSaga.tla, every invariant: the correct configs violate
// none; each bug config violates the invariant that names its bug.
func TestExploreVerdicts(t *testing.T) {
	// crosscheck/ checks every config's verdicts against TLC's; here the
	// configs with fewer than ~60k states (the others when not -short).
	names := []string{BugNone, "correct-partition", vocab.BugNoCompensation, vocab.BugNoOCC,
		vocab.BugStaleRead, vocab.BugAckBeforePersist, vocab.BugCommitBeforeProcess}
	if !testing.Short() {
		names = append(names, vocab.BugNoDedup, vocab.BugUnorderedApply)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			c := specConfig(name)
			g, err := Explore(c, 1_000_000)
			if err != nil {
				t.Fatal(err)
			}
			violated := map[string]bool{}
			for _, s := range g.States {
				for _, v := range Violations(c, s) {
					violated[v] = true
				}
			}
			t.Logf("%d states, %d edges, violated %v", len(g.States), len(g.Edges), violated)
			if violated["TypeOK"] {
				t.Errorf("TypeOK violated")
			}
			want := expectedViolation[c.Bug]
			if want == "" && len(violated) > 0 {
				t.Errorf("correct protocol violates %v", violated)
			}
			if want != "" && !violated[want] {
				t.Errorf("bug %s: %s never violated (violated: %v)", c.Bug, want, violated)
			}
		})
	}
}

// Successors never modifies its input, and Apply takes exactly the step
// Successors took under the same label.
func TestSuccessorsPureAndApply(t *testing.T) {
	c := specConfig(vocab.BugCommitBeforeProcess)
	c.Orders = []string{"o-1", "o-2"}
	c.StockInit, c.BalanceInit = []int{1}, []int{1}
	s := InitStates(c)[0]
	for depth := 0; depth < 14; depth++ {
		before, tla := s.Key(), s.TLA()
		steps := Successors(c, s)
		if s.Key() != before || s.TLA() != tla {
			t.Fatalf("depth %d: Successors modified its input", depth)
		}
		if len(steps) == 0 {
			t.Fatalf("depth %d: deadlock in\n%s", depth, s.TLA())
		}
		for _, st := range steps {
			got, err := Apply(c, s, st.Label)
			if err != nil || got.Key() != st.To.Key() {
				t.Fatalf("Apply(%s) = %v, %v; Successors gave %s", st.Label.TLA(), got.TLA(), err, st.To.TLA())
			}
		}
		// Walk the step that grows the log most, to get deep.
		best := steps[0]
		for _, st := range steps {
			if len(st.To.Log) > len(best.To.Log) {
				best = st
			}
		}
		s = best.To
	}
	if _, err := Apply(c, s, Label{Name: "Nope"}); err == nil {
		t.Error("Apply accepted an unknown action")
	}
	if _, err := Apply(c, InitStates(c)[0], Label{Name: ActOrdersAppend}); err == nil {
		t.Error("Apply took OrdersAppend with no work")
	}
}

func TestLabelForms(t *testing.T) {
	cases := []struct {
		l              Label
		mcrl2, tlc, tl string
	}{
		{Label{ActPlace, []string{"o-1"}}, "place", `Place("o-1")`, `Place("o-1")`},
		{Label{ActDeliver, []string{"inventory", "3"}}, "deliver(inventory, 3)", "Deliver", `Deliver("inventory", 3)`},
		{Label{ActOrdersDecide, []string{"2"}}, "orders_decide(2)", "OrdersDecide", "OrdersDecide(2)"},
		{Label{ActHeal, []string{"orders"}}, "heal(orders)", `Heal("orders")`, `Heal("orders")`},
		{Label{ActCrashAfterCommit, []string{"payment", "4"}}, "crash_after_commit(payment, 4)", "CrashAfterCommit", `CrashAfterCommit("payment", 4)`},
		{Label{ActCrashOrders, nil}, "crash_orders", "CrashOrders", "CrashOrders"},
		{Label{ActCancelAppend, []string{"o-1"}}, "cancel_append", `CancelAppend("o-1")`, `CancelAppend("o-1")`},
	}
	for _, c := range cases {
		if got := c.l.String(); got != c.mcrl2 {
			t.Errorf("String() = %q, want %q", got, c.mcrl2)
		}
		if got := c.l.TLC(); got != c.tlc {
			t.Errorf("TLC() = %q, want %q", got, c.tlc)
		}
		if got := c.l.TLA(); got != c.tl {
			t.Errorf("TLA() = %q, want %q", got, c.tl)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	good := specConfig(BugNone)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(*Config){
		func(c *Config) { c.Bug = "no-such-bug" },
		func(c *Config) { c.Orders = nil },
		func(c *Config) { c.Orders = []string{"o-1", "o-1"} },
		func(c *Config) { c.StockInit = nil },
		func(c *Config) { c.Qty = 0 },
		func(c *Config) { c.MaxDup = -1 },
		func(c *Config) { c.Mutation = "nope" },
	}
	for i, f := range bad {
		c := good
		c.Orders = slices.Clone(good.Orders)
		f(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("case %d: Validate accepted %+v", i, c)
		}
		if _, err := Explore(c, 10); err == nil {
			t.Errorf("case %d: Explore accepted %+v", i, c)
		}
	}
	if _, err := Explore(good, 100); err == nil {
		t.Error("Explore ignored maxStates")
	}
}

// spec/tla/OrderSaga.tla: EventuallyTerminal holds for the correct
// protocol and fails with commit-before-process (a lost event leaves the
// saga stuck); no config deadlocks.
func TestLiveness(t *testing.T) {
	for _, name := range []string{BugNone, vocab.BugCommitBeforeProcess} {
		g, err := Explore(specConfig(name), 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		bad, err := g.EventuallyTerminal()
		if err != nil {
			t.Fatal(err)
		}
		if d := g.Deadlocks(); len(d) > 0 {
			t.Errorf("%s: %d deadlocks, e.g.\n%s", name, len(d), g.States[d[0]].TLA())
		}
		if (name == BugNone) != (len(bad) == 0) {
			t.Errorf("%s: %d states violate EventuallyTerminal", name, len(bad))
		}
	}
}
