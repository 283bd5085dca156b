package saga

import "fmt"

// Edge is one transition of a Graph, between state indexes.
type Edge struct {
	From, To int
	Label    Label
}

// Graph is the reachable state graph of a config: States[i] is state i
// (numbered in BFS order), Init the initial states' indexes, Edges every
// step of every state (one edge per action instance: different labels to
// one target are kept apart).
type Graph struct {
	Config Config
	States []State
	Init   []int
	Edges  []Edge
	index  map[string]int
}

// Index returns the index of a state, false if it is not in the graph.
func (g *Graph) Index(s State) (int, bool) {
	i, ok := g.index[s.Key()]
	return i, ok
}

// ErrTooManyStates is wrapped by Explore when maxStates is exceeded.
var ErrTooManyStates = fmt.Errorf("saga: state limit reached")

// Explore enumerates every reachable state of c breadth-first, as TLC does,
// with every edge. maxStates > 0 bounds the number of distinct states (an
// error wrapping ErrTooManyStates when reached); 0 means no bound.
func Explore(c Config, maxStates int) (*Graph, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	g := &Graph{Config: c, index: map[string]int{}}
	var buf []byte
	add := func(s State) (int, error) {
		buf = s.appendKey(buf[:0])
		if i, ok := g.index[string(buf)]; ok { // no allocation for a lookup
			return i, nil
		}
		if maxStates > 0 && len(g.States) >= maxStates {
			return 0, fmt.Errorf("%w: more than %d distinct states", ErrTooManyStates, maxStates)
		}
		g.index[string(buf)] = len(g.States)
		g.States = append(g.States, s)
		return len(g.States) - 1, nil
	}
	for _, s := range InitStates(c) {
		if _, dup := g.index[s.Key()]; dup {
			continue
		}
		i, err := add(s)
		if err != nil {
			return nil, err
		}
		g.Init = append(g.Init, i)
	}
	// Successors yields each action instance (name and arguments) at most
	// once, so the edges of one state are unique without a check.
	for from := 0; from < len(g.States); from++ {
		for _, st := range Successors(c, g.States[from]) {
			to, err := add(st.To)
			if err != nil {
				return nil, err
			}
			g.Edges = append(g.Edges, Edge{From: from, To: to, Label: st.Label})
		}
	}
	return g, nil
}
