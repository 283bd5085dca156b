package checker

import (
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// smallRun is a generated correct run small enough for every test run.
func smallRun(seed uint64) *Input {
	return genRun(genConfig{seed: seed, events: 20_000, skus: 5, customers: 8, procs: 4})
}

// TestPropertiesGeneratedRunValid: every property checker calls a generated
// correct run valid, and the run reached the states that make that mean
// something (STYLE.md "sometimes" marks): every terminal status, cancels
// that won and lost, reservations refused.
func TestPropertiesGeneratedRunValid(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		in := smallRun(seed)
		t.Logf("seed %d: %d history events, %d trace events", seed, len(in.Ops), len(in.Trace))
		for _, c := range Properties() {
			if r := c.Check(in); r.Valid != Valid {
				t.Errorf("seed %d: %s: %v (%s) %+v", seed, c.Name(), r.Valid, r.Note, r.Anomalies)
			}
		}
		reached := map[string]bool{}
		for _, o := range indexOf(in).orderList {
			reached[o.final] = true
		}
		for _, s := range []string{vocab.StatusCompleted, vocab.StatusRejected, vocab.StatusDeclined, vocab.StatusCancelled} {
			if !reached[s] {
				t.Errorf("seed %d: no order ended %s: the generator lost its reach", seed, s)
			}
		}
	}
}

// breakRun bends a generated run: it drops every 97th handle (lost events)
// and appends every 89th handled effect twice (duplicate effects).
func breakRun(in *Input) *Input {
	var out []trace.Event
	handles, effects := 0, 0
	for _, e := range in.Trace {
		switch {
		case e.Kind == trace.KindHandle:
			if handles++; handles%97 == 0 {
				continue
			}
		case e.Kind == trace.KindAppend && e.Handled != nil:
			if effects++; effects%89 == 0 {
				out = append(out, e)
			}
		}
		out = append(out, e)
	}
	return &Input{Ops: in.Ops, Trace: out}
}

// TestPropertiesShardsAgree: the verdicts, anomalies and notes do not
// depend on how many shards index the trace.
func TestPropertiesShardsAgree(t *testing.T) {
	broken := breakRun(smallRun(7))
	results := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		in := &Input{Ops: broken.Ops, Trace: broken.Trace}
		if got := len(indexOf(in).tr.shards); got != min(procs, shardsMax) {
			t.Fatalf("%d shards with GOMAXPROCS %d", got, procs)
		}
		b, err := json.Marshal(Run(in, Properties()))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	one := results(1)
	for _, n := range []string{vocab.AnomalyLostEvent, vocab.AnomalyDuplicateEffect} {
		if !strings.Contains(one, `"type":"`+n+`"`) {
			t.Errorf("the broken run shows no %s", n)
		}
	}
	for _, procs := range []int{2, 3, 8} {
		if got := results(procs); got != one {
			i := 0
			for i < min(len(got), len(one)) && got[i] == one[i] {
				i++
			}
			t.Errorf("GOMAXPROCS %d differs from 1 at byte %d:\n%.300s\n%.300s", procs, i, got[i:], one[i:])
		}
	}
}

// TestPropertiesAnomalyCap: a checker reports anomalyCap anomalies and
// counts the rest in one more.
func TestPropertiesAnomalyCap(t *testing.T) {
	in := breakRun(smallRun(3))
	r := NoLostEvent{}.Check(in)
	if r.Valid != Invalid || len(r.Anomalies) != anomalyCap+1 {
		t.Fatalf("%v with %d anomalies, want invalid with %d", r.Valid, len(r.Anomalies), anomalyCap+1)
	}
	if last := r.Anomalies[anomalyCap]; !strings.HasPrefix(last.Detail, "... and ") || last.Type != vocab.AnomalyLostEvent {
		t.Errorf("last anomaly %+v, want the count of the rest", last)
	}
}

// TestIndexCache: checkers of one Input share one index, also when they run
// concurrently (go test -race); an Input whose slices were replaced gets a
// fresh one.
func TestIndexCache(t *testing.T) {
	f := newFixture(nil)
	in := f.input()
	var wg sync.WaitGroup
	got := make([]*index, 8)
	for i := range got {
		wg.Go(func() {
			got[i] = indexOf(in)
			Properties()[i%len(Properties())].Check(in)
		})
	}
	wg.Wait()
	for _, ix := range got[1:] {
		if ix != got[0] {
			t.Fatal("one Input, several indexes")
		}
	}
	in.Ops = in.Ops[:f.final]
	if ix := indexOf(in); ix == got[0] || ix.final >= 0 {
		t.Error("a shortened history kept its stale index")
	}
	in.Trace = nil
	if ix := indexOf(in); ix.tr != nil {
		t.Error("a dropped trace kept its stale index")
	}
}

// TestPropertiesNames: the names are the results.json keys, fixed and distinct.
func TestPropertiesNames(t *testing.T) {
	want := []string{"exactly-once", "conservation", "terminal", "saga-termination", "no-lost-command",
		"no-lost-event", "causal-order", "projection", "dead-letters"}
	cs := Properties()
	if len(cs) != len(want) {
		t.Fatalf("%d checkers, want %d", len(cs), len(want))
	}
	for i, c := range cs {
		if c.Name() != want[i] {
			t.Errorf("checker %d is %q, want %q", i, c.Name(), want[i])
		}
	}
}

// TestPropertiesEmptyInput: an empty history has no final phase; nothing
// panics and nothing is called valid that needed one.
func TestPropertiesEmptyInput(t *testing.T) {
	for _, in := range []*Input{{}, {Trace: []trace.Event{}}} {
		for _, c := range Properties() {
			r := c.Check(in)
			if r.Valid == Invalid {
				t.Errorf("%s: invalid on an empty input: %+v", c.Name(), r)
			}
		}
	}
}

// TestSubsetSum checks the bit-set subset sum against enumeration.
func TestSubsetSum(t *testing.T) {
	xs := []int{3, 5, 64, 1, 130, 7, 7, 200}
	for target := -1; target <= 420; target++ {
		want := false
		for mask := 0; mask < 1<<len(xs); mask++ {
			sum := 0
			for i, x := range xs {
				if mask&(1<<i) != 0 {
					sum += x
				}
			}
			want = want || sum == target
		}
		if got, decided := subsetSum(xs, target); got != want || !decided {
			t.Errorf("subsetSum(%v, %d) = %v, %v; want %v, true", xs, target, got, decided, want)
		}
	}
	if _, decided := subsetSum([]int{subsetSumMax, 1}, 1); decided {
		t.Error("a total past subsetSumMax was decided")
	}
}
