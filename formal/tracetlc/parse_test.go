package tracetlc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
)

// batchOf returns projections with the given numbers of steps; step i of
// each has trace index 100+i.
func batchOf(steps ...int) []*tracemodel.Projection {
	var ps []*tracemodel.Projection
	for k, n := range steps {
		p := &tracemodel.Projection{Order: fmt.Sprintf("o-%d", k+1)}
		for i := range n {
			p.Steps = append(p.Steps, tracemodel.Obs{Kind: tracemodel.ObsHandle, Index: 100 + i})
		}
		ps = append(ps, p)
	}
	return ps
}

// TLC's output turns into per-order verdicts without TLC: a segment is
// accepted when its position is past its last step, rejected at the
// position's step otherwise.
func TestParseVerdicts(t *testing.T) {
	out := "Computing initial states...\n<<\"reached\", 2, 3>>\n<<\"reached\", 1, 4>>\n<<\"reached\", 3, 1>>\n" +
		"120 states generated, 97 distinct states found, 0 states left on queue.\n"
	r, err := parse(out, batchOf(3, 5, 2))
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{{Order: "o-1", Verdict: Accepted}, {Order: "o-2", Verdict: Rejected, Step: 2, Index: 102},
		{Order: "o-3", Verdict: Rejected, Step: 0, Index: 100}}
	for i, w := range want {
		if r.Results[i] != w {
			t.Fatalf("segment %d: %+v, want %+v", i+1, r.Results[i], w)
		}
	}
	if r.States != 97 {
		t.Fatalf("states %d, want 97", r.States)
	}
}

// Output that does not give every segment one position in range is an
// error, never a verdict.
func TestParseRejectsIncompleteOutput(t *testing.T) {
	for name, out := range map[string]string{
		"missing":      "<<\"reached\", 1, 4>>\n",
		"duplicate":    "<<\"reached\", 1, 4>>\n<<\"reached\", 1, 4>>\n<<\"reached\", 2, 1>>\n",
		"past the end": "<<\"reached\", 1, 5>>\n<<\"reached\", 2, 1>>\n",
		"no segment":   "<<\"reached\", 3, 1>>\n<<\"reached\", 1, 1>>\n<<\"reached\", 2, 1>>\n",
		"zero":         "<<\"reached\", 1, 0>>\n<<\"reached\", 2, 1>>\n",
		"empty":        "",
	} {
		if r, err := parse(out, batchOf(3, 2)); err == nil {
			t.Errorf("%s: no error, got %+v", name, r)
		}
	}
}

// FuzzParse: any output gives either an error or one verdict per segment
// consistent with the segment's length; never a panic.
func FuzzParse(f *testing.F) {
	f.Add("<<\"reached\", 1, 4>>\n<<\"reached\", 2, 1>>\n")
	f.Add("<<\"reached\", 2, 3>>\n<<\"reached\", 1, 99999999999999999999>>\n")
	f.Add("1 distinct states found\n<<\"reached\", 0, 0>>")
	f.Fuzz(func(t *testing.T, out string) {
		ps := batchOf(3, 2)
		r, err := parse(out, ps)
		if err != nil {
			return
		}
		if len(r.Results) != len(ps) {
			t.Fatalf("%d results for %d segments", len(r.Results), len(ps))
		}
		for i, res := range r.Results {
			if res.Verdict == Rejected && (res.Step < 0 || res.Step >= len(ps[i].Steps)) {
				t.Fatalf("segment %d rejected at step %d of %d", i+1, res.Step, len(ps[i].Steps))
			}
			if !strings.Contains(out, fmt.Sprintf("<<\"reached\", %d, ", i+1)) {
				t.Fatalf("segment %d has a verdict without a position in the output", i+1)
			}
		}
	})
}
