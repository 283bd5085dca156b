package tracemodel_test

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
)

// BenchmarkValidate10k validates a simulator trace of about 10,000 events
// (every fault on) against the correct model; target <= 1 s per 10k events.
//
//	go test ./checker/tracemodel -run '^$' -bench Validate10k -benchtime 5x
func BenchmarkValidate10k(b *testing.B) {
	rec := simRun(b, 3, "", 300)
	tr := rec.Trace
	b.ResetTimer()
	var sum tracemodel.Summary
	for range b.N {
		sum = tracemodel.Run("", rec.Ops, tr, true)
	}
	b.StopTimer()
	if sum.Result != "accepted" {
		b.Fatalf("%s", sum.Note())
	}
	perEvent := b.Elapsed().Seconds() / float64(b.N) / float64(len(tr))
	b.ReportMetric(perEvent*10000, "s/10k-events")
	b.ReportMetric(float64(len(tr)), "events")
}
