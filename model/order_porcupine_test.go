package model

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

const (
	none      = vocab.StatusNone
	placed    = vocab.StatusPlaced
	reserved  = vocab.StatusReserved
	charged   = vocab.StatusCharged
	shipped   = vocab.StatusShipped
	completed = vocab.StatusCompleted
	rejected  = vocab.StatusRejected
	declined  = vocab.StatusDeclined
	cancelled = vocab.StatusCancelled
)

// PROTOCOL.md, Saga: the internal transitions a reader may observe.
func TestClosure(t *testing.T) {
	cases := []struct {
		from StatusSet
		want StatusSet
	}{
		{SetOf(none), SetOf(none)},
		{SetOf(placed), SetOf(placed, reserved, rejected, charged, declined, shipped, completed)},
		{SetOf(reserved), SetOf(reserved, charged, declined, shipped, completed)},
		{SetOf(charged), SetOf(charged, shipped, completed)},
		{SetOf(shipped), SetOf(shipped, completed)},
		{SetOf(completed), SetOf(completed)},
		{SetOf(rejected), SetOf(rejected)},
		{SetOf(declined), SetOf(declined)},
		{SetOf(cancelled), SetOf(cancelled)},
		{SetOf(none, shipped), SetOf(none, shipped, completed)},
	}
	for _, c := range cases {
		if got := c.from.Closure(); got != c.want {
			t.Errorf("closure %v = %v, want %v", c.from, got, c.want)
		}
		if got := c.want.Closure(); got != c.want {
			t.Errorf("closure is not idempotent on %v: %v", c.want, got)
		}
	}
}

func TestStepOrder(t *testing.T) {
	ok := func(status string) OrderOutput { return OrderOutput{Type: vocab.TypeOK, Status: status} }
	fail := func(err string) OrderOutput { return OrderOutput{Type: vocab.TypeFail, Error: err} }
	info := OrderOutput{Type: vocab.TypeInfo}
	cases := []struct {
		name   string
		from   StatusSet
		f      string
		out    OrderOutput
		legal  bool
		result StatusSet // compared by closure; ignored when !legal
	}{
		{"place ok from none", SetOf(none), vocab.FPlace, ok(""), true, SetOf(placed)},
		{"place ok twice", SetOf(placed), vocab.FPlace, ok(""), false, 0},
		{"place info from none may or may not place", SetOf(none), vocab.FPlace, info, true, SetOf(none, placed)},
		{"place info on a placed order did nothing", SetOf(charged), vocab.FPlace, info, true, SetOf(charged)},
		{"place fail wrote nothing", SetOf(reserved), vocab.FPlace, fail(vocab.ErrDuplicateID), true, SetOf(reserved)},
		{"cancel ok from placed", SetOf(placed), vocab.FCancel, ok(""), true, SetOf(cancelled)},
		{"cancel ok after saga steps", SetOf(none, placed), vocab.FCancel, ok(""), true, SetOf(cancelled)},
		{"cancel ok on charged", SetOf(charged), vocab.FCancel, ok(""), false, 0},
		{"cancel ok on none", SetOf(none), vocab.FCancel, ok(""), false, 0},
		{"cancel info on charged did nothing", SetOf(charged), vocab.FCancel, info, true, SetOf(charged)},
		{"cancel info on reserved", SetOf(reserved), vocab.FCancel, info, true, SetOf(reserved, cancelled)},
		{"not-found from none", SetOf(none), vocab.FCancel, fail(vocab.ErrNotFound), true, SetOf(none)},
		{"not-found narrows", SetOf(none, placed), vocab.FCancel, fail(vocab.ErrNotFound), true, SetOf(none)},
		{"not-found on placed", SetOf(placed), vocab.FCancel, fail(vocab.ErrNotFound), false, 0},
		{"not-cancellable after saga", SetOf(placed), vocab.FCancel, fail(vocab.ErrNotCancellable), true,
			SetOf(charged, shipped, completed, rejected, declined)},
		{"not-cancellable on none", SetOf(none), vocab.FCancel, fail(vocab.ErrNotCancellable), false, 0},
		{"not-cancellable on cancelled", SetOf(cancelled), vocab.FCancel, fail(vocab.ErrNotCancellable), true, SetOf(cancelled)},
		{"other cancel error wrote nothing", SetOf(placed), vocab.FCancel, fail("invalid: x"), true, SetOf(placed)},
		{"read reachable", SetOf(placed), vocab.FReadStrong, ok(shipped), true, SetOf(shipped)},
		{"read same", SetOf(reserved), vocab.FReadStrong, ok(reserved), true, SetOf(reserved)},
		{"read backwards", SetOf(charged), vocab.FReadStrong, ok(reserved), false, 0},
		{"read none after place", SetOf(placed), vocab.FReadStrong, ok(none), false, 0},
		{"read cancelled without cancel", SetOf(placed), vocab.FReadStrong, ok(cancelled), false, 0},
		{"read garbage status", SetOf(placed), vocab.FReadStrong, ok("lost"), false, 0},
		{"read info observed nothing", SetOf(placed), vocab.FReadStrong, info, true, SetOf(placed)},
		{"unknown f", SetOf(none), vocab.FRestock, ok(""), false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := OrderInput{Key: "o-1", F: c.f}
			legal, got := StepOrder(c.from, in, c.out)
			if legal != c.legal {
				t.Fatalf("%v %s: legal = %v, want %v", c.from, DescribeOrderOp(in, c.out), legal, c.legal)
			}
			if legal && got.Closure() != c.result.Closure() {
				t.Fatalf("%v %s → %v, want %v", c.from, DescribeOrderOp(in, c.out), got, c.result)
			}
		})
	}
}

// Every state, every op: Step is deterministic, an info op is always legal
// and allows at least what the ok op allows, and Equal agrees with Hash.
func TestStepOrderProperties(t *testing.T) {
	m := OrderModel()
	outs := []OrderOutput{{Type: vocab.TypeOK}, {Type: vocab.TypeInfo},
		{Type: vocab.TypeFail, Error: vocab.ErrNotFound}, {Type: vocab.TypeFail, Error: vocab.ErrNotCancellable}}
	for _, s := range vocab.Statuses {
		outs = append(outs, OrderOutput{Type: vocab.TypeOK, Status: s})
	}
	for s := StatusSet(1); s < 1<<len(vocab.Statuses); s++ {
		for _, f := range []string{vocab.FPlace, vocab.FCancel, vocab.FReadStrong} {
			in := OrderInput{Key: "o-1", F: f}
			for _, out := range outs {
				ok1, r1 := m.Step(s, in, out)
				ok2, r2 := m.Step(s, in, out)
				if ok1 != ok2 || (ok1 && r1 != r2) {
					t.Fatalf("%v %s: not deterministic", s, DescribeOrderOp(in, out))
				}
			}
			okInfo, rInfo := StepOrder(s, in, OrderOutput{Type: vocab.TypeInfo})
			if !okInfo {
				t.Fatalf("%v %s → info is illegal", s, f)
			}
			if okOK, rOK := StepOrder(s, in, OrderOutput{Type: vocab.TypeOK}); okOK && f != vocab.FReadStrong &&
				rOK.Closure()&^rInfo.Closure() != 0 {
				t.Fatalf("%v %s: info %v does not cover ok %v", s, f, rInfo, rOK)
			}
		}
		if !m.Equal(s, s.Closure()) || m.Hash(s) != m.Hash(s.Closure()) {
			t.Fatalf("%v and its closure differ", s)
		}
	}
}

// OrdersModel (unpartitioned) and OrderModel (partitioned) must agree on
// every history: partitioning is sound only if orders are independent.
func TestOrdersModelAgreesWithPartitioned(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{"o-1", "o-2", "o-3"}
	verdicts := map[bool]int{}
	for i := 0; i < 400; i++ {
		h := randomHistory(rng, keys, 8)
		part := porcupine.CheckOperations(OrderModel(), h)
		whole := porcupine.CheckOperations(OrdersModel(keys), h)
		if part != whole {
			t.Fatalf("history %d: partitioned %v, unpartitioned %v:\n%v", i, part, whole, h)
		}
		verdicts[part]++
	}
	if verdicts[true] == 0 || verdicts[false] == 0 {
		t.Fatalf("random histories were all one verdict: %v", verdicts)
	}
}

// randomHistory makes n overlapping ops on keys with random outcomes: most are
// not linearizable, enough are to exercise both verdicts.
func randomHistory(rng *rand.Rand, keys []string, n int) []porcupine.Operation {
	fs := []string{vocab.FPlace, vocab.FCancel, vocab.FReadStrong, vocab.FReadStrong}
	ops := make([]porcupine.Operation, n)
	for i := range ops {
		call := int64(rng.IntN(20))
		out := OrderOutput{Type: vocab.TypeOK}
		in := OrderInput{Key: keys[rng.IntN(len(keys))], F: fs[rng.IntN(len(fs))]}
		switch {
		case in.F == vocab.FReadStrong:
			out.Status = vocab.Statuses[rng.IntN(4)]
		case rng.IntN(4) == 0:
			out.Type = vocab.TypeInfo
		case in.F == vocab.FCancel && rng.IntN(2) == 0:
			out = OrderOutput{Type: vocab.TypeFail, Error: vocab.ErrNotFound}
		}
		ret := call + 1 + int64(rng.IntN(6))
		if out.Type == vocab.TypeInfo {
			ret = 1 << 62
		}
		ops[i] = porcupine.Operation{ClientId: i, Input: in, Output: out, Call: call, Return: ret}
	}
	return ops
}

func TestOrdersModelStepSharesUnchangedState(t *testing.T) {
	m := OrdersModel([]string{"o-1", "o-2"})
	s0 := m.Init()
	read := OrderOutput{Type: vocab.TypeOK, Status: none}
	ok, s1 := m.Step(s0, OrderInput{Key: "o-2", F: vocab.FReadStrong}, read)
	if !ok || s1 != s0 {
		t.Fatalf("a read of none from Init should keep the state")
	}
	ok, s2 := m.Step(s0, OrderInput{Key: "o-2", F: vocab.FPlace}, OrderOutput{Type: vocab.TypeOK})
	if !ok || m.Equal(s0, s2) || m.Hash(s0) == m.Hash(s2) {
		t.Fatalf("place should change the state")
	}
	if !m.Equal(s0, m.Init()) || m.Hash(s0) != 0 {
		t.Fatalf("Step mutated its input state: %s", m.DescribeState(s0))
	}
	if got, want := m.DescribeState(s2), fmt.Sprintf("{o-2: %v}", SetOf(placed).Closure()); got != want {
		t.Fatalf("DescribeState = %s, want %s", got, want)
	}
	if ok, s3 := m.Step(s0, OrderInput{Key: "o-2", F: vocab.FPlace}, OrderOutput{Type: vocab.TypeOK}); !ok || !m.Equal(s2, s3) {
		t.Fatalf("equal steps should give equal states")
	}
}
