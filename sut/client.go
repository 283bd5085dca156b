package sut

import (
	"context"
	"math/rand/v2"

	"github.com/jepsen-lite/jepsen-lite/clock"
)

// Client performs operations on the system under test for one client
// process, as a Jepsen client does. Run makes one Client per process with
// Test.NewClient, opens it against a node (the processes are spread over
// Test.Nodes in turn), calls Invoke for each of the process's operations,
// one at a time, and closes it. A process whose operation ended Info is
// retired (the operation may still take effect) and a fresh process, with
// a fresh Client, takes its place.
//
// In real time, Invoke runs on the process's own goroutine and ctx carries
// the per-operation deadline (Test.Timeout): a client that gives up on it
// must reply Info, since the operation may still happen. In a Stepped run
// Invoke is called on the driver's goroutine and must not block.
type Client interface {
	// Open connects the client to node (an element of Test.Nodes).
	Open(ctx context.Context, node string) error
	// Invoke performs op and says what came of it.
	Invoke(ctx context.Context, op Op) Reply
	// Close releases the client's resources.
	Close(ctx context.Context) error
}

// Env is what Run gives the system under test in Test.Setup: a random
// source drawn from the run's seed and the run's clock. A system that takes
// its randomness and its timers only from Env (and runs Stepped) makes the
// same history for the same seed.
type Env struct {
	// Rand is the system's own random source, derived from the seed and
	// independent of the workload's and the nemesis' draws.
	Rand *rand.Rand
	// Clock is the run's clock: virtual in a Stepped run, the wall clock
	// otherwise. Its callbacks run one at a time, on the driver's
	// goroutine; in real time that is not a client's goroutine, so the
	// system must lock what both touch.
	Clock clock.Scheduler
	// Stepped is set in a Stepped run.
	Stepped bool
}
