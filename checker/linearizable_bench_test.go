package checker

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkLinearizable measures, in one run, what partitioning by order
// buys: the partitioned check of a generated linearizable history of 1M
// events (500k ops on 10k orders, 50 processes), then porcupine on the same
// history unpartitioned (model.OrdersModel) with a 10 s budget and the
// default 1 GiB search memory bound, on growing prefixes (ops still pending
// at the cut count as info) and on the whole. Run it with
//
//	go test ./checker/ -run '^$' -bench BenchmarkLinearizable -benchtime=1x
//
// Metrics per case: <case>-s (seconds), <case>-events/s, <case>-verdict
// (0 valid, 1 unknown, 2 invalid: checker.Validity).
func BenchmarkLinearizable(b *testing.B) {
	const seed = 1
	cfg := linGenConfig{events: 1_000_000, orders: 10_000, procs: 50, window: 20}
	start := time.Now()
	ops := linGenHistory(rand.New(rand.NewPCG(seed, seed)), cfg)
	b.Logf("seed %d: generated %d events on %d orders by %d processes in %.2fs",
		seed, len(ops), cfg.orders, cfg.procs, time.Since(start).Seconds())
	const budget = 10 * time.Second
	cases := []struct {
		name        string
		events      int
		partitioned bool
	}{
		{"part-1M", len(ops), true},
		// Unpartitioned, the search interleaves ~40 ops in flight on
		// unrelated orders: it hits the wall within a hundred events.
		{"unpart-50", 50, false},
		{"unpart-70", 70, false},
		{"unpart-80", 80, false},
		{"unpart-90", 90, false},
		{"unpart-95", 95, false},
		{"unpart-1k", 1_000, false},
		{"unpart-5k", 5_000, false},
		{"unpart-1M", len(ops), false},
	}
	for b.Loop() {
		for _, cs := range cases {
			c := NewLinearizable()
			c.Partitioned = cs.partitioned
			c.Timeout = budget
			t0 := time.Now()
			res := c.Check(&Input{Ops: ops[:cs.events]})
			s := time.Since(t0).Seconds()
			b.ReportMetric(s, cs.name+"-s")
			b.ReportMetric(float64(cs.events)/s, cs.name+"-events/s")
			b.ReportMetric(float64(res.Valid), cs.name+"-verdict")
			b.Logf("%-10s %8d events %7.2fs %-7v %s", cs.name, cs.events, s, res.Valid, res.Note)
			if cs.partitioned && res.Valid != Valid {
				b.Fatalf("partitioned check of a linearizable history: %v", res.Valid)
			}
		}
	}
	b.ReportMetric(0, "ns/op") // the per-case metrics above are the result
}
