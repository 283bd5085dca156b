package sim

import (
	"container/heap"
	"time"
)

// Loop is the virtual clock and the event queue.
type Loop struct {
	now   time.Duration
	seq   uint64
	q     eventQueue
	steps uint64
}

type event struct {
	at  time.Duration
	seq uint64
	fn  func()
}

type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// Now returns the virtual time.
func (l *Loop) Now() time.Duration { return l.now }

// After schedules fn at now+d (d < 0 counts as 0).
func (l *Loop) After(d time.Duration, fn func()) {
	if d < 0 {
		d = 0
	}
	l.seq++
	heap.Push(&l.q, event{at: l.now + d, seq: l.seq, fn: fn})
}

// Step runs the next event; it returns false when the queue is empty.
func (l *Loop) Step() bool {
	if len(l.q) == 0 {
		return false
	}
	e := heap.Pop(&l.q).(event)
	if e.at < l.now {
		panic("sim: time went backwards") // invariant: the heap orders by time
	}
	l.now = e.at
	l.steps++
	e.fn()
	return true
}

// RunUntil steps until stop returns true, the queue empties, or the virtual
// time passes limit. It returns whether stop became true.
func (l *Loop) RunUntil(limit time.Duration, stop func() bool) bool {
	for !stop() {
		if len(l.q) == 0 || l.q[0].at > limit {
			return false
		}
		l.Step()
	}
	return true
}

// Steps returns how many events ran.
func (l *Loop) Steps() uint64 { return l.steps }
