package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/trace"
)

// The store is shared by node goroutines over Kafka: concurrent appends
// with dedup records keep one effect per handled event and dense stream
// versions (run with -race to check the locking itself).
func TestConcurrentAppendsAreAtomic(t *testing.T) {
	s := New()
	const writers, each = 4, 200
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				ref := &trace.Ref{ID: fmt.Sprintf("ev-in-%d", i), Aggregate: "order-o-1", Version: i + 1}
				for {
					_, err := s.Append(fmt.Sprint(w), AppendRequest{Stream: "sku-s-1", Expected: s.Version("sku-s-1"),
						Events: []NewEvent{{Type: "StockReserved"}}, Consumer: "inventory", Handled: ref})
					if err == nil || err == ErrDuplicate {
						break
					}
				}
				_ = s.OutboxLen(fmt.Sprint(w))
			}
		})
	}
	wg.Wait()
	if v := s.Version("sku-s-1"); v != each {
		t.Fatalf("stream at version %d, want %d: one effect per handled event", v, each)
	}
	for i, e := range s.Read("sku-s-1", 1) {
		if e.Version != i+1 {
			t.Fatalf("event %d has version %d", i, e.Version)
		}
	}
}
