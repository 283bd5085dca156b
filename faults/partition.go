package faults

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// partition: while active, the target service cannot reach the bus: its
// publishes and offset commits fail and it fetches nothing. Clients still
// reach it.
func init() {
	register(kind{name: vocab.FaultPartition, targets: consumers(),
		durMin: 20 * time.Millisecond, durMax: 250 * time.Millisecond, exclusivePerNode: true})
}
