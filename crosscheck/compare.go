package crosscheck

import (
	"fmt"
	"sort"
)

// maxDiffs bounds the differences Diff reports per kind.
const maxDiffs = 5

// Diff describes how graph b (e.g. TLC's) differs from a (the Go model's):
// states, initial states and labelled edges present in one and not the
// other, at most maxDiffs of each kind, states shown as canonical text. No
// differences means the graphs are equal.
func Diff(a, b CanonGraph, aName, bName string) []string {
	var out []string
	only := func(x, y []string, xName, yName, what string) {
		in := make(map[string]bool, len(y))
		for _, s := range y {
			in[s] = true
		}
		n := 0
		for _, s := range x {
			if !in[s] {
				if n < maxDiffs {
					out = append(out, fmt.Sprintf("%s only in %s, not in %s: %s", what, xName, yName, s))
				}
				n++
			}
		}
		if n > maxDiffs {
			out = append(out, fmt.Sprintf("… %d more %ss only in %s", n-maxDiffs, what, xName))
		}
	}
	only(a.States, b.States, aName, bName, "state")
	only(b.States, a.States, bName, aName, "state")
	only(a.initTexts(), b.initTexts(), aName, bName, "initial state")
	only(b.initTexts(), a.initTexts(), bName, aName, "initial state")
	only(a.edgeTexts(), b.edgeTexts(), aName, bName, "edge")
	only(b.edgeTexts(), a.edgeTexts(), bName, aName, "edge")
	return out
}

func (g CanonGraph) initTexts() []string {
	out := make([]string, len(g.Init))
	for i, x := range g.Init {
		out[i] = g.States[x]
	}
	return out
}

// edgeTexts are the edges with their states as text (so that graphs with
// different state lists compare edge by edge), sorted.
func (g CanonGraph) edgeTexts() []string {
	out := make([]string, len(g.Edges))
	for i, e := range g.Edges {
		out[i] = g.States[e.From] + "  -- " + e.Label + " -->  " + g.States[e.To]
	}
	sort.Strings(out)
	return out
}

// DiffSummary compares a graph's summary with a recorded one (a golden),
// field by field; no differences means equal.
func DiffSummary(got, want Summary) []string {
	var out []string
	cmp := func(what string, g, w any) {
		if g != w {
			out = append(out, fmt.Sprintf("%s: %v, want %v", what, g, w))
		}
	}
	cmp("states", got.States, want.States)
	cmp("initial states", got.Init, want.Init)
	cmp("edges", got.Edges, want.Edges)
	names := map[string]bool{}
	for n := range got.ActionsByName {
		names[n] = true
	}
	for n := range want.ActionsByName {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		cmp(n+" edges", got.ActionsByName[n], want.ActionsByName[n])
	}
	cmp("sha256 of the state list", got.StatesSHA256, want.StatesSHA256)
	cmp("sha256 of the initial states", got.InitSHA256, want.InitSHA256)
	cmp("sha256 of the edge list", got.EdgesSHA256, want.EdgesSHA256)
	return out
}
