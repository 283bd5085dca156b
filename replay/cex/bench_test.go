package cex

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// BenchmarkReadTLC reads the longest expected counterexample
// (no-compensation, 11 steps) back into the model.
func BenchmarkReadTLC(b *testing.B) {
	c := goldenCheck(b, vocab.BugNoCompensation)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadTLC(c); err != nil {
			b.Fatal(err)
		}
	}
}
