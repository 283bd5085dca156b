package tracetlc

import (
	"context"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
)

// BenchmarkTLCTrace1k validates a simulator trace of about 1,000 events
// (seed 1, every fault on, 15 ops: 1,071 events, 11 orders) with TLC, all
// orders in one TLC run (JVM start included), and with the Go model on the
// same trace for comparison; target <= 10 s per 1k events for TLC. Skips
// without TLC.
//
//	TLA2TOOLS_JAR=/opt/tla/tla2tools.jar go test ./formal/tracetlc -run '^$' -bench TLCTrace -benchtime 3x
func BenchmarkTLCTrace1k(b *testing.B) { benchTLCTrace(b, 1, 15) }

// BenchmarkTLCTrace10k is the same on about 10,000 events (seed 3, 350
// ops: 10,585 events): the JVM start is paid once per trace.
func BenchmarkTLCTrace10k(b *testing.B) { benchTLCTrace(b, 3, 350) }

func benchTLCTrace(b *testing.B, seed uint64, ops int) {
	tlc := findTLC(b)
	projs, rec := simProjections(b, seed, "", ops)
	events := float64(len(rec.Trace))
	var batch []*tracemodel.Projection
	for _, p := range projs {
		if p.Err == "" {
			batch = append(batch, p)
		}
	}
	b.ResetTimer()
	var r Run
	for range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		var err error
		r, err = ValidateAll(ctx, tlc, "../../spec", "", batch)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	tlcSec := b.Elapsed().Seconds() / float64(b.N)
	for i, res := range r.Results {
		if res.Verdict != Accepted {
			b.Fatalf("order %s of a correct run: TLC %s at step %d", batch[i].Order, res.Verdict, res.Step)
		}
	}
	// The Go model on the same trace (projection included), timed over
	// enough repetitions to be measurable.
	reps, start := 0, time.Now()
	for time.Since(start) < 200*time.Millisecond || reps < 3 {
		if sum := tracemodel.Run("", rec.Ops, rec.Trace, true); sum.Result != "accepted" {
			b.Fatalf("Go model: %s", sum.Note())
		}
		reps++
	}
	goSec := time.Since(start).Seconds() / float64(reps)
	b.ReportMetric(tlcSec*1000/events, "tlc-s/1k-events")
	b.ReportMetric(events/tlcSec, "tlc-events/s")
	b.ReportMetric(goSec*1000/events, "go-s/1k-events")
	b.ReportMetric(events/goSec, "go-events/s")
	b.ReportMetric(events, "events")
	b.ReportMetric(float64(len(batch)), "orders")
	b.ReportMetric(float64(r.States), "tlc-states")
}
