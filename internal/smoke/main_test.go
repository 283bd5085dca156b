package smoke

import (
	"fmt"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func TestSmoke(t *testing.T) {
	for _, nem := range [][]string{nil, vocab.Faults} {
		o := harness.DefaultOptions()
		o.Seed = 7
		o.Nemesis = nem
		t0 := time.Now()
		r, err := harness.RunSim(o)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, op := range r.Ops {
			counts[op.F+"/"+op.Type]++
		}
		kinds := map[string]int{}
		for _, e := range r.Trace {
			kinds[e.Kind+"/"+e.Outcome]++
		}
		fmt.Println("wall", time.Since(t0), "virtual", r.Virtual, "steps", r.Steps, "records", r.Records, "ops", len(r.Ops))
		fmt.Println(counts)
		fmt.Println(kinds)
		rep := checker.Run(&checker.Input{Ops: r.Ops, Trace: r.Trace}, checker.Properties())
		for n, res := range rep.Checkers {
			fmt.Println(n, res.Valid, len(res.Anomalies), res.Note)
			for i, a := range res.Anomalies {
				if i < 3 {
					fmt.Println("   ", a)
				}
			}
		}
	}
}
