package faults

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// crash: at the start the target service crashes, losing everything not
// committed (in-flight handling, deferred deliveries, buffered writes,
// unpersisted relay progress); at the stop it restarts and resumes from its
// last committed offsets and its durable outbox cursor.
func init() {
	register(kind{name: vocab.FaultCrash, targets: consumers(),
		durMin: 2 * time.Millisecond, durMax: 40 * time.Millisecond, exclusivePerNode: true})
}
