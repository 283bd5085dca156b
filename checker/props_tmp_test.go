package checker

import (
	"runtime"
	"testing"
	"time"
)

func TestTmpPhases(t *testing.T) {
	gen := genRun(genConfig{seed: 1, events: 1_000_000, skus: 200, customers: 2000, procs: 16})
	runtime.GC()
	for iter := 0; iter < 3; iter++ {
		in := &Input{Ops: gen.Ops, Trace: gen.Trace}
		t0 := time.Now()
		ix := &index{ops: in.Ops, final: -1, calls: make([]call, 0, len(in.Ops)/2+1), orders: map[string]*orderIx{}, skus: map[string]*accountIx{}, custs: map[string]*accountIx{}}
		ix.scanHistory(in.Ops)
		t1 := time.Now()
		ix.resolveOrders()
		t2 := time.Now()
		ix.tr = buildTraceIndex(in.Trace)
		t3 := time.Now()
		t.Logf("hist %v resolve %v trace %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2))
		in2 := &Input{Ops: gen.Ops, Trace: gen.Trace}
		indexOf(in2)
		for _, c := range Properties() {
			s := time.Now()
			c.Check(in2)
			t.Logf("  %s %v", c.Name(), time.Since(s))
		}
	}
}
