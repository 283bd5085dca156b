package sut_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sync"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/sut"
)

// counter is the system under test of the example: one in-memory counter
// per key, with "add" (argument: how much) and "get" (result: the value).
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

// counterClient is its sut.Client.
type counterClient struct{ c *counter }

func (cl *counterClient) Open(context.Context, string) error { return nil }
func (cl *counterClient) Close(context.Context) error        { return nil }

func (cl *counterClient) Invoke(_ context.Context, op sut.Op) sut.Reply {
	cl.c.mu.Lock()
	defer cl.c.mu.Unlock()
	switch op.F {
	case "add":
		cl.c.n[op.Key] += op.Value.(int)
		return sut.Ok(nil)
	case "get":
		return sut.Ok(cl.c.n[op.Key])
	}
	return sut.Failed("unknown op %q", op.F)
}

// counterModel is a porcupine model of one counter. Decode reads each
// recorded call back from the history: its input is the amount added (or
// -1 for a get) and its output the value a get returned.
func counterModel() sut.Model {
	type in struct {
		add, got int
		get      bool
	}
	return sut.Model{
		Name: "counter",
		Porcupine: porcupine.Model{
			Init: func() any { return 0 },
			Step: func(state, input, _ any) (bool, any) {
				s, i := state.(int), input.(in)
				if i.get {
					return s == i.got, s
				}
				return true, s + i.add
			},
		},
		Decode: func(c sut.Call) (any, any, error) {
			switch {
			case c.F == "add":
				var n int
				err := c.DecodeArg(&n)
				return in{add: n}, nil, err
			case c.Outcome == sut.Info:
				return nil, nil, sut.ErrSkip // a get with no result tells nothing
			}
			var got int
			err := c.DecodeRet(&got)
			return in{get: true, got: got}, nil, err
		},
	}
}

// Run tests a system of your own: here an in-memory counter, checked for
// linearizability against a model written for it.
func ExampleRun() {
	c := &counter{n: map[string]int{}}
	test := sut.Test{
		Name:      "counter",
		Nodes:     []string{"n1"},
		NewClient: func() sut.Client { return &counterClient{c: c} },
		Workload: sut.Workload{
			Keys: sut.Keys("c", 2),
			Mix:  []sut.Kind{{F: "get", Weight: 1}, {F: "add", Weight: 1, Value: func(r *rand.Rand) any { return 1 + r.IntN(3) }}},
		},
		Checkers: []checker.Checker{sut.Linearizable(counterModel())},
		Seed:     7,
		Stepped:  true,
		Log:      io.Discard,
	}
	res, err := sut.Run(context.Background(), test)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Valid, res.Stats.Ops, "ops")
	// Output: valid 200 ops
}

// Main gives a test the usual command line: --seed, --ops, --concurrency,
// --nemesis, --bug, --mode, --out, and a check command; it exits 0 when the
// run is valid, 1 when anomalies were found, 2 when unknown.
func ExampleMain() {
	program := sut.Program{
		Name: "counter-jepsen",
		Bugs: []string{"stale"},
		Test: func(bug string) (sut.Test, error) {
			c := &counter{n: map[string]int{}}
			return sut.Test{
				Name:      "counter",
				Nodes:     []string{"n1"},
				NewClient: func() sut.Client { return &counterClient{c: c} },
				Workload:  sut.Workload{Keys: []string{"c"}, Mix: []sut.Kind{{F: "get", Weight: 1}}},
				Checkers:  []checker.Checker{sut.Linearizable(counterModel())},
				Stepped:   true,
			}, nil
		},
	}
	dir, err := os.MkdirTemp("", "counter-jepsen")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	// In a main package: sut.Main(program). Here, with arguments:
	code := program.RealMain(context.Background(), []string{"--seed", "1", "--nemesis", "none", "--out", dir}, io.Discard, os.Stderr)
	fmt.Println("exit", code)
	// Output: exit 0
}
