package realtime

import (
	"fmt"
	"sync"
	"time"
)

// postedMax bounds the callbacks waiting on a Loop. The runner, the nemesis
// and client replies post a few per client process; a backlog this large
// means the loop goroutine is stuck, which is an internal error.
const postedMax = 1 << 20

// Loop is a serialized event loop on the wall clock. Now counts from New;
// After and Post may be called from any goroutine; callbacks run one at a
// time inside Run.
type Loop struct {
	start time.Time

	mu     sync.Mutex
	queue  []func()
	timers timerHeap // After's callbacks not yet due (timers.go)
	seq    uint64    // tie-break of timers due at the same time: FIFO
	closed bool
	wake   chan struct{} // capacity 1: "the queue may be non-empty"
}

// New returns a Loop whose clock starts now.
func New() *Loop {
	return &Loop{start: time.Now(), wake: make(chan struct{}, 1)}
}

// Start returns the wall time the Loop's clock counts from.
func (l *Loop) Start() time.Time { return l.start }

// Now is the time since the Loop was made.
func (l *Loop) Now() time.Duration { return time.Since(l.start) }

// After runs fn on the loop after d (d <= 0: as soon as possible).
// Callbacks run in deadline order (FIFO among equal deadlines); a timer
// not yet due at Close is dropped.
func (l *Loop) After(d time.Duration, fn func()) {
	if d <= 0 {
		l.Post(fn)
		return
	}
	l.at(l.Now()+d, fn)
}

// at runs fn on the loop at loop time t, after every callback due earlier.
func (l *Loop) at(t time.Duration, fn func()) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.addTimer(t, fn)
	l.mu.Unlock()
	l.signal()
}

// Post queues fn to run on the loop. It never blocks; after Close it drops fn.
func (l *Loop) Post(fn func()) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	if len(l.queue) >= postedMax {
		l.mu.Unlock()
		panic(fmt.Sprintf("realtime: %d callbacks waiting on the loop: its goroutine is stuck", postedMax))
	}
	l.queue = append(l.queue, fn)
	l.mu.Unlock()
	l.signal()
}

// signal wakes Run if it waits.
func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run runs callbacks until stop returns true (checked before each one) or
// wall time limit has passed since the call; it reports whether stop
// became true. Run must not be called concurrently with itself.
func (l *Loop) Run(stop func() bool, limit time.Duration) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for !stop() {
		fn, next := l.pop()
		if fn != nil {
			fn()
			continue
		}
		if !l.wait(next, deadline.C) {
			return stop()
		}
	}
	return true
}

// wait blocks until a Post or After, the next timer (next >= 0), or the
// deadline; it reports false on the deadline.
func (l *Loop) wait(next time.Duration, deadline <-chan time.Time) bool {
	var due <-chan time.Time
	if next >= 0 {
		t := time.NewTimer(next)
		defer t.Stop()
		due = t.C
	}
	select {
	case <-l.wake:
	case <-due:
	case <-deadline:
		return false
	}
	return true
}

// pop takes the oldest queued callback (after queueing the timers now
// due), nil if none, and the time until the next timer (-1: none).
func (l *Loop) pop() (func(), time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := l.dueTimers(l.Now())
	if len(l.queue) == 0 {
		return nil, next
	}
	fn := l.queue[0]
	l.queue[0] = nil
	l.queue = l.queue[1:]
	return fn, next
}

// Close drops the queued callbacks and every later Post and timer.
func (l *Loop) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.queue = nil
	l.timers = nil
}
