package saga

import "slices"

// This file is the store append (atomic) with its publish (the outbox folded
// in), and the copy-on-write helpers that keep a State a value.

// NewEvents is TLA+ NewEvents(s, emits, cause): the events an append of
// emits to stream by cause would create.
func (s State) NewEvents(stream string, emits []Emit, cause int) []Event {
	evs := make([]Event, len(emits))
	ver := s.Ver(stream)
	for i, m := range emits {
		evs[i] = Event{ID: len(s.Log) + i + 1, Agg: stream, Ver: ver + i + 1, Type: m.Type,
			Order: m.Order, N: m.N, Cause: cause, Batch: len(s.Log) + 1}
	}
	return evs
}

// appendPublish appends evs to the log and publishes them (TLA+ "log' = log
// \o evs /\ bus' = Publish(bus, evs)") on the copy s.
func (s *State) appendPublish(evs []Event) {
	if len(evs) == 0 {
		return
	}
	s.Log = slices.Concat(s.Log, evs)
	for c := range NumConsumers {
		for _, e := range evs {
			if reacts[c][e.Type] {
				s.Bus[c] = s.Bus[c].With(e.ID)
			}
		}
	}
}

// drop is TLA+ Drop(bus, c, id) on the copy s.
func (s *State) drop(c, id int) { s.Bus[c] = s.Bus[c].Without(id) }

// setAt returns a copy of xs with xs[i] = v.
func setAt[T any](xs []T, i int, v T) []T {
	out := slices.Clone(xs)
	out[i] = v
	return out
}
