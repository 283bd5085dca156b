package harness

import (
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// BenchmarkSimulator measures the simulator on the default workload under
// every fault: simulated seconds per wall second and deliveries per second.
// Targets (issue 2): >= 1000x and >= 100k deliveries/s.
func BenchmarkSimulator(b *testing.B) {
	for _, bc := range []struct {
		name  string
		ops   int
		conc  int
		think time.Duration
	}{
		{"default-2000ops", 2000, 10, 0},
		{"conc2-2000ops", 2000, 2, 0},
		// Paced clients (an op every ~50 ms each, 200 ops/s in all): the
		// simulator skips idle virtual time, so this is mostly sim-time.
		{"paced-think100ms-2000ops", 2000, 10, 100 * time.Millisecond},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var virtual time.Duration
			var deliveries, steps int64
			start := time.Now()
			for i := 0; i < b.N; i++ {
				o := DefaultOptions()
				o.Seed, o.Nemesis = uint64(i+1), vocab.Faults
				o.Workload.Ops, o.Workload.Concurrency = bc.ops, bc.conc
				if bc.think > 0 {
					o.Workload.ThinkMax = bc.think
				}
				rec, err := RunSim(o)
				if err != nil {
					b.Fatal(err)
				}
				virtual += rec.Virtual
				steps += int64(rec.Steps)
				for _, e := range rec.Trace {
					if e.Kind == trace.KindDeliver {
						deliveries++
					}
				}
			}
			wall := time.Since(start).Seconds()
			b.ReportMetric(virtual.Seconds()/wall, "sim-s/wall-s")
			b.ReportMetric(float64(deliveries)/wall, "deliveries/s")
			b.ReportMetric(float64(steps)/wall, "events/s")
		})
	}
}
