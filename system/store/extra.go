package store

import "github.com/jepsen-lite/jepsen-lite/trace"

// Snapshot is a serialized aggregate state at a stream version. Rebuilding an
// aggregate is: the latest snapshot, then the events after its version.
type Snapshot struct {
	Version int
	State   []byte
}

// SaveSnapshot stores a snapshot unless a newer one exists.
func (s *Store) SaveSnapshot(stream string, snap Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.snapshots[stream]; ok && old.Version >= snap.Version {
		return
	}
	s.snapshots[stream] = snap
}

// LoadSnapshot returns the latest snapshot of a stream, if any.
func (s *Store) LoadSnapshot(stream string) (Snapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap, ok := s.snapshots[stream]
	return snap, ok
}

// Projected is one row of the read model: an order's status as of a version
// of its stream.
type Projected struct {
	Status  string
	Version int
}

// Project writes a read-model row atomically with the projector's dedup
// record for ref. It returns ErrDuplicate when ref was handled already and
// skipDedup is false.
func (s *Store) Project(consumer string, ref *trace.Ref, order string, row Projected, skipDedup bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.markHandledChecked(consumer, ref, skipDedup); err != nil {
		return err
	}
	s.proj[order] = row
	return nil
}

// Projection returns the read-model row of an order.
func (s *Store) Projection(order string) (Projected, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.proj[order]
	return p, ok
}

// DeadLetter is an event a consumer gave up on, with the last error.
type DeadLetter struct {
	Consumer string
	Ref      trace.Ref
	Error    string
	Attempts int
}

// AddDeadLetter records a dead letter (the dead-letter queue is durable).
func (s *Store) AddDeadLetter(d DeadLetter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dlq = append(s.dlq, d)
}

// DeadLetters returns the dead-letter queue.
func (s *Store) DeadLetters() []DeadLetter {
	s.mu.Lock()
	v := append([]DeadLetter(nil), s.dlq...)
	s.mu.Unlock()
	return v
}
