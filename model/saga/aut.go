package saga

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// AutOptions says what WriteAut adds to the protocol's steps.
type AutOptions struct {
	// Observations adds the self-loops spec/mcrl2/order_saga.mcrl2 has in
	// every state after setup: obs_status(st_<status of the first order>)
	// and violated(<Invariant>) for every invariant false there (TypeOK,
	// which mCRL2's sorts enforce, excepted).
	Observations bool
}

// SetupLabel is the mCRL2 action that picks the initial stock and balance
// (TLA+: stock0 \in StockInit, bal0 \in BalanceInit).
func SetupLabel(stock0, bal0 int) string {
	return "setup(" + strconv.Itoa(stock0) + ", " + strconv.Itoa(bal0) + ")"
}

// WriteAut writes g as an Aldebaran .aut LTS with labels as mCRL2 prints
// them (Label.String). As in the mCRL2 spec, state 0 is the state before
// the setup phase, with one setup(stock0, bal0) transition to each initial
// state; graph state i is .aut state i+1. Transitions are unique and sorted.
func (g *Graph) WriteAut(w io.Writer, opt AutOptions) error {
	type tr struct {
		from, to int
		label    string
	}
	seen := map[tr]bool{}
	var trs []tr
	add := func(t tr) {
		if !seen[t] {
			seen[t] = true
			trs = append(trs, t)
		}
	}
	for _, i := range g.Init {
		s := g.States[i]
		add(tr{0, i + 1, SetupLabel(s.Stock0, s.Bal0)})
	}
	for _, e := range g.Edges {
		add(tr{e.From + 1, e.To + 1, e.Label.String()})
	}
	if opt.Observations {
		for i, s := range g.States {
			if len(g.Config.Orders) > 0 {
				add(tr{i + 1, i + 1, "obs_status(st_" + s.Status(g.Config.Orders[0]) + ")"})
			}
			for _, v := range Violations(g.Config, s) {
				if v != "TypeOK" {
					add(tr{i + 1, i + 1, "violated(" + v + ")"})
				}
			}
		}
	}
	sort.Slice(trs, func(a, b int) bool {
		x, y := trs[a], trs[b]
		if x.from != y.from {
			return x.from < y.from
		}
		if x.label != y.label {
			return x.label < y.label
		}
		return x.to < y.to
	})
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "des (0,%d,%d)\n", len(trs), len(g.States)+1)
	for _, t := range trs {
		fmt.Fprintf(bw, "(%d,%s,%d)\n", t.from, strconv.Quote(t.label), t.to)
	}
	return bw.Flush()
}
