// Package harness wires one run together: a driver (the simulator, or the
// Kafka transport), the workload runner, the nemesis with its seeded fault
// schedule, the history and trace files, the checkers and the run
// directory's results. cmd/jepsen-lite and the campaign are thin layers over it.
package harness
