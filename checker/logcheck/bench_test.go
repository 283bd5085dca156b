package logcheck

import (
	"runtime"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// BenchmarkCheck judges a generated correct log history of one million
// history events (seeded, so the numbers compare across commits): the full
// cost of Check, validation and analysis included. events/s counts history
// lines (invokes and completions).
//
//	go test ./checker/logcheck/ -run '^$' -bench BenchmarkCheck -benchtime=1x
func BenchmarkCheck(b *testing.B) {
	start := time.Now()
	h := genLog(genConfig{seed: 1, events: 1_000_000, keys: 32, procs: 16})
	b.Logf("generated %d events in %v", len(h.Ops), time.Since(start))
	runtime.GC() // the generator's garbage is not the checker's cost
	b.ResetTimer()
	for b.Loop() {
		r, err := Check(h, Options{Mode: ModeAssign, FinalPolls: true})
		if err != nil || r.Valid != verdict.Valid {
			b.Fatalf("%v %v: %q %v", err, r.Valid, r.Note, r.Anomalies)
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(h.Ops))/sec, "events/s")
}
