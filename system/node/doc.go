// Package node is the service runtime of the reference system: it turns a
// service core (system/services) into a running consumer and command
// handler. It dedups deliveries by event ID atomically with the effect,
// applies each aggregate's events in version order (deferring early ones),
// commits offsets only over the contiguous prefix of finished deliveries,
// retries with capped exponential backoff, dead-letters poison events, and
// relays its outbox to the bus.
//
// A Node does no I/O and keeps no clock: everything goes through its Env,
// which a driver provides (sim/ for deterministic simulation, the Kafka
// transport for real sockets). A crash is modelled by the driver dropping the
// Node and its Env; a restart builds a new Node over the same store.
package node
