package campaign

import (
	"sort"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/verdict"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// BenchmarkCampaignThroughput measures simulated, judged seeds per minute
// for 500-op seeds under every fault, two at a time (target >= 1000/min on
// 2 cores).
func BenchmarkCampaignThroughput(b *testing.B) {
	const seeds = 60
	start := time.Now()
	for i := 0; i < b.N; i++ {
		c := config(seeds, "")
		c.FirstSeed = uint64(i*seeds + 1)
		if _, err := Execute(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(seeds*b.N)/time.Since(start).Minutes(), "seeds/min")
}

// BenchmarkTimeToDetect measures, per bug, the wall time from a cold
// campaign start (stop at the first failure) until the bug is found; the
// median over several starting seeds is reported (target <= 10 s).
func BenchmarkTimeToDetect(b *testing.B) {
	for _, bug := range vocab.Bugs {
		b.Run(bug, func(b *testing.B) {
			var times []float64
			for i := 0; i < b.N; i++ {
				for start := uint64(1); start <= 5; start++ {
					c := config(100, bug)
					c.FirstSeed = start*1000 + uint64(i)
					c.StopOnFail = true
					t0 := time.Now()
					res, err := Execute(c)
					if err != nil {
						b.Fatal(err)
					}
					if res.Valid != verdict.Invalid {
						b.Fatalf("--bug %s not found in 100 seeds from %d", bug, c.FirstSeed)
					}
					times = append(times, time.Since(t0).Seconds())
				}
			}
			sort.Float64s(times)
			b.ReportMetric(times[len(times)/2], "median-s-to-detect")
			b.ReportMetric(times[len(times)-1], "max-s-to-detect")
		})
	}
}
