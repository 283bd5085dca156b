package crosscheck

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
)

// BenchmarkExploreVsTLC times, in one run, the Go explorer and TLC on
// spec/tla/correct.cfg: every reachable state, TypeOK checked on each (TLC:
// -workers 1, wall time with JVM start-up, as a user runs it). Metrics:
// go-states/s, tlc-states/s (0 without TLC) and go/tlc, the speed-up.
func BenchmarkExploreVsTLC(b *testing.B) {
	var correct formal.Config
	for _, c := range loadConfigs(b) {
		if c.Name == "correct" {
			correct = c
		}
	}
	sc, err := SagaConfig(correct)
	if err != nil {
		b.Fatal(err)
	}
	states := 0
	start := time.Now()
	for b.Loop() {
		g, err := saga.Explore(sc, maxStates)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range g.States {
			if !saga.TypeOK(sc, s) {
				b.Fatal("TypeOK violated")
			}
		}
		states = len(g.States)
	}
	goRate := float64(states) * float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(goRate, "go-states/s")
	tlc, err := formal.FindTLC()
	if err != nil {
		b.Logf("TLC part skipped: %v", err)
		b.ReportMetric(0, "tlc-states/s")
		return
	}
	ch := tlc.CheckProperty(context.Background(), filepath.Join(specDir, "tla", "OrderSaga.tla"), correct.Path, correct.Name, "TypeOK", false)
	if ch.Verdict != formal.Pass || ch.Seconds == 0 {
		b.Fatalf("TLC: %s %s", ch.Verdict, ch.Error)
	}
	if int(ch.Distinct) != states {
		b.Errorf("TLC found %d distinct states, the Go explorer %d", ch.Distinct, states)
	}
	tlcRate := float64(ch.Distinct) / ch.Seconds
	b.ReportMetric(tlcRate, "tlc-states/s")
	b.ReportMetric(goRate/tlcRate, "go/tlc")
	b.Logf("%d states: Go %.0f states/s, TLC %.0f states/s (%.1fs)", states, goRate, tlcRate, ch.Seconds)
}
