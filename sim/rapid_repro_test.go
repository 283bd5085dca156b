package sim_test

// Reproducibility of a rapid failure on the simulator: the saga property
// with the no-dedup bug (and duplicate windows open on every consumer) must
// fail; the seed rapid prints must make a second run fail the same way with
// the same shrunk case. This is the promise behind "-rapid.seed=N" in the
// comment of rapid_saga_test.go: the simulator takes every random choice
// from the seed rapid draws, so a case is a pure function of rapid's bits.
//
// rapid.Check takes a rapid.TB, so the test runs it on recordTB, a TB that
// records instead of failing, and reads rapid's own report. rapid reads its
// options only from the -rapid.* flags, so the test sets them for the two
// runs (no fail file, short cases, a start seed, then the printed seed) and
// puts them back.
//
// Why a fixed start seed by default: rapid's shrinker (v1.3.0) runs the
// property thousands of times on a failure that almost every input shows,
// and how many depends on the start seed — from under a second to tens of
// seconds for this property (bounded per run by -rapid.shrinktime, 30s by
// default; a shrink cut short by that bound could end on another case). The
// fixed seed keeps the default go test quick; it is chosen so that the first
// cases pass and the failing case's seed differs from the start seed, which
// shows that the printed seed alone reproduces. For a random start seed, as
// in a plain rapid run:
//
//	go test ./sim -run Reproduces -saga.repro-random -count=20 -v

import (
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/jepsen-lite/jepsen-lite/system/node"
)

// recordTB is a rapid.TB that records what rapid reports.
type recordTB struct {
	failed bool
	errors []string // Errorf/Fatalf messages, in order
	// output is what rapid logs after its report ("Failed test output:"):
	// the draws of the shrunk case and the property's failure message.
	output    []string
	reporting bool
}

func (r *recordTB) Helper()      {}
func (r *recordTB) Name() string { return "TestRapidSagaRecorded" }
func (r *recordTB) Logf(format string, args ...any) {
	if r.reporting {
		r.output = append(r.output, fmt.Sprintf(format, args...))
	}
}
func (r *recordTB) Log(args ...any) { r.Logf("%s", fmt.Sprint(args...)) }
func (r *recordTB) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.failed = true
	r.errors = append(r.errors, msg)
	r.reporting = r.reporting || strings.HasSuffix(msg, "Failed test output:")
}
func (r *recordTB) Error(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)) }
func (r *recordTB) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recordTB) Fatal(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)) }

// rapid calls FailNow last, after its report: recording it is enough.
func (r *recordTB) FailNow()                    { r.failed = true }
func (r *recordTB) Fail()                       { r.failed = true }
func (r *recordTB) Failed() bool                { return r.failed }
func (r *recordTB) Skipf(string, ...any)        {}
func (r *recordTB) Skip(...any)                 {}
func (r *recordTB) SkipNow()                    {}
func (r *recordTB) report() (rapidReport, bool) { return parseReport(r.errors) }

// rapidReport is rapid v1.3.0's failure report: "[rapid] failed after N
// tests: MSG\nTo reproduce, specify -run=... -rapid.seed=SEED\nFailed test output:".
type rapidReport struct {
	passed, message, seed string
}

var reportRE = regexp.MustCompile(`(?s)^\[rapid\] failed after (\d+) tests: (.*)\nTo reproduce, specify -run="[^"]*" -rapid\.seed=(\d+)\nFailed test output:$`)

func parseReport(errors []string) (rapidReport, bool) {
	if len(errors) == 0 {
		return rapidReport{}, false
	}
	m := reportRE.FindStringSubmatch(errors[0])
	if m == nil {
		return rapidReport{}, false
	}
	return rapidReport{passed: m[1], message: m[2], seed: m[3]}, true
}

// setRapidFlag sets a -rapid.* flag for the rest of the test.
func setRapidFlag(t *testing.T, name, value string) {
	t.Helper()
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("flag -%s is not registered (rapid version changed?)", name)
	}
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatalf("-%s=%s: %v", name, value, err)
	}
	t.Cleanup(func() {
		if err := f.Value.Set(old); err != nil {
			t.Errorf("restore -%s=%s: %v", name, old, err)
		}
	})
}

// sagaReproStartSeed: at the time of writing its first 15 cases pass and
// the 16th (seed 122) fails; the test does not depend on those numbers.
const sagaReproStartSeed = 2

var sagaReproRandom = flag.Bool("saga.repro-random", false, "TestRapidSagaFailureReproducesFromSeed: start from a random seed")

func TestRapidSagaFailureReproducesFromSeed(t *testing.T) {
	buggy := sagaProperty(sagaOptions{bugs: node.Bugs{NoDedup: true}, dupAtStart: true})
	setRapidFlag(t, "rapid.nofailfile", "true") // no testdata/rapid/ file, none replayed
	setRapidFlag(t, "rapid.failfile", "")
	// 100 cases of about 5 steps (short cases shrink fast); rapid divides
	// checks by 5 and steps by 2 under -short, so undo that.
	checks, steps := 100, 5
	if testing.Short() {
		checks, steps = checks*5, steps*2
	}
	setRapidFlag(t, "rapid.checks", strconv.Itoa(checks))
	setRapidFlag(t, "rapid.steps", strconv.Itoa(steps))
	start := strconv.Itoa(sagaReproStartSeed)
	if *sagaReproRandom {
		start = "0" // rapid draws one
	}
	setRapidFlag(t, "rapid.seed", start)

	first := &recordTB{}
	began := time.Now()
	rapid.Check(first, buggy)
	took1 := time.Since(began)
	if !first.failed {
		t.Fatal("the no-dedup bug under duplicate delivery passed 100 cases")
	}
	rep1, ok := first.report()
	if !ok {
		t.Fatalf("rapid's report is not a reproducible failure:\n%s", strings.Join(first.errors, "\n"))
	}
	if !strings.Contains(rep1.message, "duplicate effect") {
		t.Errorf("the failure is %q, want a duplicate effect", rep1.message)
	}
	t.Logf("first run (start seed %s, %v): failed after %s passing cases, printed -rapid.seed=%s: %s", start, took1.Round(time.Millisecond), rep1.passed, rep1.seed, rep1.message)
	t.Logf("shrunk case:\n%s", strings.Join(first.output, "\n"))

	setRapidFlag(t, "rapid.seed", rep1.seed)
	second := &recordTB{}
	began = time.Now()
	rapid.Check(second, buggy)
	took2 := time.Since(began)
	t.Logf("second run (-rapid.seed=%s, %v)", rep1.seed, took2.Round(time.Millisecond))
	rep2, ok := second.report()
	switch {
	case !second.failed:
		t.Fatalf("-rapid.seed=%s passed", rep1.seed)
	case !ok:
		t.Fatalf("-rapid.seed=%s: the report is not a reproducible failure:\n%s", rep1.seed, strings.Join(second.errors, "\n"))
	}
	if rep2.passed != "0" || rep2.seed != rep1.seed {
		t.Errorf("-rapid.seed=%s: failed after %s cases with seed %s, want the first case, seed %s", rep1.seed, rep2.passed, rep2.seed, rep1.seed)
	}
	if rep2.message != rep1.message {
		t.Errorf("-rapid.seed=%s failed differently:\n%s\nwant\n%s", rep1.seed, rep2.message, rep1.message)
	}
	if !slices.Equal(second.output, first.output) || len(first.output) == 0 {
		t.Errorf("-rapid.seed=%s shrank to another case (shrinking took %v and %v; a shrink cut short by -rapid.shrinktime=%s can do that):\n%s\nwant\n%s",
			rep1.seed, took1, took2, flag.Lookup("rapid.shrinktime").Value, strings.Join(second.output, "\n"), strings.Join(first.output, "\n"))
	}
}
