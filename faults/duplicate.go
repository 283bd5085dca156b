package faults

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// duplicate: while active, records delivered to the target consumer are
// sometimes delivered twice (the bus's at-least-once delivery made visible).
func init() {
	register(kind{name: vocab.FaultDuplicate, targets: consumers(),
		durMin: 20 * time.Millisecond, durMax: 200 * time.Millisecond})
}

// consumers are the services that consume from the bus.
func consumers() []string { return vocab.Services }
