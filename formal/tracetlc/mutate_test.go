package tracetlc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker/tracemodel"
)

// mutatedBatch returns up to five orders of a correct run the Go model
// accepts, the middle one (index mid) with the first append in the second
// half of its steps (step k) moved to the next stream version; the Go model
// rejects that order at step k.
func mutatedBatch(t *testing.T) (batch []*tracemodel.Projection, mid, k int) {
	t.Helper()
	projs, _ := simProjections(t, 2, "", 200)
	for _, p := range projs {
		if v := tracemodel.Validate("", p); v.Accepted && len(batch) < 5 {
			batch = append(batch, p)
		}
	}
	if len(batch) < 3 {
		t.Fatalf("only %d accepted orders", len(batch))
	}
	mid = len(batch) / 2
	m := *batch[mid]
	m.Steps = append([]tracemodel.Obs(nil), m.Steps...)
	k = -1
	for i := len(m.Steps) / 2; i < len(m.Steps) && k < 0; i++ {
		if len(m.Steps[i].Events) > 0 {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("order %s: no append in the second half of its %d steps", m.Order, len(m.Steps))
	}
	m.Steps[k].Events = append([]tracemodel.Ev(nil), m.Steps[k].Events...)
	m.Steps[k].Events[0].Ver++ // the event lands at a version the model does not write
	batch[mid] = &m
	if v := tracemodel.Validate("", &m); !v.Rejected() || v.Step != k {
		t.Fatalf("Go model on the mutated order %s: %+v (want rejected at step %d)", m.Order, v, k)
	}
	return batch, mid, k
}

// In a batch, a mutated event in the middle order is rejected by TLC at
// that order and at the Go model's step, and the orders around it are
// still accepted: the segments are validated independently.
func TestTLCBatchRejectsMutatedMiddleOrder(t *testing.T) {
	tlc := findTLC(t)
	batch, mid, k := mutatedBatch(t)
	r := validateAll(t, tlc, "", batch)
	for i, p := range batch {
		agree(t, "", p, tracemodel.Validate("", p), r.Results[i])
	}
	if got := r.Results[mid]; got.Verdict != Rejected || got.Step != k {
		t.Fatalf("TLC on the mutated middle order: %+v (want rejected at step %d)", got, k)
	}
	t.Logf("order %s (segment %d of %d) rejected by TLC at step %d (trace event %d); %d states",
		batch[mid].Order, mid+1, len(batch), k, r.Results[mid].Index, r.States)
}

// The rejection comes from the trace spec's step check: a copy of the spec
// whose Delta no longer compares stream versions accepts the mutated order
// the Go model rejects (a deliberate difference the agreement test would
// report).
func TestTLCWeakenedSpecAcceptsMutation(t *testing.T) {
	tlc := findTLC(t)
	batch, mid, _ := mutatedBatch(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tla", "trace"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"OrderSaga.tla", "trace/OrderSagaTrace.tla", "trace/OrderSagaTrace.cfg"} {
		b, err := os.ReadFile(filepath.Join("../../spec/tla", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "trace/OrderSagaTrace.tla" {
			const check = "/\\ e.ver = evs[i].ver "
			if !strings.Contains(string(b), check) {
				t.Fatalf("%s: no %q to remove", f, check)
			}
			b = []byte(strings.Replace(string(b), check, "", 1))
		}
		if err := os.WriteFile(filepath.Join(dir, "tla", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := validateIn(t, tlc, dir, "", batch)
	if got := r.Results[mid]; got.Verdict != Accepted {
		t.Fatalf("weakened spec on the mutated middle order: %+v (want accepted: the version check was removed)", got)
	}
}
