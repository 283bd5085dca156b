// Command kv-jepsen tests the example key-value store (package kv) with
// jepsen-lite: a seeded workload of reads, writes and cas under
// partitions and primary crashes, judged for linearizability.
//
//	go run ./examples/kv/cmd/kv-jepsen --seed 7 --bug stale-read --out /tmp/kv
//	go run ./examples/kv/cmd/kv-jepsen check /tmp/kv/history.jsonl
//
// Flags and exit codes are sut.Program's: 0 valid, 1 anomalies found, 2
// unknown, 64 usage error, 65 bad input data, 70 internal error.
package main

import (
	"github.com/jepsen-lite/jepsen-lite/examples/kv"
	"github.com/jepsen-lite/jepsen-lite/sut"
)

// program is kv-jepsen.
var program = sut.Program{
	Name:    "kv-jepsen",
	Command: "go run ./examples/kv/cmd/kv-jepsen",
	Bugs:    kv.Bugs,
	Test:    func(bug string) (sut.Test, error) { return kv.NewTest(kv.Options{Bug: bug}) },
}

func main() { sut.Main(program) }
