package faults

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// delay: while active, deliveries to and replies from the target service
// are slowed down (a slow network link or a GC pause).
func init() {
	register(kind{name: vocab.FaultDelay, targets: consumers(),
		durMin: 20 * time.Millisecond, durMax: 200 * time.Millisecond})
}
