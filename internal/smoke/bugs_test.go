package smoke

import (
	"fmt"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func TestBugs(t *testing.T) {
	for _, bug := range vocab.Bugs {
		o := harness.DefaultOptions()
		o.Seed = 7
		o.Nemesis = vocab.Faults
		o.Bug = bug
		r, err := harness.RunSim(o)
		if err != nil {
			t.Fatal(err)
		}
		rep := checker.Run(&checker.Input{Ops: r.Ops, Trace: r.Trace}, checker.Properties())
		fmt.Println(bug, rep.Valid, rep.AnomalyTypes())
	}
}
