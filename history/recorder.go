package history

import "sync"

// Recorder appends ops to a history file (when one is open) and keeps them
// in memory for the checkers. It is safe for concurrent use, so real-time
// drivers can record from several goroutines.
type Recorder struct {
	mu  sync.Mutex
	w   *Writer
	ops []Op
	err error
}

// NewRecorder records into w; w may be nil (memory only).
func NewRecorder(w *Writer) *Recorder { return &Recorder{w: w} }

// Record assigns op the next index, writes it and returns the index. The
// first write error is kept (see Err) and recording continues in memory, so
// nothing already recorded is lost.
func (r *Recorder) Record(op Op) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	op.Index = len(r.ops)
	if r.w != nil && r.err == nil {
		if _, err := r.w.Append(op); err != nil {
			r.err = err
		}
	}
	r.ops = append(r.ops, op)
	return op.Index
}

// Ops returns the ops recorded so far.
func (r *Recorder) Ops() []Op {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ops
}

// Err returns the first write error.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}
