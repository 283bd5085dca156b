// Package clock is the time source a driver gives workloads and nemeses: the
// simulator's virtual clock, or real time for the Kafka transport. Callbacks
// run one at a time (the driver serialises them).
package clock

import "time"

// Scheduler runs callbacks later on the driver's clock.
type Scheduler interface {
	Now() time.Duration
	After(d time.Duration, fn func())
}
