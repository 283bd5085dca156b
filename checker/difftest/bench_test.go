package difftest

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// BenchmarkBuildAndJudge builds the no-occ TLC-like behaviour below (11
// model steps, a final phase) and runs every checker on it: the cost of
// one differential case.
func BenchmarkBuildAndJudge(b *testing.B) {
	L := func(n string, a ...string) saga.Label { return saga.Label{Name: n, Args: a} }
	bh := Behaviour{Bug: "no-occ", Orders: 1, Init: 0, Steps: []saga.Label{L("Place", "o-1"),
		L("Deliver", "inventory", "1"), L("OrdersDecide", "2"), L("CancelDecide", "o-1"), L("OrdersAppend"),
		L("CancelAppend", "o-1"), L("Deliver", "projector", "1"), L("Deliver", "projector", "3"),
		L("Deliver", "projector", "4"), L("Deliver", "inventory", "4"), L("Deliver", "payment", "4")}}
	if _, err := Build(bh, true); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		built, _ := Build(bh, true)
		Judge(built)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}
