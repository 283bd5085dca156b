package sut_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/sut"
)

// queue is an in-memory log of values per key. With reuseOffset, every
// fifth send is acknowledged at the next offset but not stored, so the
// next send takes the same offset: one offset, two values.
type queue struct {
	mu          sync.Mutex
	logs        map[string][]int64
	sends       int
	reuseOffset bool
}

// queueClient sends and polls in assign mode: it polls every key from
// where its last poll ended.
type queueClient struct {
	q   *queue
	pos map[string]int
}

func (c *queueClient) Open(context.Context, string) error { c.pos = map[string]int{}; return nil }
func (c *queueClient) Close(context.Context) error        { return nil }

func (c *queueClient) Invoke(_ context.Context, op sut.Op) sut.Reply {
	c.q.mu.Lock()
	defer c.q.mu.Unlock()
	mops := op.Value.([]logcheck.Mop)
	if op.F == logcheck.FSend {
		m := mops[0]
		offset := len(c.q.logs[m.Key])
		c.q.sends++
		if !c.q.reuseOffset || c.q.sends%5 != 0 {
			c.q.logs[m.Key] = append(c.q.logs[m.Key], m.Value)
		}
		return sut.Ok([]logcheck.Mop{logcheck.Send(m.Key, m.Value, int64(offset))})
	}
	polled := map[string][]logcheck.Entry{}
	for key, log := range c.q.logs {
		for i := c.pos[key]; i < len(log); i++ {
			polled[key] = append(polled[key], logcheck.Entry{Offset: int64(i), Value: log[i]})
		}
		c.pos[key] = len(log)
	}
	return sut.Ok([]logcheck.Mop{logcheck.Poll(polled)})
}

func queueTest(seed uint64, bug bool) sut.Test {
	q := &queue{logs: map[string][]int64{}, reuseOffset: bug}
	var next int64
	return sut.Test{
		Name:      "queue",
		Nodes:     []string{"n1"},
		NewClient: func() sut.Client { return &queueClient{q: q} },
		Workload: sut.Workload{Generate: func(r *rand.Rand) sut.Op {
			if r.IntN(2) == 0 {
				return sut.Op{F: logcheck.FPoll, Value: []logcheck.Mop{logcheck.Poll(nil)}}
			}
			next++ // unique values, as the log checker needs
			key := fmt.Sprintf("t-%d", r.IntN(2))
			return sut.Op{F: logcheck.FSend, Key: key, Value: []logcheck.Mop{logcheck.Send(key, next, logcheck.OffsetUnknown)}}
		}},
		// A fault that does nothing, so that nemesis ops sit between the
		// client ops in history.jsonl.
		Nemesis: sut.Nemesis{Gap: 5 * time.Millisecond, Faults: []sut.Fault{{Name: "noop", Targets: []string{"n1"},
			Start: func(context.Context, string) error { return nil }, Stop: func(context.Context, string) error { return nil }}}},
		Checkers: []checker.Checker{sut.LogChecker(logcheck.Options{Mode: logcheck.ModeAssign})},
		Seed:     seed, Ops: 200, Stepped: true, Log: io.Discard,
	}
}

// The log checker judges a queue's history through the API: a correct
// queue is valid; one that gives an offset to two values is caught as
// inconsistent-offsets, with op indices of history.jsonl (nemesis ops
// included in the numbering).
func TestLogChecker(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		if res := run(t, queueTest(seed, false)); res.Valid != checker.Valid {
			t.Fatalf("correct queue, seed %d: %v %+v", seed, res.Valid, res.Checkers)
		}
		res := run(t, queueTest(seed, true))
		if res.Valid != checker.Invalid || !slices.Contains(res.Anomalies, "inconsistent-offsets") {
			t.Fatalf("queue reusing offsets, seed %d: %v %v", seed, res.Valid, res.Anomalies)
		}
		if len(res.Schedule) == 0 {
			t.Fatalf("seed %d: no fault window opened", seed)
		}
		a := res.Checkers["log"].Anomalies[0]
		for _, i := range a.Ops {
			if op := res.Ops[i]; !op.IsClient() || op.F == logcheck.FSend && op.Key != a.Key {
				t.Fatalf("anomaly %s on %s names history op %d: %+v", a.Type, a.Key, i, op)
			}
		}
	}
	// A history that is not a log history is unknown, never valid.
	res := run(t, counterTest(1, false))
	c := sut.LogChecker(logcheck.Options{}).Check(&checker.Input{Ops: res.Ops})
	if c.Valid != checker.Unknown || !strings.Contains(c.Note, "micro-ops") {
		t.Fatalf("counter history under the log checker: %v %q", c.Valid, c.Note)
	}
}
