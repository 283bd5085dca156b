package logcheck

import (
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// A type in Options.Tolerate is reported in the Note with the reason and
// does not invalidate; the same history without it is invalid. A name that
// is not an anomaly type is an error, not silently ignored.
func TestTolerateExtraTypes(t *testing.T) {
	h := load(t, "duplicate.jsonl")
	if r := judge(t, h, Options{Mode: ModeAssign, FinalPolls: true}); r.Valid != verdict.Invalid {
		t.Fatalf("without Tolerate: %v, want invalid", r.Valid)
	}
	r := judge(t, h, Options{Mode: ModeAssign, FinalPolls: true, Tolerate: []string{AnomalyDuplicate}, Why: "no idempotent producer"})
	if r.Valid != verdict.Valid || len(r.Anomalies) != 0 {
		t.Fatalf("with Tolerate duplicate: %v %v, want valid", r.Valid, r.Anomalies)
	}
	for _, want := range []string{"also tolerated: duplicate (no idempotent producer)", "tolerated by this system", "duplicate: 1 found"} {
		if !strings.Contains(r.Note, want) {
			t.Fatalf("note %q lacks %q", r.Note, want)
		}
	}
	if _, err := New(h, Options{Tolerate: []string{"dup"}}); err == nil || !strings.Contains(err.Error(), `"dup"`) {
		t.Fatalf("New with an unknown type: %v, want an error naming it", err)
	}
}
