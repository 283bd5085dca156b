package sim

import (
	"fmt"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func TestBusPartitionsByAggregateDeterministically(t *testing.T) {
	a, b := NewBus(4), NewBus(4)
	seen := map[int]bool{}
	for i := range 64 {
		agg := fmt.Sprintf("order-o-%d", i)
		p := a.PartitionOf(agg)
		if p < 0 || p >= 4 {
			t.Fatalf("PartitionOf(%s) = %d, out of range", agg, p)
		}
		if p != a.PartitionOf(agg) || p != b.PartitionOf(agg) {
			t.Fatalf("PartitionOf(%s) is not a function of the aggregate", agg)
		}
		seen[p] = true
	}
	if len(seen) < 2 {
		t.Errorf("64 aggregates all went to partitions %v: no spreading", seen)
	}
}

func TestBusAppendKeepsAnAggregateInOrderOnItsPartition(t *testing.T) {
	b := NewBus(4)
	for v := 1; v <= 3; v++ {
		p, off := b.Append(vocab.TopicOrders, trace.Envelope{Aggregate: "order-o-1", Version: v})
		if p != b.PartitionOf("order-o-1") || off != int64(v-1) {
			t.Errorf("version %d at partition %d offset %d, want %d and %d", v, p, off, b.PartitionOf("order-o-1"), v-1)
		}
	}
	log := b.logs[vocab.TopicOrders][b.PartitionOf("order-o-1")]
	for i, e := range log {
		if e.Version != i+1 {
			t.Errorf("offset %d holds version %d", i, e.Version)
		}
	}
	if b.Records() != 3 {
		t.Errorf("Records = %d, want 3", b.Records())
	}
}

func TestBusRewindResetsFetchToCommitted(t *testing.T) {
	b := NewBus(2)
	for i := range 6 {
		b.Append(vocab.TopicOrders, trace.Envelope{Aggregate: fmt.Sprintf("order-o-%d", i)})
	}
	inv := groupPartition{vocab.ServiceInventory, vocab.TopicOrders, 0}
	pay := groupPartition{vocab.ServicePayment, vocab.TopicOrders, 0}
	b.fetched[inv], b.committed[inv] = 5, 2
	b.fetched[pay], b.committed[pay] = 5, 1

	b.Rewind(vocab.ServiceInventory)
	if b.fetched[inv] != 2 {
		t.Errorf("inventory fetch = %d after Rewind, want its committed 2", b.fetched[inv])
	}
	if b.fetched[pay] != 5 {
		t.Errorf("Rewind(inventory) moved payment's fetch to %d", b.fetched[pay])
	}
	if b.committed[inv] != 2 {
		t.Errorf("Rewind changed the committed offset to %d", b.committed[inv])
	}
	// Lag is what the group has not committed over the topics it reads.
	if lag := b.Lag(vocab.ServiceInventory); lag != 6-2 {
		t.Errorf("Lag(inventory) = %d, want 4", lag)
	}
	if lag := b.Lag(vocab.ServiceOrders); lag != 0 {
		t.Errorf("Lag(orders) = %d, want 0: it does not read the orders topic", lag)
	}
}
