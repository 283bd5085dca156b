package logcheck

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// The checker is used where checkers are composed.
var _ checker.Checker = (*Checker)(nil)

// found is an anomaly as the corpus tests compare it: its type, key and ops.
type found struct {
	Type string
	Key  string
	Ops  []int
}

func (f found) String() string { return fmt.Sprintf("%s %s %v", f.Type, f.Key, f.Ops) }

func load(t *testing.T, name string) *History {
	t.Helper()
	h, err := ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if h.Truncated {
		t.Fatalf("%s: truncated", name)
	}
	return h
}

func analyze(t *testing.T, h *History) *Analysis {
	t.Helper()
	a, err := Analyze(h)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func foundOf(as []verdict.Anomaly) []found {
	out := []found{}
	for _, a := range as {
		out = append(out, found{a.Type, a.Key, a.Ops})
	}
	return out
}

func judge(t *testing.T, h *History, opts Options) verdict.Result {
	t.Helper()
	r, err := Check(h, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCorpusAnomalies: each testdata/<type>.jsonl shows exactly one anomaly,
// of that type, at those ops (testdata/README.md says what each shows), and
// the verdict in assign mode after final polls is invalid unless the type is
// tolerated there (int-send-skip: then valid, and named in the Note).
func TestCorpusAnomalies(t *testing.T) {
	want := map[string][]int{
		AnomalyInconsistentOffsets: {2, 3, 4, 5},
		AnomalyDuplicate:           {2, 3, 6, 7},
		AnomalyLostWrite:           {2, 3, 6, 7},
		AnomalyUnseen:              {2, 3},
		AnomalyG1a:                 {2, 3, 4, 5},
		AnomalyPollSkip:            {6, 7, 8, 9},
		AnomalyNonmonotonicPoll:    {4, 5, 6, 7},
		AnomalyIntPollSkip:         {6, 7},
		AnomalyIntNonmonotonicPoll: {4, 5},
		AnomalyNonmonotonicSend:    {0, 1, 2, 3},
		AnomalyIntSendSkip:         {0, 1},
		AnomalyIntNonmonotonicSend: {0, 1},
	}
	if len(want) != len(AnomalyTypes()) {
		t.Fatalf("the corpus covers %d of %d anomaly types", len(want), len(AnomalyTypes()))
	}
	for _, typ := range AnomalyTypes() {
		t.Run(typ, func(t *testing.T) {
			h := load(t, typ+".jsonl")
			a := analyze(t, h)
			if got, w := foundOf(a.Anomalies), []found{{typ, "x", want[typ]}}; !reflect.DeepEqual(got, w) {
				t.Fatalf("anomalies %v, want %v\n%v", got, w, a.Anomalies)
			}
			r := judge(t, h, Options{Mode: ModeAssign, FinalPolls: true})
			if slices.Contains(Tolerated(ModeAssign), typ) {
				if r.Valid != verdict.Valid || len(r.Anomalies) != 0 || !strings.Contains(r.Note, typ+": 1 found") {
					t.Fatalf("tolerated %s: %v %v %q", typ, r.Valid, r.Anomalies, r.Note)
				}
				return
			}
			if r.Valid != verdict.Invalid || len(r.Anomalies) != 1 || r.Anomalies[0].Type != typ {
				t.Fatalf("verdict %v %v %q", r.Valid, r.Anomalies, r.Note)
			}
			t.Logf("%s: %s", typ, r.Anomalies[0].Detail)
		})
	}
}

// TestValidHistory: several producers and consumers interleaved, a txn, an
// offset gap, an info send whose value was read (committed, in order) and an
// info send never read (not committed: neither lost nor unseen), a crash,
// and final polls. No anomaly at all, so valid in every mode.
func TestValidHistory(t *testing.T) {
	h := load(t, "valid.jsonl")
	a := analyze(t, h)
	if len(a.Anomalies) != 0 {
		t.Fatalf("anomalies %v", a.Anomalies)
	}
	if a.Ops != 17 || a.Keys != 2 {
		t.Fatalf("ops %d keys %d", a.Ops, a.Keys)
	}
	for _, m := range []Mode{ModeAssign, ModeSubscribe, ModeAuto} {
		if r := judge(t, h, Options{Mode: m, FinalPolls: true}); r.Valid != verdict.Valid || len(r.Anomalies) != 0 {
			t.Fatalf("mode %q: %v %v %q", m, r.Valid, r.Anomalies, r.Note)
		}
	}
}

// TestIndeterminateSends: Jepsen's must-have-committed? both ways. In
// info-read.jsonl the info sends' values were read, so they committed: the
// unread value of one is a lost write (x), and the other's claimed offset
// plus the offset it was polled at make a duplicate (y). info-unread.jsonl
// has the same info sends never read: not committed, so the higher offset
// read on x loses nothing and the claimed offset of y conflicts with nothing.
func TestIndeterminateSends(t *testing.T) {
	a := analyze(t, load(t, "info-read.jsonl"))
	want := []found{{AnomalyLostWrite, "x", []int{2, 3, 6, 7}}, {AnomalyDuplicate, "y", []int{8, 9, 10, 11}}}
	if got := foundOf(a.Anomalies); !reflect.DeepEqual(got, want) {
		t.Fatalf("info read: %v, want %v", got, want)
	}
	h := load(t, "info-unread.jsonl")
	if a := analyze(t, h); len(a.Anomalies) != 0 {
		t.Fatalf("info never read: %v", a.Anomalies)
	}
	if r := judge(t, h, Options{Mode: ModeAssign, FinalPolls: true}); r.Valid != verdict.Valid {
		t.Fatalf("info never read: %v %v", r.Valid, r.Anomalies)
	}
}

// TestModes: in rebalance.jsonl process 1 subscribes, polls offset 0, loses
// the key to process 2 in a rebalance (which reads offset 1), gets it back
// and polls offset 2: a poll-skip. Subscribe mode (explicit, or inferred
// from the subscribe ops) tolerates it, reported in the Note; assign mode
// flags it.
func TestModes(t *testing.T) {
	h := load(t, "rebalance.jsonl")
	want := []found{{AnomalyPollSkip, "x", []int{8, 9, 14, 15}}}
	if got := foundOf(analyze(t, h).Anomalies); !reflect.DeepEqual(got, want) {
		t.Fatalf("anomalies %v, want %v", got, want)
	}
	for _, m := range []Mode{ModeSubscribe, ModeAuto} {
		r := judge(t, h, Options{Mode: m, FinalPolls: true})
		if r.Valid != verdict.Valid || len(r.Anomalies) != 0 {
			t.Fatalf("mode %q: %v %v", m, r.Valid, r.Anomalies)
		}
		if !strings.Contains(r.Note, "tolerated in subscribe mode") || !strings.Contains(r.Note, "poll-skip: 1 found") {
			t.Fatalf("mode %q: the Note hides the poll-skip: %q", m, r.Note)
		}
	}
	r := judge(t, h, Options{Mode: ModeAssign, FinalPolls: true})
	if r.Valid != verdict.Invalid || !reflect.DeepEqual(foundOf(r.Anomalies), want) {
		t.Fatalf("assign: %v %v", r.Valid, r.Anomalies)
	}
}

// TestRebalanceField: a key named in an op's rebalance list resets the
// process's position for it (no poll-skip even in assign mode) and exempts
// the op's own entries of it from the int-poll checks.
func TestRebalanceField(t *testing.T) {
	h := load(t, "rebalance.jsonl")
	h.Ops[15].Rebalance = []string{"x"}
	if a := analyze(t, h); len(a.Anomalies) != 0 {
		t.Fatalf("cross-op: %v", a.Anomalies)
	}
	h = load(t, "int-poll-skip.jsonl")
	h.Ops[7].Rebalance = []string{"x"}
	if a := analyze(t, h); len(a.Anomalies) != 0 {
		t.Fatalf("within the op: %v", a.Anomalies)
	}
}

// TestResets: an assign, a subscribe, a crash or any info op resets the
// process's expected positions, so polling from the start again (as final
// polls do, Jepsen's final-polls: crash, assign, seek to beginning) is no
// nonmonotonic-poll; a failed assign or send changed nothing and resets
// nothing.
func TestResets(t *testing.T) {
	for _, c := range []struct {
		f, typ string
		reset  bool
	}{{FAssign, TypeOK, true}, {FSubscribe, TypeOK, true}, {FCrash, TypeInfo, true},
		{FAssign, TypeInfo, true}, {FAssign, TypeFail, false}, {FSend, TypeInfo, true}, {FSend, TypeFail, false}} {
		h := load(t, "nonmonotonic-poll.jsonl") // ops 4-5 and 6-7 are process 1's polls
		var v []Mop
		if c.f == FSend {
			v = []Mop{Send("x", 99, OffsetUnknown)} // never read: not committed, not unseen
		}
		mid := []Op{{Type: TypeInvoke, Process: 1, F: c.f, Value: v}, {Type: c.typ, Process: 1, F: c.f}}
		h.Ops = append(h.Ops[:6], append(mid, h.Ops[6:]...)...)
		for i := range h.Ops {
			h.Ops[i].Index = i
		}
		n := len(analyze(t, h).Anomalies)
		if c.reset && n != 0 || !c.reset && n != 1 {
			t.Errorf("%s %s: %d anomalies, reset %v", c.typ, c.f, n, c.reset)
		}
	}
}

// TestUnseenPolicy: unseen invalidates only after final polls; without them
// the counts are in the Note; with them but a truncated history the
// verdict is unknown (the cut-off end may have been the polls that read them).
func TestUnseenPolicy(t *testing.T) {
	h := load(t, "unseen.jsonl")
	r := judge(t, h, Options{})
	if r.Valid != verdict.Valid || !strings.Contains(r.Note, "unseen, not judged without final polls: x=1") {
		t.Fatalf("no final polls: %v %q", r.Valid, r.Note)
	}
	if r = judge(t, h, Options{FinalPolls: true}); r.Valid != verdict.Invalid {
		t.Fatalf("final polls: %v", r.Valid)
	}
	h.Truncated = true
	if r = judge(t, h, Options{FinalPolls: true}); r.Valid != verdict.Unknown || !strings.Contains(r.Note, "truncated") {
		t.Fatalf("truncated: %v %q", r.Valid, r.Note)
	}
	h = load(t, "valid.jsonl")
	h.Truncated = true // nothing unseen: the end is not needed
	if r = judge(t, h, Options{FinalPolls: true}); r.Valid != verdict.Valid {
		t.Fatalf("truncated, nothing unseen: %v %q", r.Valid, r.Note)
	}
}

// TestCap: anomalies past MaxPerType are counted in one last anomaly.
func TestCap(t *testing.T) {
	h := load(t, "G1a.jsonl")
	for i := 0; i < 4; i++ { // four more polls of the failed value
		p := 10 + i
		h.Ops = append(h.Ops, Op{Type: TypeInvoke, Process: p, F: FPoll},
			Op{Type: TypeOK, Process: p, F: FPoll, Value: []Mop{Poll(map[string][]Entry{"x": {{1, 2}}})}})
	}
	for i := range h.Ops {
		h.Ops[i].Index = i
	}
	r := judge(t, h, Options{MaxPerType: 2})
	if len(r.Anomalies) != 3 || r.Anomalies[2].Detail != "... and 3 more" || r.Anomalies[2].Type != AnomalyG1a {
		t.Fatalf("%v", r.Anomalies)
	}
}

// TestNew: the checker.Checker form validates options and history up front.
func TestNew(t *testing.T) {
	if _, err := New(&History{}, Options{Mode: "round-robin"}); err == nil {
		t.Fatal("bad mode accepted")
	}
	bad := &History{Ops: []Op{{Index: 0, Type: TypeOK, Process: 1, F: FSend}}}
	if _, err := New(bad, Options{}); err == nil || !strings.Contains(err.Error(), "no open invoke") {
		t.Fatalf("orphan completion: %v", err)
	}
	c, err := New(load(t, "G1a.jsonl"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := checker.Run(&checker.Input{}, []checker.Checker{c})
	if rep.Valid != verdict.Invalid || !reflect.DeepEqual(rep.AnomalyTypes(), []string{AnomalyG1a}) || c.Name() != "log" {
		t.Fatalf("%+v", rep)
	}
}
