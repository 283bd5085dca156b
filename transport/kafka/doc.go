// Package kafka is the Kafka driver of the reference system: the same
// service nodes (system/node) as the simulator, each on its own goroutine
// (realtime.Actor), talking to a real Kafka-protocol cluster over sockets
// with github.com/segmentio/kafka-go.
//
// Where it sits: harness.RunKafka builds a Cluster over an Embedded kfake
// cluster (default) or any brokers by address, runs the workload and the
// nemesis on a realtime.Loop, and judges the history and trace with the
// same checkers as a simulated run.
//
// The bus, as the protocol needs it (docs/PROTOCOL.md):
//   - one topic per event stream kind (vocab.Topics, prefixed per run so
//     that runs never share topics or groups on a real cluster), several
//     partitions, records keyed by aggregate so an aggregate's events stay
//     in order on one partition; the value is the JSON event envelope;
//   - one consumer group per service (vocab.Subscriptions). Consumers run
//     in "assign" mode: a kafka-go Reader per (service, topic, partition)
//     at an explicit offset, with the group's offsets stored in the group
//     coordinator by OffsetCommit/OffsetFetch (simple commits, generation
//     -1). Assign mode makes a restarted node resume at once from its
//     committed offsets instead of waiting out a group rebalance;
//   - offsets are committed only when the node asks (node.ack, after the
//     effect and its dedup record are durable). Commits are coalesced per
//     service (at most one OffsetCommit per CommitEvery), as a Kafka client
//     batches commits; a crash loses the commits not yet sent, which only
//     causes redelivery;
//   - the producer is a kafka-go Writer per incarnation with RequiredAcks
//     all and retries, so a produce that timed out after being applied is
//     written twice (at-least-once, real duplicates).
//
// Faults (faults.Injector, faults.go) act on the sockets and the broker:
// crash drops a node's incarnation and its readers; every client of a
// service dials the brokers through its own in-process toxiproxy proxies
// (network.go): partition stops them (dials refused, live connections
// closed), delay adds a latency toxic; duplicate makes the broker time out
// produces after applying them and rewinds the service's readers to the
// committed offsets (a rebalance's redelivery); reorder delivers each
// fetched record after a random delay, as a consumer with a worker pool sees
// them, and on the embedded broker moves partition leaders. Windows on a
// broker (brokerfaults.go) remove and re-add it, cut it off, slow it, make
// it time out produces or answer NOT_LEADER.
//
// The log history (logrec.go, finalpolls.go) records what producers sent
// and consumers polled, for checker/logcheck; docs/KAFKA.md describes it.
package kafka
