package saga

import "testing"

// BenchmarkExplore measures the explorer's distinct states per second on
// spec/tla/correct.cfg's constants (crosscheck/ times TLC beside it).
func BenchmarkExplore(b *testing.B) {
	c := specConfig(BugNone)
	n := 0
	for b.Loop() {
		g, err := Explore(c, 0)
		if err != nil {
			b.Fatal(err)
		}
		n = len(g.States)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
}
