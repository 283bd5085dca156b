package checker

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkProperties runs every property checker on the history and trace
// of a generated correct run of one million history events (seeded, so the
// numbers compare across commits). The index is rebuilt every iteration: a
// fresh Input is made for each, so the cost measured is the full cost of
// judging a run. events/s counts history events; trace-events/s the trace.
//
//	go test ./checker/ -run '^$' -bench BenchmarkProperties -benchtime=1x
func BenchmarkProperties(b *testing.B) {
	start := time.Now()
	gen := genRun(genConfig{seed: 1, events: 1_000_000, skus: 200, customers: 2000, procs: 16})
	b.Logf("generated %d history events and %d trace events in %v", len(gen.Ops), len(gen.Trace), time.Since(start))
	checkers := Properties()
	runtime.GC() // the generator's garbage is not the checkers' cost
	b.ResetTimer()
	for b.Loop() {
		in := &Input{Ops: gen.Ops, Trace: gen.Trace}
		for _, c := range checkers {
			if r := c.Check(in); r.Valid != Valid {
				b.Fatalf("%s: %v: %s %v", c.Name(), r.Valid, r.Note, r.Anomalies)
			}
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(gen.Ops))/sec, "events/s")
	b.ReportMetric(float64(len(gen.Trace))/sec, "trace-events/s")
}
