package kv

import (
	"context"
	"io"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/sut"
)

// seeds are the fixed seeds every verdict test runs.
var seeds = []uint64{1, 2, 3, 4, 5}

// run runs the store's test on seed with bug and every fault.
func run(t *testing.T, seed uint64, bug, dir string) sut.Result {
	t.Helper()
	test, err := NewTest(Options{Bug: bug})
	if err != nil {
		t.Fatal(err)
	}
	test.Seed, test.Ops, test.OutDir, test.Log = seed, 300, dir, io.Discard
	res, err := sut.Run(context.Background(), test)
	if err != nil {
		t.Fatalf("seed %d bug %q: %v", seed, bug, err)
	}
	t.Logf("seed %d bug %q: %s %v (%d ops, %d ok, %d fail, %d info)", seed, bug, res.Valid, res.Anomalies,
		res.Stats.Ops, res.Stats.OK, res.Stats.Fail, res.Stats.Info)
	return res
}

// The correct store is linearizable on every seed, under partitions and
// primary crashes.
func TestCorrectStoreIsValid(t *testing.T) {
	for _, seed := range seeds {
		res := run(t, seed, "", "")
		if res.Valid != checker.Valid {
			t.Fatalf("correct store, seed %d: %v %v\n%+v", seed, res.Valid, res.Anomalies, res.Checkers)
		}
	}
}

// Each bug is found as a nonlinearizable history on every seed.
func TestBugsAreFound(t *testing.T) {
	for _, bug := range Bugs {
		for _, seed := range seeds {
			res := run(t, seed, bug, "")
			if res.Valid != checker.Invalid {
				t.Fatalf("--bug %s, seed %d: %v, want invalid", bug, seed, res.Valid)
			}
		}
	}
}
