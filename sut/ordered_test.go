package sut

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/realtime"
)

// Callbacks reach the loop in deadline order, however many are due at once
// and whatever order they were scheduled in (realtime.Loop.After alone
// does not promise this: each timer posts from its own goroutine).
func TestOrderedClockKeepsDeadlineOrder(t *testing.T) {
	loop := realtime.New()
	defer loop.Close()
	c := newOrderedClock(loop)
	defer c.close()
	r := rand.New(rand.NewPCG(1, 2))
	const n = 2000
	var got []time.Duration
	// Every deadline lies in the future of the scheduling loop below.
	base := c.Now() + 200*time.Millisecond
	for range n {
		at := base + time.Duration(r.Int64N(int64(20*time.Millisecond)))
		c.at(at, func() { got = append(got, at) })
	}
	if !loop.Run(func() bool { return len(got) == n }, 10*time.Second) {
		t.Fatalf("%d of %d callbacks ran", len(got), n)
	}
	for i := 1; i < n; i++ {
		if got[i] < got[i-1] {
			t.Fatalf("callback %d (due %v) ran after one due %v", i, got[i], got[i-1])
		}
	}
}
