package faults

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// reorder: while active, deliveries to the target consumer get a random
// extra delay, so later records overtake earlier ones.
func init() {
	register(kind{name: vocab.FaultReorder, targets: consumers(),
		durMin: 20 * time.Millisecond, durMax: 200 * time.Millisecond})
}
