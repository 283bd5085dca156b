package logcheck

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

// genConfig sizes a generated history. All randomness comes from seed.
type genConfig struct {
	seed   uint64
	events int // history lines to produce, about
	keys   int
	procs  int // concurrent client threads
}

// marker is a log slot taken by a transaction marker: it has an offset but
// no consumer ever sees it, so offsets have gaps (dense indices do not).
const marker = -1

// genThread is one client thread; its process number changes after an info
// op, as in Jepsen.
type genThread struct {
	process int
	pending *Op   // the open invoke, nil when idle
	pos     []int // per key, the next offset its consumer reads
}

// genLog simulates a correct log: per key, values at offsets, with markers.
// Sends land when they complete; polls return what follows the thread's
// position. Outcomes: ok, fail (did not land), info that landed, and info
// that did not; final polls then read every key to its end, so the history
// is valid in assign mode with FinalPolls.
func genLog(c genConfig) *History {
	rng := rand.New(rand.NewPCG(c.seed, c.seed^0x9e3779b97f4a7c15))
	keys := make([]string, c.keys)
	for i := range keys {
		keys[i] = "t-" + strconv.Itoa(i)
	}
	logs := make([][]int64, c.keys)
	threads := make([]genThread, c.procs)
	for i := range threads {
		threads[i] = genThread{process: i, pos: make([]int, c.keys)}
	}
	nextProc, nextValue, sent := c.procs, int64(1), 0
	h := &History{Ops: make([]Op, 0, c.events+c.events/50)}
	emit := func(op Op) *Op {
		op.Index, op.Time = len(h.Ops), int64(len(h.Ops))*1000
		h.Ops = append(h.Ops, op)
		return &h.Ops[len(h.Ops)-1]
	}
	land := func(k int, v int64) int64 {
		if rng.IntN(100) == 0 {
			logs[k] = append(logs[k], marker)
		}
		logs[k] = append(logs[k], v)
		return int64(len(logs[k]) - 1)
	}
	for len(h.Ops)+2*(sent/100+c.keys)+8 < c.events {
		t := &threads[rng.IntN(len(threads))]
		if t.pending == nil {
			op := Op{Type: TypeInvoke, Process: t.process}
			switch r := rng.IntN(1000); {
			case r < 500:
				op.F = FSend
				for range 1 + rng.IntN(3) {
					op.Value = append(op.Value, Send(keys[rng.IntN(c.keys)], nextValue, OffsetUnknown))
					nextValue++
				}
			case r < 995:
				op.F, op.Value = FPoll, []Mop{Poll(nil)}
			case r < 998:
				op.F = FAssign // positions are kept: the consumer seeks to where it was
			default:
				op.F = FCrash
			}
			t.pending = emit(op)
			continue
		}
		inv := *t.pending
		t.pending = nil
		done := Op{Type: TypeOK, Process: t.process, F: inv.F}
		switch inv.F {
		case FSend:
			r := rng.IntN(1000)
			switch {
			case r < 10:
				done.Type, done.Error = TypeFail, "rejected" // did not land
			case r < 15:
				done.Type, done.Error = TypeInfo, "timeout" // did not land
			case r < 30:
				done.Type, done.Error = TypeInfo, "timeout" // landed, offsets unknown to the client
				for _, m := range inv.Value {
					land(slices.Index(keys, m.Key), m.Value)
				}
			default:
				for _, m := range inv.Value {
					done.Value = append(done.Value, Send(m.Key, m.Value, land(slices.Index(keys, m.Key), m.Value)))
				}
				sent += len(inv.Value)
			}
		case FPoll:
			polled := map[string][]Entry{}
			for range 1 + rng.IntN(2) {
				k := rng.IntN(c.keys)
				if es := readFrom(logs[k], &t.pos[k], 5); len(es) > 0 {
					polled[keys[k]] = append(polled[keys[k]], es...)
				}
			}
			if len(polled) == 0 {
				polled = nil // as Read gives it back: "polled" is omitted when empty
			}
			done.Value = []Mop{Poll(polled)}
		case FCrash:
			done.Type = TypeInfo
		}
		emit(done)
		if done.Type == TypeInfo {
			t.process, nextProc = nextProc, nextProc+1
		}
	}
	// Final polls (Jepsen's final-polls): a fresh process assigns every key
	// and reads each from the beginning to its end.
	p := nextProc
	emit(Op{Type: TypeInvoke, Process: p, F: FAssign})
	emit(Op{Type: TypeOK, Process: p, F: FAssign})
	for k := range keys {
		for pos := 0; pos < len(logs[k]); {
			emit(Op{Type: TypeInvoke, Process: p, F: FPoll, Value: []Mop{Poll(nil)}})
			es := readFrom(logs[k], &pos, 100)
			emit(Op{Type: TypeOK, Process: p, F: FPoll, Value: []Mop{Poll(map[string][]Entry{keys[k]: es})}})
		}
	}
	return h
}

// readFrom returns up to n entries of log from *pos, skipping markers, and
// advances *pos past them.
func readFrom(log []int64, pos *int, n int) []Entry {
	var es []Entry
	for ; *pos < len(log) && len(es) < n; *pos++ {
		if log[*pos] != marker {
			es = append(es, Entry{int64(*pos), log[*pos]})
		}
	}
	return es
}

// TestGenerated: a generated correct history has no anomaly; written and
// read back it is the same; and a write the log then loses (removed from
// every poll that returned it) is caught as lost-write, with the gap in the
// polls around it (int-poll-skip) and the value unseen.
func TestGenerated(t *testing.T) {
	h := genLog(genConfig{seed: 7, events: 20_000, keys: 8, procs: 6})
	if err := Validate(h.Ops); err != nil {
		t.Fatal(err)
	}
	a := analyze(t, h)
	if len(a.Anomalies) != 0 {
		t.Fatalf("%d anomalies, first %v", len(a.Anomalies), a.Anomalies[0])
	}
	if r := judge(t, h, Options{Mode: ModeAssign, FinalPolls: true}); r.Valid != 0 {
		t.Fatalf("%v %q", r.Valid, r.Note)
	}
	var buf bytes.Buffer
	if err := Write(&buf, h.Ops); err != nil {
		t.Fatal(err)
	}
	again, err := Read(&buf, "gen.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for i := range h.Ops {
		if !reflect.DeepEqual(again.Ops[i], h.Ops[i]) {
			t.Fatalf("round trip changed op %d:\n%+v\n%+v", i, h.Ops[i], again.Ops[i])
		}
	}

	// Lose the value of the 100th ok send.
	var writer *Op
	for i, n := 0, 0; writer == nil; i++ {
		if op := &h.Ops[i]; op.Type == TypeOK && op.F == FSend && len(op.Value) == 1 {
			if n++; n == 100 {
				writer = op
			}
		}
	}
	lost := writer.Value[0]
	for i := range h.Ops {
		for _, m := range h.Ops[i].Value {
			if es, ok := m.Polled[lost.Key]; ok {
				m.Polled[lost.Key] = slices.DeleteFunc(es, func(e Entry) bool { return e.Value == lost.Value })
			}
		}
	}
	a = analyze(t, h)
	types := map[string]int{}
	for _, an := range a.Anomalies {
		types[an.Type]++
		if an.Type == AnomalyLostWrite && (an.Key != lost.Key || !slices.Contains(an.Ops, writer.Index)) {
			t.Fatalf("lost-write %v, want key %s op %d", an, lost.Key, writer.Index)
		}
	}
	if types[AnomalyLostWrite] != 1 || types[AnomalyUnseen] != 1 || types[AnomalyIntPollSkip] == 0 {
		t.Fatalf("anomaly counts %v", types)
	}
}
