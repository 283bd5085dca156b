package kv

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/sut"
)

// BenchmarkStepped measures a Stepped run of the store under every fault,
// judged for linearizability: client ops per wall second and simulated
// seconds per wall second.
func BenchmarkStepped(b *testing.B) {
	for _, bug := range []string{"", BugStaleRead} {
		name := bug
		if name == "" {
			name = "correct"
		}
		b.Run(name, func(b *testing.B) {
			var ops int
			var virtual time.Duration
			start := time.Now()
			for i := 0; i < b.N; i++ {
				test, err := NewTest(Options{Bug: bug})
				if err != nil {
					b.Fatal(err)
				}
				test.Seed, test.Ops, test.Log = uint64(i+1), 2000, io.Discard
				res, err := sut.Run(context.Background(), test)
				if err != nil {
					b.Fatal(err)
				}
				ops += res.Stats.Ops
				virtual += time.Duration(res.Stats.VirtualNS)
			}
			wall := time.Since(start).Seconds()
			b.ReportMetric(float64(ops)/wall, "ops/s")
			b.ReportMetric(virtual.Seconds()/wall, "sim-s/wall-s")
		})
	}
}
