// Package store is the reference system's database: per-aggregate event
// streams with optimistic concurrency, a global log that doubles as the
// transactional outbox, snapshots, consumer dedup records written atomically
// with effects, the projection table and the dead-letter queue.
//
// The store is the durable part of the system: a crashed node loses its
// memory, never what the store holds. It is single-threaded by contract (the
// driver serialises calls); the Kafka driver wraps it in a mutex.
package store
