package sut

import (
	"sync"
	"time"

	"github.com/jepsen-lite/jepsen-lite/realtime"
	"github.com/jepsen-lite/jepsen-lite/sim"
)

// orderedTick is how often the ordered clock hands due callbacks to the loop.
const orderedTick = time.Millisecond

// orderedClock is a clock.Scheduler on the wall clock whose callbacks reach
// the realtime.Loop in deadline order. realtime.Loop.After arms one timer
// goroutine per callback, and under load a goroutine can post late, after
// one due later: a short fault window's stop then ran before its start and
// the fault stayed on for the rest of the run (seen here on 2 loaded cores:
// "start crash@n1: node is down"). Here one queue ordered by (deadline,
// sequence), sim.Loop's, holds every pending callback, and one goroutine
// posts those that are due, in order, every orderedTick.
type orderedClock struct {
	loop *realtime.Loop
	mu   sync.Mutex
	q    sim.Loop // deadlines are wall-clock times since loop's start
	quit chan struct{}
	done chan struct{}
}

func newOrderedClock(loop *realtime.Loop) *orderedClock {
	c := &orderedClock{loop: loop, quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// Now is the loop's time.
func (c *orderedClock) Now() time.Duration { return c.loop.Now() }

// After posts fn to the loop once d has passed, after every callback due
// earlier (or at the same time and scheduled first).
func (c *orderedClock) After(d time.Duration, fn func()) {
	c.at(c.loop.Now()+max(d, 0), fn)
}

// at posts fn to the loop at loop time t, in deadline order.
func (c *orderedClock) at(t time.Duration, fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.q.After(t-c.q.Now(), func() { c.loop.Post(fn) })
}

func (c *orderedClock) run() {
	defer close(c.done)
	t := time.NewTicker(orderedTick)
	defer t.Stop()
	never := func() bool { return false }
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
			c.mu.Lock()
			c.q.RunUntil(c.loop.Now(), never)
			c.mu.Unlock()
		}
	}
}

// close stops the clock; callbacks not yet due are dropped.
func (c *orderedClock) close() {
	close(c.quit)
	<-c.done
}
