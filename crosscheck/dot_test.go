package crosscheck

import (
	"strings"
	"testing"
)

// A dump as TLC writes it (-dump dot,actionlabels), two variables.
const sampleDot = `strict digraph DiskGraph {
node [shape=box,style=rounded]
nodesep=0.35;
subgraph cluster_graph {
color="white";
11 [label="/\\ x = 0\n/\\ s = [ a |-> {},\n  b |-> {1} ]",style = filled]
-22 [label="/\\ x = 1\n/\\ s = [ a |-> {},\n  b |-> {1} ]"];
11 -> -22 [label="Inc(\"a\")",color="black",fontcolor="black"];
11 -> -22 [label="Inc(\"a\")",color="black",fontcolor="black"];
-22 -> -22 [label="Done",color="black",fontcolor="black"];
{rank = same; 11;}
{rank = same; -22;}
}
}
`

func TestParseTLCDot(t *testing.T) {
	g, err := ParseTLCDot(strings.NewReader(sampleDot))
	if err != nil {
		t.Fatal(err)
	}
	wantStates := []string{
		`/\ s = ("a" :> {} @@ "b" :> {1}) /\ x = 0`,
		`/\ s = ("a" :> {} @@ "b" :> {1}) /\ x = 1`,
	}
	if strings.Join(g.States, "\n") != strings.Join(wantStates, "\n") {
		t.Errorf("states:\n%s", strings.Join(g.States, "\n"))
	}
	if len(g.Init) != 1 || g.Init[0] != 0 {
		t.Errorf("init %v", g.Init)
	}
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, e.String())
	}
	if got := strings.Join(edges, "; "); got != `0 Inc("a") 1; 1 Done 1` {
		t.Errorf("edges %s", got)
	}
	if d := Diff(g, g, "a", "b"); len(d) != 0 {
		t.Errorf("a graph differs from itself: %v", d)
	}
	h, _ := ParseTLCDot(strings.NewReader(strings.Replace(sampleDot, `label="Done"`, `label="Stop"`, 1)))
	if d := Diff(g, h, "a", "b"); len(d) != 2 {
		t.Errorf("a relabelled edge: %v", d)
	}
}

func TestParseTLCDotErrors(t *testing.T) {
	for _, bad := range []string{
		"",
		"1 [label=\"/\\\\ x = \"];\n",
		"1 [label=\"/\\\\ x = 1\"];\n1 -> 2 [label=\"A\"];\n",
		"1 [label=\"/\\\\ x = 1\n",
		"1 -> x [label=\"A\"];\n",
	} {
		if _, err := ParseTLCDot(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseTLCDot(%q) accepted", bad)
		} else if !strings.Contains(err.Error(), "tlc dot:") {
			t.Errorf("error %q does not say where", err)
		}
	}
}

func FuzzParseTLCDot(f *testing.F) {
	f.Add(sampleDot)
	f.Add("1 [label=\"/\\\\ x = <<1, 2>>\",style = filled]\n1 -> 1 [label=\"A\"];\n")
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseTLCDot(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, e := range g.Edges {
			if e.From < 0 || e.From >= len(g.States) || e.To < 0 || e.To >= len(g.States) {
				t.Fatalf("edge %v out of range (%d states)", e, len(g.States))
			}
		}
	})
}
