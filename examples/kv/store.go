package kv

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/jepsen-lite/jepsen-lite/clock"
)

// Bug names (the --bug values of cmd/kv-jepsen).
const (
	BugStaleRead = "stale-read"
	BugLostWrite = "lost-write"
)

// Bugs lists every bug switch.
var Bugs = []string{BugStaleRead, BugLostWrite}

// Errors a node answers with. Each means the operation certainly did not
// take effect.
var (
	ErrDown        = errors.New("node is down")
	ErrUnreachable = errors.New("primary unreachable")
	ErrCASMismatch = errors.New("cas: value differs")
	ErrNoNode      = errors.New("no such node")
)

// Timing of the store, on the run's clock.
const (
	replicateMax = 30 * time.Millisecond // a replica receives a write within this after the primary applied it
	heartbeat    = 25 * time.Millisecond // the primary resends its log to lagging replicas this often
	persistDelay = 15 * time.Millisecond // lost-write: a write becomes durable this long after its ack
)

// entry is one write in the primary's log.
type entry struct {
	key string
	val int
}

// node is one server. Node 0 is the primary.
type node struct {
	name        string
	data        map[string]int
	applied     int  // log entries applied (replicas)
	down        bool // crashed
	partitioned bool // cut off from its peers (clients still reach it)
}

// Store is the replicated key-value store: node 0 is the primary, which
// orders every write in its log and ships the log to the replicas after a
// random delay. Its methods are safe for concurrent use; its timers run on
// the clock given to Start.
type Store struct {
	bug string

	mu      sync.Mutex
	nodes   []*node
	log     []entry // the primary's log
	durable int     // log entries on the primary's disk (lost-write)
	clock   clock.Scheduler
	rng     *rand.Rand
	stopped bool
}

// NewStore returns a store of n nodes named n1..nN, n1 the primary, with
// the named bug ("" for none).
func NewStore(n int, bug string) (*Store, error) {
	if n < 1 {
		return nil, fmt.Errorf("kv: %d nodes: want at least 1", n)
	}
	if bug != "" && !slices.Contains(Bugs, bug) {
		return nil, fmt.Errorf("kv: bug %q: want one of %v", bug, Bugs)
	}
	s := &Store{bug: bug}
	for i := range n {
		s.nodes = append(s.nodes, &node{name: fmt.Sprintf("n%d", i+1), data: map[string]int{}})
	}
	return s, nil
}

// Names returns the node names, the primary first.
func (s *Store) Names() []string {
	out := make([]string, len(s.nodes))
	for i, n := range s.nodes {
		out[i] = n.name
	}
	return out
}

// Start empties the store and starts its timers on c, drawing delays from
// rng. A store is started once per run.
func (s *Store) Start(c clock.Scheduler, rng *rand.Rand) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock, s.rng, s.stopped, s.log, s.durable = c, rng, false, nil, 0
	for _, n := range s.nodes {
		n.data, n.applied, n.down, n.partitioned = map[string]int{}, 0, false, false
	}
	s.clock.After(heartbeat, s.tick)
}

// Stop ends the store's timers.
func (s *Store) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
}

// tick resends the log to every replica that is behind: a replica that
// was partitioned or down catches up after it heals.
func (s *Store) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	for _, r := range s.nodes[1:] {
		if r.applied < len(s.log) {
			s.ship(r, len(s.log))
		}
	}
	s.clock.After(heartbeat, s.tick)
}

// ship delivers the log up to upto to replica r after a random delay,
// unless the primary or r is cut off or down at either end.
func (s *Store) ship(r *node, upto int) {
	p := s.nodes[0]
	if p.down || p.partitioned {
		return
	}
	s.clock.After(time.Duration(s.rng.Int64N(int64(replicateMax)+1)), func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		upto := min(upto, len(s.log)) // a crash may have cut the log (lost-write)
		if r.down || r.partitioned || r.applied >= upto {
			return
		}
		for _, e := range s.log[r.applied:upto] {
			r.data[e.key] = e.val
		}
		r.applied = upto
	})
}
