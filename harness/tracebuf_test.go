package harness

import (
	"testing"

	"github.com/jepsen-lite/jepsen-lite/trace"
)

func TestTraceBufKeepsOrderAcrossChunks(t *testing.T) {
	var b traceBuf
	if got := b.events(); len(got) != 0 {
		t.Fatalf("empty buffer: %d events", len(got))
	}
	const n = 2*traceChunk + 3
	for i := range n {
		b.add(trace.Event{Seq: int64(i)})
	}
	got := b.events()
	if len(got) != n || len(b.chunks) != 3 {
		t.Fatalf("%d events in %d chunks, want %d in 3", len(got), len(b.chunks), n)
	}
	for i, e := range got {
		if e.Seq != int64(i) {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
	}
}
