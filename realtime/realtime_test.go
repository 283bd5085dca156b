package realtime

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Callbacks posted from many goroutines run one at a time, on Run's
// goroutine, and After waits at least its delay.
func TestLoopSerializesCallbacks(t *testing.T) {
	l := New()
	defer l.Close()
	var running atomic.Int32
	count := 0 // touched only by callbacks: the race detector checks the claim
	const posters, each = 8, 200
	var wg sync.WaitGroup
	for range posters {
		wg.Go(func() {
			for range each {
				l.Post(func() {
					if running.Add(1) != 1 {
						t.Error("two callbacks ran at once")
					}
					count++
					running.Add(-1)
				})
			}
		})
	}
	start := l.Now()
	fired := time.Duration(0)
	l.After(20*time.Millisecond, func() { fired = l.Now() })
	if !l.Run(func() bool { return count == posters*each && fired > 0 }, 5*time.Second) {
		t.Fatalf("ran %d of %d callbacks, timer fired %v", count, posters*each, fired)
	}
	wg.Wait()
	if fired-start < 20*time.Millisecond {
		t.Fatalf("After(20ms) fired after %v", fired-start)
	}
}

// Run gives up at its wall-clock bound and reports false.
func TestLoopRunBound(t *testing.T) {
	l := New()
	defer l.Close()
	start := time.Now()
	if l.Run(func() bool { return false }, 30*time.Millisecond) {
		t.Fatal("Run reported true for a stop that never holds")
	}
	if d := time.Since(start); d < 30*time.Millisecond || d > time.Second {
		t.Fatalf("Run returned after %v, want about 30ms", d)
	}
}

// An actor runs its mailbox in order, one at a time; Post waits while the
// mailbox is full and gives up when its context ends; Stop drops the rest.
func TestActor(t *testing.T) {
	a := NewActor(2)
	block := make(chan struct{})
	var got []int
	a.Post(context.Background(), func() { <-block })
	for i := range 2 {
		a.Post(context.Background(), func() { got = append(got, i) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if a.Post(ctx, func() {}) {
		t.Fatal("Post into a full mailbox did not wait for its context")
	}
	close(block)
	done := make(chan struct{})
	a.Post(context.Background(), func() { close(done) })
	<-done
	a.Stop()
	if len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Fatalf("ran %v, want [0 1]", got)
	}
	if a.Post(context.Background(), func() {}) {
		t.Fatal("Post after Stop reported true")
	}
}

// After's callbacks run in deadline order, FIFO among equal deadlines,
// however late the machine wakes: a fault window's stop never runs before
// its start.
func TestAfterKeepsDeadlineOrder(t *testing.T) {
	l := New()
	defer l.Close()
	const n = 2000
	type due struct {
		at  time.Duration
		seq int
	}
	var got []due
	base := l.Now() + 100*time.Millisecond // after the loop below ends
	for i := range n {
		at := base + time.Duration((i*7919)%20)*time.Millisecond
		l.at(at, func() { got = append(got, due{at, i}) })
	}
	if !l.Run(func() bool { return len(got) == n }, 10*time.Second) {
		t.Fatalf("%d of %d callbacks ran", len(got), n)
	}
	for i := 1; i < n; i++ {
		a, b := got[i-1], got[i]
		if b.at < a.at || (b.at == a.at && b.seq < a.seq) {
			t.Fatalf("callback %d (due %v) ran after callback %d (due %v)", b.seq, b.at, a.seq, a.at)
		}
	}
}
