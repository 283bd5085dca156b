package saga

import (
	"math/rand/v2"
	"testing"
)

// The model is general in Orders: random walks with three orders competing
// for stock and money, under every kind of fault, satisfy every invariant
// at every step and end in a finished run (only Done enabled), where at
// most as many orders completed as the stock and the balance allow.
// (Exhaustive exploration of two orders has more than 2·10⁶ states.)
func TestRandomWalksThreeOrders(t *testing.T) {
	c := Config{Bug: BugNone, Orders: []string{"o-1", "o-2", "o-3"}, StockInit: []int{0, 1, 2},
		BalanceInit: []int{1, 2}, Qty: 1, Amount: 1, MaxDup: 2, MaxCrash: 2, MaxPartition: 2, MaxRead: 2}
	rng := rand.New(rand.NewPCG(7, 7))
	walks := 300
	if testing.Short() {
		walks = 50
	}
	finished := 0
	for w := range walks {
		inits := InitStates(c)
		s := inits[rng.IntN(len(inits))]
		for depth := 0; ; depth++ {
			if v := Violations(c, s); len(v) > 0 {
				t.Fatalf("walk %d depth %d: %v violated in\n%s", w, depth, v, s.TLA())
			}
			steps := Successors(c, s)
			if len(steps) == 0 {
				t.Fatalf("walk %d depth %d: deadlock in\n%s", w, depth, s.TLA())
			}
			if len(steps) == 1 && steps[0].Label.Name == ActDone {
				completed := 0
				for _, o := range c.Orders {
					if s.Status(o) == "completed" {
						completed++
					}
				}
				if completed > s.Stock0 || completed > s.Bal0 {
					t.Fatalf("walk %d: %d orders completed with stock %d, balance %d", w, completed, s.Stock0, s.Bal0)
				}
				finished++
				break
			}
			if depth > 1000 {
				t.Fatalf("walk %d: no end after %d steps", w, depth)
			}
			var next []Step
			for _, st := range steps {
				if st.Label.Name != ActDone {
					next = append(next, st)
				}
			}
			s = next[rng.IntN(len(next))].To
		}
	}
	if finished != walks {
		t.Fatalf("%d of %d walks finished", finished, walks)
	}
}
