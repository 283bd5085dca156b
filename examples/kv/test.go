package kv

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/sut"
)

// Options shape a test of the store.
type Options struct {
	// Bug is the bug switch ("" for none).
	Bug string
	// Nodes is the number of nodes (default 3).
	Nodes int
	// Keys is the number of keys (default 3): few keys, many conflicts.
	Keys int
}

// NewTest returns the store's test: a mix of reads, writes and cas on a
// few keys from clients on every node, while the nemesis partitions nodes
// from their peers and crashes and restarts the primary; final reads of
// every key; checked for linearizability with sut.KVModel. It runs
// Stepped: the store takes its clock and randomness from sut.Env, so a
// seed gives the same history. The caller sets Seed, Ops, OutDir, ...
func NewTest(o Options) (sut.Test, error) {
	if o.Nodes == 0 {
		o.Nodes = 3
	}
	if o.Keys == 0 {
		o.Keys = 3
	}
	store, err := NewStore(o.Nodes, o.Bug)
	if err != nil {
		return sut.Test{}, err
	}
	keys := sut.Keys("k", o.Keys)
	names := store.Names()
	final := make([]sut.Op, len(keys))
	for i, k := range keys {
		final[i] = sut.Op{F: "read", Key: k}
	}
	value := func(r *rand.Rand) any { return r.IntN(5) }
	return sut.Test{
		Name:  "kv",
		Nodes: names,
		Setup: func(_ context.Context, env sut.Env) error {
			store.Start(env.Clock, env.Rand)
			return nil
		},
		Teardown:  func(context.Context) error { store.Stop(); return nil },
		NewClient: func() sut.Client { return &Client{store: store} },
		Workload: sut.Workload{
			Keys: keys,
			Mix: []sut.Kind{
				{F: "read", Weight: 5},
				{F: "write", Weight: 3, Value: value},
				{F: "cas", Weight: 2, Value: func(r *rand.Rand) any { return [2]int{r.IntN(5), r.IntN(5)} }},
			},
			Final: final,
		},
		Nemesis: sut.Nemesis{Gap: 40 * time.Millisecond, Faults: []sut.Fault{
			{Name: "partition", Targets: names, Min: 10 * time.Millisecond, Max: 80 * time.Millisecond,
				Start: func(_ context.Context, n string) error { return store.Partition(n) },
				Stop:  func(_ context.Context, n string) error { return store.Heal(n) }},
			{Name: "crash", Targets: names[:1], Min: 5 * time.Millisecond, Max: 25 * time.Millisecond,
				Start: func(_ context.Context, n string) error { return store.Crash(n) },
				Stop:  func(_ context.Context, n string) error { return store.Restart(n) }},
		}},
		Checkers: []checker.Checker{sut.Linearizable(sut.KVModel())},
		Stepped:  true,
		Quiesce:  settle,
		Bug:      o.Bug,
	}, nil
}
