package harness

import "github.com/jepsen-lite/jepsen-lite/trace"

// traceChunk is the number of trace events of one chunk of a traceBuf.
const traceChunk = 4096

// traceBuf collects a run's trace events in chunks allocated as the run
// goes. One slice reserved for the whole run up front would cost the
// garbage collector a scan of all of it, used or not, in every cycle:
// measured over Kafka, that was a tenth of the run's CPU.
type traceBuf struct {
	chunks [][]trace.Event
	n      int
}

func (b *traceBuf) add(e trace.Event) {
	if len(b.chunks) == 0 || len(b.chunks[len(b.chunks)-1]) == traceChunk {
		b.chunks = append(b.chunks, make([]trace.Event, 0, traceChunk))
	}
	last := &b.chunks[len(b.chunks)-1]
	*last = append(*last, e)
	b.n++
}

// events returns every event added, in order, in one slice.
func (b *traceBuf) events() []trace.Event {
	out := make([]trace.Event, 0, b.n)
	for _, c := range b.chunks {
		out = append(out, c...)
	}
	return out
}
