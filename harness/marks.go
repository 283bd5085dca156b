package harness

import (
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Coverage marks ("sometimes" assertions, as Antithesis and TigerBeetle
// name them): situations a fault campaign is meant to reach. A mark never
// judges a run; a campaign that never reached one says so in its report.
const (
	MarkPartitionDuringCheckout = "partition-during-checkout" // a place invoked while a service was cut from the bus
	MarkRedeliveryAfterCrash    = "redelivery-after-crash"    // a restarted consumer got an event it had handled: dedup caught it
	MarkCompensationUnderDups   = "compensation-under-duplicates"
	MarkOCCConflict             = "occ-conflict"          // optimistic concurrency refused an append
	MarkDeferredOutOfOrder      = "deferred-out-of-order" // a consumer held back an event whose predecessor was missing
	MarkDeadLetter              = "dead-letter"
	MarkCancelMidSaga           = "cancel-mid-saga"     // an order cancelled after its stock was reserved
	MarkDeclineCompensated      = "decline-compensated" // stock released after a declined payment
	MarkOutOfStock              = "out-of-stock"        // an order rejected for want of stock
	MarkLegacyUpcast            = "legacy-event-upcast" // a schema-1 OrderPlaced handled through the upcaster
	MarkPublishRetry            = "publish-retry"       // an outbox event published twice (relay crash)
)

// MarkNames lists every mark in report order.
var MarkNames = []string{MarkPartitionDuringCheckout, MarkRedeliveryAfterCrash, MarkCompensationUnderDups,
	MarkOCCConflict, MarkDeferredOutOfOrder, MarkDeadLetter, MarkCancelMidSaga, MarkDeclineCompensated,
	MarkOutOfStock, MarkLegacyUpcast, MarkPublishRetry}

// Marks counts how often a run reached each situation.
func Marks(ops []history.Op, events []trace.Event) map[string]int {
	m := make(map[string]int, len(MarkNames))
	for _, n := range MarkNames {
		m[n] = 0
	}
	partitions := 0
	for i := range ops {
		op := &ops[i]
		if op.F == vocab.FNemesis && op.Value != nil && op.Value.Fault == vocab.FaultPartition {
			if op.Value.Edge == vocab.EdgeStart {
				partitions++
			} else if op.Value.Edge == vocab.EdgeStop {
				partitions--
			}
		}
		if op.F == vocab.FPlace && op.Type == vocab.TypeInvoke && partitions > 0 {
			m[MarkPartitionDuringCheckout]++
		}
	}
	restarted := map[string]bool{}
	dupWindows := map[string]int{}
	published := map[string]bool{}
	placedSchema := map[string]int{}
	for i := range events {
		e := &events[i]
		switch e.Kind {
		case trace.KindRestart:
			restarted[e.Node] = true
		case trace.KindFault:
			if e.Fault == vocab.FaultDuplicate {
				if e.Edge == vocab.EdgeStart {
					dupWindows[e.Target]++
				} else {
					dupWindows[e.Target]--
				}
			}
		case trace.KindConflict:
			m[MarkOCCConflict]++
		case trace.KindDLQ:
			m[MarkDeadLetter]++
		case trace.KindPublish:
			if published[e.Ref.ID] {
				m[MarkPublishRetry]++
			}
			published[e.Ref.ID] = true
		case trace.KindHandle:
			markHandle(m, e, restarted, placedSchema)
		case trace.KindAppend:
			markAppend(m, e, dupWindows, placedSchema)
		}
	}
	return m
}

func markHandle(m map[string]int, e *trace.Event, restarted map[string]bool, placedSchema map[string]int) {
	switch e.Outcome {
	case trace.OutcomeDuplicate:
		if restarted[e.Node] {
			m[MarkRedeliveryAfterCrash]++
		}
	case trace.OutcomeDeferred:
		m[MarkDeferredOutOfOrder]++
	case trace.OutcomeApplied:
		if e.Node == vocab.ServiceInventory && e.Ref.Type == vocab.OrderPlaced && placedSchema[e.Ref.ID] == 1 {
			m[MarkLegacyUpcast]++
		}
	}
}

func markAppend(m map[string]int, e *trace.Event, dupWindows map[string]int, placedSchema map[string]int) {
	for _, ev := range e.Events {
		switch ev.Type {
		case vocab.OrderPlaced:
			placedSchema[ev.ID] = ev.SchemaVersion
		case vocab.StockReleased, vocab.PaymentRefunded:
			if dupWindows[e.Node] > 0 {
				m[MarkCompensationUnderDups]++
			}
			if ev.Type == vocab.StockReleased && e.Handled != nil && e.Handled.Type == vocab.OrderDeclined {
				m[MarkDeclineCompensated]++
			}
		case vocab.OrderCancelled:
			if ev.Version >= 3 { // placed, reserved, then cancelled
				m[MarkCancelMidSaga]++
			}
		case vocab.StockRejected:
			if ev.Aggregate != "sku-dlq" {
				m[MarkOutOfStock]++
			}
		}
	}
}
