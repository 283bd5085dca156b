// Package services holds the pure decision cores of the reference system:
// for each service, its aggregate state, how an event evolves it, how a
// command or a delivered event is decided into new events, and the event
// schemas with their upcaster. Nothing here does I/O or keeps time: the
// runtime in system/node feeds the cores (etcd-io/raft's "pure core, driver
// outside").
package services
