// Package faults is the nemesis: seeded schedules of fault windows (a fault,
// its target service, start and stop) and the runner that opens and closes
// them through a driver's Injector, recording each edge in the history.
//
// One fault per file: duplicate.go, reorder.go, delay.go, partition.go,
// crash.go. The driver (sim/, or the Kafka transport) gives each fault its
// effect; this package only decides when and where.
package faults
