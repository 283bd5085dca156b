// Package sim is the deterministic simulator: a virtual clock and one seeded
// scheduler that owns every pending event (deliveries, timers, client
// requests, fault edges) and runs them one at a time in (time, sequence)
// order. The same seed gives the same run, byte for byte: no goroutines, no
// wall clock, no map iteration without sorting, and every random choice
// from the seeded source.
//
// It drives the reference system's nodes (system/node) over a simulated
// partitioned log bus with the faults of faults/ injected, and offers the
// workload runner a Scheduler and a Client.
package sim
