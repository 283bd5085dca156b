// Package realtime is the wall-clock driver core: a serialized event loop
// that implements clock.Scheduler for the workload runner and the nemesis,
// and an Actor (one goroutine and one bounded mailbox) per service node.
//
// It is the real-time counterpart of sim.Loop. The simulator owns every
// pending event in one seeded queue and so is deterministic; here timers are
// time.AfterFunc goroutines and work arrives from sockets, so runs are not
// reproducible byte for byte (the seed still fixes the workload and the fault
// schedule). What it keeps is the contract the callers rely on: callbacks of
// the Loop run one at a time on the Loop's goroutine, and everything a node
// does runs on that node's Actor, one call at a time, because a node is not
// goroutine-safe.
//
// Where it sits: workloads/ and faults/ run on a Loop; transport/kafka runs
// each service node on an Actor; harness.RunKafka wires them.
package realtime
