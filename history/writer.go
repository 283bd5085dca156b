package history

import (
	"fmt"
	"time"

	"github.com/jepsen-lite/jepsen-lite/internal/jsonl"
)

// Writer appends ops to a history file as the run goes, assigning indices.
type Writer struct {
	w    *jsonl.Writer
	next int
}

// Create opens path for a new history; the file is synced at least every
// syncEvery (0 = after every line).
func Create(path string, syncEvery time.Duration) (*Writer, error) {
	w, err := jsonl.Create(path)
	if err != nil {
		return nil, err
	}
	w.SyncEvery = syncEvery
	return &Writer{w: w}, nil
}

// Append assigns op the next index, writes it as one line and returns the index.
func (w *Writer) Append(op Op) (int, error) {
	op.Index = w.next
	if err := w.w.Append(&op); err != nil {
		return 0, fmt.Errorf("history: write op %d: %w", op.Index, err)
	}
	w.next++
	return op.Index, nil
}

// Close syncs and closes the file.
func (w *Writer) Close() error { return w.w.Close() }
