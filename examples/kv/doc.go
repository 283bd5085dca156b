// Package kv is a complete second system under test for jepsen-lite,
// built on the public package sut: a small replicated key-value store
// (one primary, replicas fed by asynchronous replication, clients on every
// node), its client, its fault hooks (partition a node from its peers,
// crash and restart the primary) and its test, checked for
// linearizability with sut.KVModel.
//
// The store has deliberate, switchable consistency bugs (Bugs):
//
//   - stale-read: a replica serves reads from its own copy, which may lag
//     behind the primary, instead of forwarding them to the primary.
//   - lost-write: the primary acknowledges a write before it is durable;
//     a crash loses the writes of the last few milliseconds.
//
// Without a bug the store is linearizable. `go test ./examples/kv/...`
// runs it both ways on fixed seeds; cmd/kv-jepsen runs it from the command
// line. docs/CLIENT.md walks through this example.
package kv
