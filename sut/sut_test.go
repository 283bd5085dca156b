package sut_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/sut"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// counterTest is the example's counter under test; stale makes every
// other get answer the value of the previous get (a stale cache).
func counterTest(seed uint64, stale bool) sut.Test {
	c := &counter{n: map[string]int{}}
	var last int
	flip := false
	return sut.Test{
		Name:  "counter",
		Nodes: []string{"n1", "n2"},
		NewClient: func() sut.Client {
			if !stale {
				return &counterClient{c: c}
			}
			return clientFunc(func(ctx context.Context, op sut.Op) sut.Reply {
				r := (&counterClient{c: c}).Invoke(ctx, op)
				if op.F == "get" {
					if flip = !flip; flip {
						return sut.Ok(last)
					}
					last = r.Value.(int)
				}
				return r
			})
		},
		Workload: sut.Workload{
			Keys: []string{"c"},
			Mix:  []sut.Kind{{F: "get", Weight: 1}, {F: "add", Weight: 1, Value: func(r *rand.Rand) any { return 1 + r.IntN(3) }}},
		},
		Checkers: []checker.Checker{sut.Linearizable(counterModel())},
		Seed:     seed, Ops: 100, Stepped: true, Log: io.Discard,
	}
}

// clientFunc is a Client made of its Invoke.
type clientFunc func(context.Context, sut.Op) sut.Reply

func (f clientFunc) Open(context.Context, string) error              { return nil }
func (f clientFunc) Close(context.Context) error                     { return nil }
func (f clientFunc) Invoke(ctx context.Context, op sut.Op) sut.Reply { return f(ctx, op) }

// closeCounter counts the Close calls of a client.
type closeCounter struct {
	n *int
	clientFunc
}

func (c closeCounter) Close(context.Context) error { *c.n++; return nil }

func run(t *testing.T, test sut.Test) sut.Result {
	t.Helper()
	res, err := sut.Run(context.Background(), test)
	if err != nil {
		t.Fatalf("seed %d: %v", test.Seed, err)
	}
	return res
}

// A bad Test is refused with an error naming the field.
func TestValidate(t *testing.T) {
	for field, mut := range map[string]func(*sut.Test){
		"Nodes":           func(x *sut.Test) { x.Nodes = nil },
		"NewClient":       func(x *sut.Test) { x.NewClient = nil },
		"Checkers":        func(x *sut.Test) { x.Checkers = nil },
		"Concurrency":     func(x *sut.Test) { x.Concurrency = -1 },
		"weight":          func(x *sut.Test) { x.Workload.Mix[0].Weight = 0 },
		"Generate or Mix": func(x *sut.Test) { x.Workload.Mix = nil },
		"Start and Stop": func(x *sut.Test) {
			x.Nemesis.Faults = []sut.Fault{{Name: "crash", Targets: []string{"n1"}}}
		},
		"two checkers": func(x *sut.Test) { x.Checkers = append(x.Checkers, x.Checkers[0]) },
		"Decode":       func(x *sut.Test) { x.Checkers = []checker.Checker{sut.Linearizable(sut.Model{Name: "m"})} },
	} {
		test := counterTest(1, false)
		mut(&test)
		if err := test.Validate(); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v, want it to name %q", field, err, field)
		}
	}
	if err := counterTest(1, false).Validate(); err != nil {
		t.Fatal(err)
	}
}

// The checker finds the stale counter and passes the correct one.
func TestLinearizableVerdicts(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		if res := run(t, counterTest(seed, false)); res.Valid != checker.Valid {
			t.Fatalf("correct counter, seed %d: %v %+v", seed, res.Valid, res.Checkers)
		}
		res := run(t, counterTest(seed, true))
		if res.Valid != checker.Invalid || res.Anomalies[0] != vocab.AnomalyNonlinearizable {
			t.Fatalf("stale counter, seed %d: %v %v", seed, res.Valid, res.Anomalies)
		}
	}
}

// A process whose op ended info is retired: the next op of its slot
// comes from a new process with a new, freshly opened client; the info op
// may still have taken effect and the checker allows it either way.
func TestInfoRetiresProcess(t *testing.T) {
	test := counterTest(3, false)
	inner := test.NewClient
	opened, closed := 0, 0
	calls := 0
	test.NewClient = func() sut.Client {
		cl := inner()
		opened++
		return closeCounter{&closed, clientFunc(func(ctx context.Context, op sut.Op) sut.Reply {
			calls++
			r := cl.Invoke(ctx, op)
			if op.F == "add" && calls%7 == 0 {
				return sut.Unknown("reply lost") // applied, but the client cannot know
			}
			return r
		})}
	}
	res := run(t, test)
	if closed != opened {
		t.Fatalf("%d clients opened, %d closed", opened, closed)
	}
	if res.Stats.Info == 0 {
		t.Fatal("no info op: the test does not test retirement")
	}
	if want := sut.ConcurrencyDefault + res.Stats.Info; opened != want {
		t.Fatalf("%d clients opened, want %d (one per process, a new one per info)", opened, want)
	}
	infoProc := map[int]bool{}
	for _, op := range res.Ops {
		if op.Type == vocab.TypeInfo && op.IsClient() {
			infoProc[op.Process] = true
		} else if op.Type == vocab.TypeInvoke && infoProc[op.Process] {
			t.Fatalf("op %d: process %d invoked after its info", op.Index, op.Process)
		}
	}
	if res.Valid != checker.Valid {
		t.Fatalf("info adds that took effect judged %v: %+v", res.Valid, res.Checkers)
	}
}

// Fault windows are drawn from the seed, never overlap per fault and
// target, reach the callbacks, and are recorded in the history; a failing
// callback ends the run with an error naming the fault.
func TestNemesis(t *testing.T) {
	test := counterTest(5, false)
	var started, stopped []string
	test.Nemesis = sut.Nemesis{Gap: 20 * time.Millisecond, Faults: []sut.Fault{{
		Name: "pause", Targets: test.Nodes, Min: time.Millisecond, Max: 30 * time.Millisecond,
		Start: func(_ context.Context, n string) error { started = append(started, n); return nil },
		Stop:  func(_ context.Context, n string) error { stopped = append(stopped, n); return nil },
	}}}
	test.Ops = 400
	res := run(t, test)
	if len(started) == 0 || len(started) != len(stopped) || len(res.Schedule) != len(started) {
		t.Fatalf("%d starts, %d stops, %d windows opened", len(started), len(stopped), len(res.Schedule))
	}
	edges := 0
	for _, op := range res.Ops {
		if op.F == vocab.FNemesis && op.Value != nil && op.Value.Fault == "pause" {
			edges++
		}
	}
	if edges != 2*len(started) {
		t.Fatalf("%d nemesis edges in the history, want %d", edges, 2*len(started))
	}
	if res.Marks["ops-during-pause"] == 0 || res.Marks["not-ok-during-pause"] != 0 {
		t.Fatalf("marks %v: want ops during pauses, none failed (the counter ignores them)", res.Marks)
	}
	r := rand.New(rand.NewPCG(1, 2))
	s := test.Nemesis.Schedule(r, 10*time.Second)
	end := map[string]time.Duration{}
	for _, w := range s {
		if end[w.Target]+10*time.Millisecond > w.Start {
			t.Fatalf("window %v overlaps one ending at %v", w, end[w.Target])
		}
		end[w.Target] = w.Stop
	}
	if _, err := test.Nemesis.Only([]string{"flood"}); err == nil || !strings.Contains(err.Error(), "pause") {
		t.Fatalf("unknown fault: error %v, want it to list pause", err)
	}
	test.Nemesis.Faults[0].Start = func(context.Context, string) error { return errors.New("no such process") }
	if _, err := sut.Run(context.Background(), test); err == nil || !strings.Contains(err.Error(), "start pause@") {
		t.Fatalf("failing fault callback: error %v", err)
	}
}

// A Stepped run of a deterministic system gives a byte-identical history
// for a seed, and another history for another seed.
func TestSteppedSameSeedSameBytes(t *testing.T) {
	hist := func(seed uint64) []byte {
		test := counterTest(seed, false)
		test.OutDir = t.TempDir()
		run(t, test)
		b, err := os.ReadFile(filepath.Join(test.OutDir, "history.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := hist(11), hist(11)
	if string(a) != string(b) || len(a) == 0 {
		t.Fatalf("seed 11: histories differ (%d and %d bytes)", len(a), len(b))
	}
	if string(a) == string(hist(12)) {
		t.Fatal("seeds 11 and 12 gave the same history")
	}
}

// Rechecking a stored run gives the live verdict; a model that is not
// built in is unknown without the test's own checker, and judged with it.
func TestRecheck(t *testing.T) {
	test := counterTest(2, true)
	test.OutDir = t.TempDir()
	live := run(t, test)
	path := filepath.Join(test.OutDir, "history.jsonl")
	res, err := sut.Recheck(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid != checker.Unknown || !strings.Contains(res.Checkers["linearizable"].Note, `"counter" is not built in`) {
		t.Fatalf("without the model: %v %q", res.Valid, res.Checkers["linearizable"].Note)
	}
	res, err = sut.Recheck(path, "", test.Checkers...)
	if err != nil || res.Valid != live.Valid || res.Seed != 2 {
		t.Fatalf("with the model: %v seed %d (live %v), %v", res.Valid, res.Seed, live.Valid, err)
	}
	if _, err := sut.Recheck(filepath.Join(t.TempDir(), "history.jsonl"), ""); !errors.Is(err, sut.ErrNoSpec) {
		t.Fatalf("no test.json: %v", err)
	}
	h, _ := history.ReadFile(path)
	if len(h.Ops) != len(live.Ops) {
		t.Fatalf("history.jsonl has %d ops, the run %d", len(h.Ops), len(live.Ops))
	}
}

// A client that answers no outcome, or a value that is not JSON, ends the
// run with an error naming the op; nothing is judged from it.
func TestBadReplies(t *testing.T) {
	for want, reply := range map[string]sut.Reply{
		`outcome "" is not ok, fail or info`: {},
		"json: unsupported type":             sut.Ok(make(chan int)),
	} {
		test := counterTest(1, false)
		test.NewClient = func() sut.Client {
			return clientFunc(func(context.Context, sut.Op) sut.Reply { return reply })
		}
		_, err := sut.Run(context.Background(), test)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "process") {
			t.Errorf("reply %+v: error %v, want one naming the process and %q", reply, err, want)
		}
	}
}

// In real time, each Invoke gets the Timeout as its deadline, and a client
// that gives up on it with Unknown retires its process.
func TestRealTimeDeadline(t *testing.T) {
	test := counterTest(1, false)
	test.Stepped, test.Ops, test.Timeout = false, 20, 5*time.Millisecond
	test.NewClient = func() sut.Client {
		return clientFunc(func(ctx context.Context, op sut.Op) sut.Reply {
			dl, ok := ctx.Deadline()
			if !ok || time.Until(dl) > 5*time.Millisecond {
				return sut.Failed("no deadline of 5ms: %v %v", dl, ok)
			}
			<-ctx.Done()
			return sut.Unknown("timeout")
		})
	}
	res := run(t, test)
	if res.Stats.Info != res.Stats.Ops || res.Stats.Ops != 20 {
		t.Fatalf("%+v: want 20 ops, all info", res.Stats)
	}
}

// A run killed mid-write leaves test.json and a history whose last line is
// cut: Recheck judges the complete lines with the recorded checkers.
func TestRecheckTruncatedHistory(t *testing.T) {
	test := counterTest(4, true)
	test.OutDir = t.TempDir()
	run(t, test)
	path := filepath.Join(test.OutDir, "history.jsonl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := sut.Recheck(path, "", test.Checkers...)
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid != checker.Invalid || res.Stats.Ops == 0 {
		t.Fatalf("cut history: %v over %d ops, want the stale counter found", res.Valid, res.Stats.Ops)
	}
}

// A cancelled context ends the main phase early; what ran is judged.
func TestCancelledRun(t *testing.T) {
	test := counterTest(1, false)
	test.Stepped, test.Ops = false, 100000
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res, err := sut.Run(ctx, test)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Ops == 0 || res.Stats.Ops >= 100000 || res.Valid != checker.Valid {
		t.Fatalf("cancelled run: %d ops, %v", res.Stats.Ops, res.Valid)
	}
}

// A Stepped run overlaps operations: most invokes happen while another
// process's op is in flight, so linearizability is not checked on a
// sequential history.
func TestSteppedOpsOverlap(t *testing.T) {
	res := run(t, counterTest(9, false))
	inFlight, overlapped, invokes := 0, 0, 0
	for _, op := range res.Ops {
		switch {
		case !op.IsClient():
		case op.Type == vocab.TypeInvoke:
			invokes++
			if inFlight > 0 {
				overlapped++
			}
			inFlight++
		default:
			inFlight--
		}
	}
	if overlapped*2 < invokes {
		t.Fatalf("%d of %d invokes overlapped another op: want most", overlapped, invokes)
	}
}
