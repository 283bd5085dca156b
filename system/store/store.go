package store

import (
	"errors"
	"fmt"
	"sync"

	"github.com/jepsen-lite/jepsen-lite/trace"
)

// ErrDuplicate is returned by an append whose handled event was already
// handled by the same consumer: the dedup record makes the effect exactly once.
var ErrDuplicate = errors.New("store: event already handled by this consumer")

// ConflictError is an append refused by optimistic concurrency.
type ConflictError struct {
	Stream           string
	Expected, Actual int
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("store: conflict on %s: expected version %d, stream is at %d", e.Stream, e.Expected, e.Actual)
}

// NewEvent is an event to append: the store assigns ID, version and position.
type NewEvent struct {
	Type          string
	SchemaVersion int
	CausationID   string
	CorrelationID string
	Data          []byte
}

// AppendRequest appends Events to Stream atomically with an optional dedup
// record (Consumer handled Handled).
type AppendRequest struct {
	Stream string
	// Expected is the stream version the events were decided on; the append
	// fails with a ConflictError unless the stream is still there. AnyVersion
	// skips the check (the no-occ bug).
	Expected int
	Events   []NewEvent
	// Consumer and Handled, when set, record that Consumer handled Handled
	// in the same atomic step; SkipDedup disables the duplicate check (the
	// no-dedup bug) but still records it.
	Consumer  string
	Handled   *trace.Ref
	SkipDedup bool
}

// AnyVersion as Expected disables optimistic concurrency for one append.
const AnyVersion = -1

// Store holds everything durable. The zero value is not usable; call New.
//
// Every exported method is atomic: mu guards all fields, because the
// real-time driver (transport/kafka) runs each service's node on its own
// goroutine over one shared store. The simulator calls from one goroutine,
// where the uncontended lock changes no result and costs nothing
// measurable (BenchmarkSimulator, before and after, within noise).
// Exported methods never call each other (that would self-deadlock); they
// share unexported helpers that expect mu held.
type Store struct {
	mu        sync.Mutex
	streams   map[string][]int64 // stream -> global positions of its events
	log       []trace.Envelope   // global log; position p is log[p-1]
	snapshots map[string]Snapshot
	handled   map[string]map[string]bool // consumer -> event ID -> handled
	applied   map[string]map[string]int  // consumer -> aggregate -> highest version handled
	outbox    map[string]int             // owner -> durable relay cursor (global position)
	owners    map[string][]int64         // owner -> global positions it wrote, in order
	proj      map[string]Projected       // order key -> projected status
	dlq       []DeadLetter
}

// New returns an empty store.
func New() *Store {
	return &Store{
		streams:   map[string][]int64{},
		snapshots: map[string]Snapshot{},
		handled:   map[string]map[string]bool{},
		applied:   map[string]map[string]int{},
		outbox:    map[string]int{},
		owners:    map[string][]int64{},
		proj:      map[string]Projected{},
	}
}

// Version returns the current version of a stream (0 = empty).
func (s *Store) Version(stream string) int {
	s.mu.Lock()
	v := len(s.streams[stream])
	s.mu.Unlock()
	return v
}

// Append appends events as one atomic step and returns their envelopes. The
// owner is the node whose outbox publishes them.
func (s *Store) Append(owner string, req AppendRequest) ([]trace.Envelope, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.Handled != nil && !req.SkipDedup && s.handled[req.Consumer][req.Handled.ID] {
		return nil, ErrDuplicate
	}
	actual := len(s.streams[req.Stream])
	if req.Expected != AnyVersion && req.Expected != actual {
		return nil, &ConflictError{req.Stream, req.Expected, actual}
	}
	out := make([]trace.Envelope, 0, len(req.Events))
	for i, ne := range req.Events {
		pos := int64(len(s.log) + 1)
		env := trace.Envelope{
			ID:            fmt.Sprintf("ev-%d", pos),
			Aggregate:     req.Stream,
			Version:       actual + i + 1,
			Position:      pos,
			Type:          ne.Type,
			SchemaVersion: ne.SchemaVersion,
			CorrelationID: ne.CorrelationID,
			CausationID:   ne.CausationID,
			Data:          ne.Data,
		}
		s.log = append(s.log, env)
		s.streams[req.Stream] = append(s.streams[req.Stream], pos)
		s.owners[owner] = append(s.owners[owner], pos)
		out = append(out, env)
	}
	if req.Handled != nil {
		s.markHandled(req.Consumer, req.Handled)
	}
	return out, nil
}

// MarkHandled records that consumer handled ref with no effect. It returns
// ErrDuplicate when it was already recorded and skipDedup is false.
func (s *Store) MarkHandled(consumer string, ref *trace.Ref, skipDedup bool) error {
	s.mu.Lock()
	v := s.markHandledChecked(consumer, ref, skipDedup)
	s.mu.Unlock()
	return v
}

// markHandledChecked is MarkHandled with mu held.
func (s *Store) markHandledChecked(consumer string, ref *trace.Ref, skipDedup bool) error {
	if !skipDedup && s.handled[consumer][ref.ID] {
		return ErrDuplicate
	}
	s.markHandled(consumer, ref)
	return nil
}

func (s *Store) markHandled(consumer string, ref *trace.Ref) {
	h := s.handled[consumer]
	if h == nil {
		h = map[string]bool{}
		s.handled[consumer] = h
		s.applied[consumer] = map[string]int{}
	}
	h[ref.ID] = true
	if ref.Version > s.applied[consumer][ref.Aggregate] {
		s.applied[consumer][ref.Aggregate] = ref.Version
	}
}

// Handled reports whether consumer has handled the event.
func (s *Store) Handled(consumer, eventID string) bool {
	s.mu.Lock()
	v := s.handled[consumer][eventID]
	s.mu.Unlock()
	return v
}

// Applied returns the highest version of aggregate that consumer handled.
func (s *Store) Applied(consumer, aggregate string) int {
	s.mu.Lock()
	v := s.applied[consumer][aggregate]
	s.mu.Unlock()
	return v
}

// Read returns the events of a stream from version from (1-based) on.
func (s *Store) Read(stream string, from int) []trace.Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := s.streams[stream]
	if from < 1 {
		from = 1
	}
	if from > len(ps) {
		return nil
	}
	out := make([]trace.Envelope, 0, len(ps)-from+1)
	for _, p := range ps[from-1:] {
		out = append(out, s.log[p-1])
	}
	return out
}

// ReadAll returns up to max events of the global log from position from on.
func (s *Store) ReadAll(from int64, max int) []trace.Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	if from < 1 {
		from = 1
	}
	if from > int64(len(s.log)) {
		return nil
	}
	end := min(int64(len(s.log)), from-1+int64(max))
	return append([]trace.Envelope(nil), s.log[from-1:end]...)
}

// Head returns the position of the last event in the global log.
func (s *Store) Head() int64 {
	s.mu.Lock()
	v := int64(len(s.log))
	s.mu.Unlock()
	return v
}
