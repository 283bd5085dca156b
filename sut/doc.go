// Package sut ("system under test") is the public API through which users
// test their own system with jepsen-lite, as they would with Jepsen: they
// write a Client that performs operations on their system, say which
// operations to draw (a Workload) and which faults to inject (a Nemesis,
// with their own callbacks that partition or crash a node), choose the
// checkers (linearizability against a porcupine model, a log/queue
// checker, their own properties), and call Run.
//
// Run draws every random choice from one seed, records history.jsonl as
// the run goes through package history, opens and closes fault windows
// through package faults, judges the history with package checker, and
// writes the standard run directory (results.json, report.html, junit.xml,
// summary.md, through packages results and reports) beside a test.json
// that records the checkers chosen, so that `jepsen-lite check` and
// `jepsen-lite report` understand the run. Main turns a Test into a
// command-line program with the usual flags (--seed, --ops,
// --concurrency, --nemesis, --bug, --out) and exit codes.
//
// # Two drivers
//
// A real system runs in real time: each client process is a goroutine
// that calls Client.Invoke with a deadline; faults open and close on the
// wall clock. Runs of one seed draw the same operations and the same fault
// schedule, but the interleaving comes from the system.
//
// An in-process system that takes its time and randomness only from the
// Env that Run gives it can run Stepped: the processes take turns on a
// virtual clock in an order drawn from the seed, an operation's Invoke
// runs a seeded latency after it was invoked (so operations overlap in the
// history), and faults open between steps. The same seed then gives a
// byte-identical history.jsonl.
//
// examples/kv is a complete second system under test built on this
// package; docs/CLIENT.md walks through writing one.
package sut
