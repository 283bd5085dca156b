package crosscheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// CanonGraph is a state graph after canonicalisation, the form in which the
// Go model's graph and TLC's are compared: every state as its canonical
// TLA+ text (CanonState), sorted and unique; the initial states and the
// edges by index in that list; edge labels as TLC prints them.
type CanonGraph struct {
	States []string
	Init   []int
	Edges  []CanonEdge // sorted by (From, Label, To), unique
}

// CanonEdge is one labelled edge between canonical state indexes.
type CanonEdge struct {
	From  int
	Label string
	To    int
}

func (e CanonEdge) String() string {
	return strconv.Itoa(e.From) + " " + e.Label + " " + strconv.Itoa(e.To)
}

// Summary is what the golden files keep of a CanonGraph: the counts and
// the sha256 of the three lists (one item per line, "\n"-terminated).
type Summary struct {
	States        int            `json:"states"`
	Init          int            `json:"init"`
	Edges         int            `json:"edges"`
	StatesSHA256  string         `json:"states_sha256"`
	InitSHA256    string         `json:"init_sha256"`
	EdgesSHA256   string         `json:"edges_sha256"`
	ActionsByName map[string]int `json:"actions"` // edges per action name
}

// Summary computes g's summary.
func (g CanonGraph) Summary() Summary {
	hash := func(n int, line func(int) string) string {
		h := sha256.New()
		for i := range n {
			h.Write([]byte(line(i)))
			h.Write([]byte{'\n'})
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	acts := map[string]int{}
	for _, e := range g.Edges {
		name, _, _ := strings.Cut(e.Label, "(")
		acts[name]++
	}
	return Summary{
		States: len(g.States), Init: len(g.Init), Edges: len(g.Edges),
		StatesSHA256:  hash(len(g.States), func(i int) string { return g.States[i] }),
		InitSHA256:    hash(len(g.Init), func(i int) string { return strconv.Itoa(g.Init[i]) }),
		EdgesSHA256:   hash(len(g.Edges), func(i int) string { return g.Edges[i].String() }),
		ActionsByName: acts,
	}
}

// rawGraph is a graph with states named by arbitrary ids, before sorting.
type rawGraph struct {
	state map[string]string // id -> canonical state text
	init  []string          // ids
	edges [][3]string       // from id, label, to id
}

// canon sorts the states and renumbers the edges.
func (r rawGraph) canon() (CanonGraph, error) {
	var g CanonGraph
	for _, s := range r.state {
		g.States = append(g.States, s)
	}
	slices.Sort(g.States)
	g.States = slices.Compact(g.States)
	pos := make(map[string]int, len(g.States))
	for i, s := range g.States {
		pos[s] = i
	}
	idx := func(id string) (int, error) {
		s, ok := r.state[id]
		if !ok {
			return 0, fmt.Errorf("edge names state %s, which has no node", id)
		}
		return pos[s], nil
	}
	for _, id := range r.init {
		i, err := idx(id)
		if err != nil {
			return g, err
		}
		g.Init = append(g.Init, i)
	}
	slices.Sort(g.Init)
	g.Init = slices.Compact(g.Init)
	for _, e := range r.edges {
		from, err := idx(e[0])
		if err != nil {
			return g, err
		}
		to, err := idx(e[2])
		if err != nil {
			return g, err
		}
		g.Edges = append(g.Edges, CanonEdge{from, e[1], to})
	}
	sortEdges(g.Edges)
	g.Edges = slices.Compact(g.Edges)
	return g, nil
}

func sortEdges(es []CanonEdge) {
	sort.Slice(es, func(a, b int) bool {
		x, y := es[a], es[b]
		if x.From != y.From {
			return x.From < y.From
		}
		if x.Label != y.Label {
			return x.Label < y.Label
		}
		return x.To < y.To
	})
}

// FromSaga canonicalises the Go model's graph: states in CanonState's form,
// labels in TLC's form (saga.Label.TLC).
func FromSaga(g *saga.Graph) (CanonGraph, error) {
	p := newCanonPrinter(g.Config)
	texts := make([]string, len(g.States))
	for i, s := range g.States {
		texts[i] = p.state(s)
	}
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return texts[order[a]] < texts[order[b]] })
	var cg CanonGraph
	rank := make([]int, len(texts)) // graph index -> index in cg.States
	for _, i := range order {
		if n := len(cg.States); n == 0 || cg.States[n-1] != texts[i] {
			cg.States = append(cg.States, texts[i])
		}
		rank[i] = len(cg.States) - 1
	}
	for _, i := range g.Init {
		cg.Init = append(cg.Init, rank[i])
	}
	slices.Sort(cg.Init)
	cg.Init = slices.Compact(cg.Init)
	cg.Edges = make([]CanonEdge, 0, len(g.Edges))
	for _, e := range g.Edges {
		cg.Edges = append(cg.Edges, CanonEdge{rank[e.From], e.Label.TLC(), rank[e.To]})
	}
	sortEdges(cg.Edges)
	cg.Edges = slices.Compact(cg.Edges)
	return cg, nil
}
