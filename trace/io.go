package trace

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jepsen-lite/jepsen-lite/internal/jsonl"
)

// Writer appends trace events, assigning sequence numbers.
type Writer struct {
	w    *jsonl.Writer
	next int64
}

// Create opens path for a new trace, synced at least every syncEvery.
func Create(path string, syncEvery time.Duration) (*Writer, error) {
	w, err := jsonl.Create(path)
	if err != nil {
		return nil, err
	}
	w.SyncEvery = syncEvery
	return &Writer{w: w}, nil
}

// Append writes e with the next sequence number.
func (w *Writer) Append(e Event) error {
	e.Seq = w.next
	w.next++
	return w.w.Append(&e)
}

// AppendStamped writes e keeping the sequence number it already has.
func (w *Writer) AppendStamped(e Event) error {
	w.next = e.Seq + 1
	return w.w.Append(&e)
}

// Close syncs and closes the file.
func (w *Writer) Close() error { return w.w.Close() }

// ReadFile parses a trace file. A partial last line (a killed run) is skipped
// and reported by truncated.
func ReadFile(path string) (events []Event, truncated bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses a trace from r; name is used in error messages.
func Read(r io.Reader, name string) (events []Event, truncated bool, err error) {
	err = jsonl.Scan(r, func(line int, b []byte, complete bool) error {
		var e Event
		if derr := jsonl.Decode(b, &e); derr != nil {
			if !complete {
				truncated = true
				return nil
			}
			return fmt.Errorf("%s:%d: %v", name, line, derr)
		}
		if e.Kind == "" {
			return fmt.Errorf("%s:%d: missing \"kind\"", name, line)
		}
		events = append(events, e)
		return nil
	})
	return events, truncated, err
}
