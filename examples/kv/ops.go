package kv

import "time"

// This file is what a client can ask of a node, and what the nemesis can
// do to one.

// at returns the named node, the store locked.
func (s *Store) at(name string) (*node, error) {
	for _, n := range s.nodes {
		if n.name == name {
			if n.down {
				return nil, ErrDown
			}
			return n, nil
		}
	}
	return nil, ErrNoNode
}

// primaryVia returns the primary as seen from node n: n itself, or the
// primary if n can reach it.
func (s *Store) primaryVia(n *node) (*node, error) {
	p := s.nodes[0]
	if n == p {
		return p, nil
	}
	if n.partitioned || p.partitioned || p.down {
		return nil, ErrUnreachable
	}
	return p, nil
}

// Read returns the value of key as node via serves it (ok false when the
// key is absent). A replica forwards the read to the primary, unless it
// has applied the primary's whole log; with the stale-read bug it answers
// from its own copy whatever it has applied.
func (s *Store) Read(via, key string) (val int, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.at(via)
	if err != nil {
		return 0, false, err
	}
	if s.bug == BugStaleRead {
		val, ok = n.data[key]
		return val, ok, nil
	}
	p, err := s.primaryVia(n)
	if err != nil {
		return 0, false, err
	}
	if n.applied >= len(s.log) {
		p = n // caught up: its copy is the primary's
	}
	val, ok = p.data[key]
	return val, ok, nil
}

// Write sets key to val through node via (a replica forwards it to the
// primary), and replicates it.
func (s *Store) Write(via, key string, val int) error {
	return s.update(via, key, func(int, bool) (int, error) { return val, nil })
}

// CAS sets key to to if it holds from, through node via.
func (s *Store) CAS(via, key string, from, to int) error {
	return s.update(via, key, func(cur int, ok bool) (int, error) {
		if !ok || cur != from {
			return 0, ErrCASMismatch
		}
		return to, nil
	})
}

// update applies f to key at the primary, appends the write to the log
// and ships it to the replicas. The write is durable when acknowledged,
// except with the lost-write bug.
func (s *Store) update(via, key string, f func(cur int, ok bool) (int, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.at(via)
	if err != nil {
		return err
	}
	p, err := s.primaryVia(n)
	if err != nil {
		return err
	}
	cur, ok := p.data[key]
	val, err := f(cur, ok)
	if err != nil {
		return err
	}
	p.data[key] = val
	s.log = append(s.log, entry{key, val})
	if s.bug == BugLostWrite {
		upto := len(s.log)
		s.clock.After(persistDelay, func() { s.persist(upto) })
	} else {
		s.durable = len(s.log)
	}
	for _, r := range s.nodes[1:] {
		s.ship(r, len(s.log))
	}
	return nil
}

// persist marks the log durable up to upto (lost-write's late fsync).
func (s *Store) persist(upto int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.nodes[0].down && upto <= len(s.log) {
		s.durable = max(s.durable, upto)
	}
}

// Crash stops node name: it answers nothing until Restart. The primary
// loses what was not durable.
func (s *Store) Crash(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.at(name)
	if err != nil {
		return err
	}
	n.down = true
	return nil
}

// Restart brings node name back. The primary recovers its durable log.
func (s *Store) Restart(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, n := range s.nodes {
		if n.name != name || !n.down {
			continue
		}
		n.down = false
		if i == 0 {
			s.recover()
		}
		return nil
	}
	return ErrNoNode
}

// recover rebuilds the primary's state from its durable log.
func (s *Store) recover() {
	s.log = s.log[:s.durable]
	p := s.nodes[0]
	p.data = map[string]int{}
	for _, e := range s.log {
		p.data[e.key] = e.val
	}
}

// Partition cuts node name off its peers (clients still reach it); Heal
// reconnects it.
func (s *Store) Partition(name string) error { return s.setPartitioned(name, true) }

// Heal reconnects node name to its peers.
func (s *Store) Heal(name string) error { return s.setPartitioned(name, false) }

func (s *Store) setPartitioned(name string, cut bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.nodes {
		if n.name == name {
			n.partitioned = cut
			return nil
		}
	}
	return ErrNoNode
}

// settle is how long after healing every replica has caught up: a
// heartbeat and a delivery.
const settle = heartbeat + replicateMax + time.Millisecond
