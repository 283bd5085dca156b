package store

import "github.com/jepsen-lite/jepsen-lite/trace"

// The global log is the transactional outbox: an event is in the outbox the
// moment it is appended, in the same atomic step. Each owner's relay
// publishes its own events in order and persists how far it got; after a
// crash it resumes from that durable cursor, so events published but not yet
// recorded are published again (at-least-once).

// OutboxPending returns up to max events written by owner after its relay's
// index cursor (the number of owner events already relayed).
func (s *Store) OutboxPending(owner string, cursor, max int) []trace.Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := s.owners[owner]
	if cursor >= len(ps) {
		return nil
	}
	end := min(len(ps), cursor+max)
	out := make([]trace.Envelope, 0, end-cursor)
	for _, p := range ps[cursor:end] {
		out = append(out, s.log[p-1])
	}
	return out
}

// OutboxLen returns how many events owner has written.
func (s *Store) OutboxLen(owner string) int {
	s.mu.Lock()
	v := len(s.owners[owner])
	s.mu.Unlock()
	return v
}

// OutboxCursor returns owner's durable relay cursor.
func (s *Store) OutboxCursor(owner string) int {
	s.mu.Lock()
	v := s.outbox[owner]
	s.mu.Unlock()
	return v
}

// SetOutboxCursor persists owner's relay cursor; it never moves backwards.
func (s *Store) SetOutboxCursor(owner string, cursor int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cursor > s.outbox[owner] {
		s.outbox[owner] = cursor
	}
}
