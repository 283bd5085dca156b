package node

type topicPartition struct {
	topic     string
	partition int
}

// ackTracker finds the contiguous prefix of finished offsets of one
// partition: only that prefix may be committed, so a crash never skips an
// offset that was delivered but not finished.
type ackTracker struct {
	next      int64          // first offset not finished
	done      map[int64]bool // finished offsets >= next
	committed int64          // last next successfully committed
}

// finish marks an offset finished and reports whether next advanced.
func (a *ackTracker) finish(off int64) bool {
	if off < a.next {
		return false
	}
	a.done[off] = true
	moved := false
	for a.done[a.next] {
		delete(a.done, a.next)
		a.next++
		moved = true
	}
	return moved
}

// ack marks a delivery finished and commits the new prefix.
func (n *Node) ack(d Delivery) {
	tp := topicPartition{d.Topic, d.Partition}
	a := n.acks[tp]
	if a == nil {
		c := n.env.Committed(d.Topic, d.Partition)
		a = &ackTracker{next: c, committed: c, done: map[int64]bool{}}
		n.acks[tp] = a
	}
	a.finish(d.Offset)
	n.commit(tp, a)
}

// commit commits a tracker's prefix if it moved and reports success; a
// failed commit (the node cannot reach the bus) is retried with the next ack
// or by the relay.
func (n *Node) commit(tp topicPartition, a *ackTracker) bool {
	if n.cfg.Bugs.CommitBeforeProcess || a.next <= a.committed {
		return true
	}
	if err := n.env.Commit(tp.topic, tp.partition, a.next); err != nil {
		n.kickRelay(n.backoff(3))
		return false
	}
	a.committed = a.next
	return true
}

// retryCommits re-tries commits that failed; it reports whether all succeeded.
func (n *Node) retryCommits() bool {
	ok := true
	for _, tp := range sortedPartitions(n.acks) {
		ok = n.commit(tp, n.acks[tp]) && ok
	}
	return ok
}

func sortedPartitions(m map[topicPartition]*ackTracker) []topicPartition {
	out := make([]topicPartition, 0, len(m))
	for tp := range m {
		out = append(out, tp)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func less(a, b topicPartition) bool {
	if a.topic != b.topic {
		return a.topic < b.topic
	}
	return a.partition < b.partition
}
