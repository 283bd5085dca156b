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

// After runs fn on the loop after d (d <= 0: as soon as possible). A timer
// that fires after Close is dropped.
func (l *Loop) After(d time.Duration, fn func()) {
	if d <= 0 {
		l.Post(fn)
		return
	}
	time.AfterFunc(d, func() { l.Post(fn) })
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
		fn := l.pop()
		if fn != nil {
			fn()
			continue
		}
		select {
		case <-l.wake:
		case <-deadline.C:
			return stop()
		}
	}
	return true
}

// pop takes the oldest queued callback, nil if none.
func (l *Loop) pop() func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.queue) == 0 {
		return nil
	}
	fn := l.queue[0]
	l.queue[0] = nil
	l.queue = l.queue[1:]
	return fn
}

// Close drops the queued callbacks and every later Post and timer.
func (l *Loop) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.queue = nil
}
