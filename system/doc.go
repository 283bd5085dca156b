// Package system is the reference event-sourced order system that jepsen-lite
// tests: an event store with optimistic concurrency, snapshots and upcasting
// (system/store), the pure decision cores of the services orders, inventory,
// payment, shipping and the projector (system/services), and the service
// runtime that turns deliveries and commands into store appends, publishes
// and offset commits (system/node).
//
// The runtime does no I/O of its own: a driver gives each node an Env (the
// simulator in sim/, or the Kafka transport) and feeds it deliveries and
// commands. The protocol is described in docs/PROTOCOL.md. system/ never
// imports model/ or checker/.
package system
