package kafka

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/trace"
)

// An incarnation is its node's node.Env. Every method runs on the node
// goroutine, inside a step.

// ErrCrashed is returned to a node whose incarnation ended mid-call.
var ErrCrashed = errors.New("kafka: node crashed")

// Now is the time since the run started.
func (inc *incarnation) Now() time.Duration { return inc.m.c.loop.Now() }

// Rand is the node's seeded source.
func (inc *incarnation) Rand() *rand.Rand { return inc.rng }

// Trace records a trace event.
func (inc *incarnation) Trace(e trace.Event) { inc.m.c.trace(e) }

// After runs fn as a step after d, unless the incarnation ended meanwhile.
func (inc *incarnation) After(d time.Duration, fn func()) {
	inc.timers.Add(1)
	time.AfterFunc(d, func() { inc.complete(fn) })
}

// complete posts fn as a step for a timer or a request in flight that was
// counted in timers, and uncounts it once the step has run (or cannot):
// Quiet must not see a gap between the two.
func (inc *incarnation) complete(fn func()) {
	ok := inc.m.actor.Post(inc.ctx, func() {
		inc.m.step(inc, fn)
		inc.timers.Add(-1)
	})
	if !ok {
		inc.timers.Add(-1)
	}
}

// Committed is the group's committed offset of a partition, as this
// incarnation loaded it and has committed since.
func (inc *incarnation) Committed(topic string, partition int) int64 {
	off, ok := inc.committed[topicPart{topic, partition}]
	if !ok {
		panic(fmt.Sprintf("kafka: %s asked the offset of %s/%d before its offsets were loaded", inc.m.svc, topic, partition))
	}
	return off
}

// Commit commits the group's offset of a partition. Commits are coalesced:
// at most one OffsetCommit per CommitEvery, carrying the latest offset of
// every partition; the rest wait in pending, which a crash loses (the
// records are then delivered again).
func (inc *incarnation) Commit(topic string, partition int, next int64) error {
	if inc.m.partitioned.Load() > 0 {
		return ErrPartitioned
	}
	tp := topicPart{topic, partition}
	inc.committed[tp] = next
	inc.pending[tp] = next
	inc.unsent.Store(int64(len(inc.pending)))
	if since := time.Since(inc.lastFlush); since < inc.m.c.cfg.CommitEvery {
		inc.scheduleFlush(inc.m.c.cfg.CommitEvery - since)
		return nil
	}
	return inc.flush()
}

// scheduleFlush sends the pending commits after d, unless a flush is due already.
func (inc *incarnation) scheduleFlush(d time.Duration) {
	if inc.flushScheduled {
		return
	}
	inc.flushScheduled = true
	inc.After(d, func() {
		inc.flushScheduled = false
		if inc.flush() != nil {
			inc.scheduleFlush(inc.m.c.cfg.CommitEvery * 10) // the node's own retries also come
		}
	})
}

// flush sends the pending commits in one OffsetCommit to the group
// coordinator (a simple commit: generation -1, no member, as a consumer in
// assign mode does), off the node goroutine; the reply comes back as a
// step that traces each acknowledged commit. One OffsetCommit is in flight
// at a time: commits asked meanwhile wait in pending for the next one.
func (inc *incarnation) flush() error {
	m := inc.m
	if len(inc.pending) == 0 || inc.flushing {
		return nil
	}
	if m.partitioned.Load() > 0 {
		return ErrPartitioned
	}
	inc.lastFlush = time.Now()
	req := &kafkago.OffsetCommitRequest{GroupID: m.c.cfg.group(m.svc), GenerationID: -1,
		Topics: map[string][]kafkago.OffsetCommit{}}
	sent := make(map[topicPart]int64, len(inc.pending))
	for tp, off := range inc.pending {
		name := m.c.cfg.topic(tp.topic)
		req.Topics[name] = append(req.Topics[name], kafkago.OffsetCommit{Partition: tp.partition, Offset: off})
		sent[tp] = off
	}
	if m.c.cfg.CommitEvery <= 0 {
		// Commits not grouped are sent as CommitSync sends them: the node
		// waits for the brokers (commit-before-process commits on receipt,
		// before the handling, this way).
		if err := inc.offsetCommit(req); err != nil {
			return err
		}
		inc.acknowledged(sent)
		return nil
	}
	inc.flushing = true
	inc.timers.Add(1) // Quiet must see the commit in flight
	go func() {
		err := inc.offsetCommit(req)
		inc.complete(func() { inc.flushed(sent, err) })
	}()
	return nil
}

// offsetCommit sends one OffsetCommit and checks every partition's answer.
func (inc *incarnation) offsetCommit(req *kafkago.OffsetCommitRequest) error {
	m := inc.m
	ctx, cancel := context.WithTimeout(inc.ctx, m.c.cfg.PublishTimeout)
	defer cancel()
	resp, err := m.client.OffsetCommit(ctx, req)
	if err != nil {
		if inc.ctx.Err() != nil {
			return ErrCrashed
		}
		return err
	}
	for name, parts := range resp.Topics {
		for _, p := range parts {
			if p.Error != nil {
				return fmt.Errorf("kafka: commit %s/%d: %w", name, p.Partition, p.Error)
			}
		}
	}
	return nil
}

// flushed is a flush's reply, as a step: the acknowledged commits are
// recorded, a failed flush is retried later, and commits asked meanwhile
// are sent next.
func (inc *incarnation) flushed(sent map[topicPart]int64, err error) {
	m := inc.m
	inc.flushing = false
	if err != nil {
		inc.scheduleFlush(m.c.cfg.CommitEvery * 10) // the node's own retries also come
		return
	}
	inc.acknowledged(sent)
	if len(inc.pending) > 0 {
		inc.scheduleFlush(max(m.c.cfg.CommitEvery-time.Since(inc.lastFlush), 0))
	}
}

// acknowledged records commits the brokers acknowledged: they leave
// pending (unless a newer offset replaced them) and are traced.
func (inc *incarnation) acknowledged(sent map[topicPart]int64) {
	m := inc.m
	for _, tp := range sortedParts(sent) {
		if inc.pending[tp] == sent[tp] {
			delete(inc.pending, tp)
		}
		m.c.trace(trace.Event{Kind: trace.KindCommit, Node: m.svc, Topic: tp.topic, Partition: tp.partition, Offset: sent[tp]})
	}
	inc.unsent.Store(int64(len(inc.pending)))
	m.c.setDurable(m.svc, sent)
}

// sortedParts lists a map's partitions in (topic, partition) order, so
// that the trace does not depend on map iteration.
func sortedParts(m map[topicPart]int64) []topicPart {
	out := make([]topicPart, 0, len(m))
	for tp := range m {
		out = append(out, tp)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && lessPart(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func lessPart(a, b topicPart) bool {
	if a.topic != b.topic {
		return a.topic < b.topic
	}
	return a.partition < b.partition
}
