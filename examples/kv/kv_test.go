package kv

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// More seeds of the correct store, with every fault: no false alarm.
func TestCorrectStoreManySeeds(t *testing.T) {
	n := uint64(40)
	if testing.Short() {
		n = 10
	}
	for seed := uint64(100); seed < 100+n; seed++ {
		if res := run(t, seed, "", ""); res.Valid != checker.Valid {
			t.Fatalf("correct store, seed %d: %v %v", seed, res.Valid, res.Anomalies)
		}
	}
}

// A Stepped run of the store gives a byte-identical history.jsonl for a
// seed (the store takes its clock and randomness from sut.Env).
func TestSameSeedSameHistory(t *testing.T) {
	read := func(seed uint64) string {
		dir := t.TempDir()
		run(t, seed, BugStaleRead, dir)
		b, err := os.ReadFile(filepath.Join(dir, "history.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b := read(7), read(7)
	if a != b || a == "" {
		t.Fatalf("seed 7: two runs wrote different histories (%d and %d bytes)", len(a), len(b))
	}
	if a == read(8) {
		t.Fatal("seeds 7 and 8 wrote the same history")
	}
}

// In real time (a goroutine per client, the wall clock) the correct store
// is valid and the stale-read store is caught. The interleaving is not
// fixed by the seed, so this checks verdicts only.
func TestRealTime(t *testing.T) {
	for _, bug := range []string{"", BugStaleRead} {
		test, err := NewTest(Options{Bug: bug})
		if err != nil {
			t.Fatal(err)
		}
		test.Seed, test.Ops, test.Stepped, test.Log = 3, 300, false, io.Discard
		res, err := sut.Run(context.Background(), test)
		if err != nil {
			t.Fatal(err)
		}
		want := checker.Valid
		if bug != "" {
			want = checker.Invalid
		}
		t.Logf("real time, bug %q: %v %v, %d ops in %v", bug, res.Valid, res.Anomalies, res.Stats.Ops, time.Duration(res.Stats.WallNS))
		if res.Valid != want {
			t.Fatalf("real time, bug %q: %v %v, want %v", bug, res.Valid, res.Anomalies, want)
		}
	}
}
