package realtime

import (
	"container/heap"
	"time"
)

// timer is a callback due at a point of the Loop's clock. Timers are kept
// in one heap ordered by (at, seq), so callbacks reach the loop in deadline
// order even when the machine is loaded: one goroutine per timer (as
// time.AfterFunc gives) can post late, after a timer due later, and a
// fault window's stop then ran before its start.
type timer struct {
	at  time.Duration
	seq uint64
	fn  func()
}

type timerHeap []timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = timer{}
	*h = old[:len(old)-1]
	return t
}

// addTimer schedules fn at loop time at. The caller holds l.mu.
func (l *Loop) addTimer(at time.Duration, fn func()) {
	heap.Push(&l.timers, timer{at: at, seq: l.seq, fn: fn})
	l.seq++
}

// dueTimers moves the timers due at now to the tail of the queue, in
// deadline order, and returns the time until the next one (-1: none). The
// caller holds l.mu.
func (l *Loop) dueTimers(now time.Duration) time.Duration {
	for len(l.timers) > 0 && l.timers[0].at <= now {
		l.queue = append(l.queue, heap.Pop(&l.timers).(timer).fn)
	}
	if len(l.timers) == 0 {
		return -1
	}
	return l.timers[0].at - now
}
