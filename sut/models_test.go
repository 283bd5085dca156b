package sut

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// kvHist builds a history on key "x" from lines "P TYPE F [DATA]" (one op
// event per line, times 1, 2, 3, ... in line order).
func kvHist(t *testing.T, lines ...string) []history.Op {
	t.Helper()
	ops := make([]history.Op, len(lines))
	for i, l := range lines {
		f := strings.Fields(l)
		op := history.Op{Index: i, Type: f[1], F: f[2], Key: "x", Time: int64(i + 1)}
		op.Process = int(f[0][0] - '0')
		if len(f) > 3 {
			op.Value = &history.Value{Data: json.RawMessage(f[3])}
		}
		ops[i] = op
	}
	return ops
}

// Known-good and known-bad histories of the kv model; the expected verdict
// is in each case's name.
func TestKVModelCorpus(t *testing.T) {
	for name, lines := range map[string][]string{
		"valid/read-absent-then-written": {"0 invoke read", "0 ok read", "0 invoke write 1", "0 ok write", "0 invoke read", "0 ok read 1"},
		"invalid/stale-read-after-write": {"0 invoke write 1", "0 ok write", "1 invoke write 2", "1 ok write", "0 invoke read", "0 ok read 1"},
		"valid/concurrent-write-read-either": {"0 invoke write 1", "1 invoke read", "1 ok read", "0 ok write",
			"1 invoke read", "1 ok read 1"},
		// An info write may take effect at any time after its invoke, even
		// after a later read saw the old value.
		"valid/info-write-lands-late": {"0 invoke write 1", "0 ok write", "1 invoke write 2", "1 info write",
			"0 invoke read", "0 ok read 1", "0 invoke read", "0 ok read 2"},
		// ... but only once: having been seen, it cannot be unseen.
		"invalid/info-write-seen-then-unseen": {"0 invoke write 1", "0 ok write", "1 invoke write 2", "1 info write",
			"0 invoke read", "0 ok read 2", "0 invoke read", "0 ok read 1"},
		// A failed write took no effect.
		"invalid/failed-write-read":     {"0 invoke write 1", "0 fail write", "0 invoke read", "0 ok read 1"},
		"valid/cas-ok":                  {"0 invoke write 1", "0 ok write", "0 invoke cas [1,3]", "0 ok cas", "0 invoke read", "0 ok read 3"},
		"invalid/cas-ok-on-wrong-value": {"0 invoke write 1", "0 ok write", "0 invoke cas [2,3]", "0 ok cas"},
		"valid/info-cas-on-wrong-value": {"0 invoke write 1", "0 ok write", "1 invoke cas [2,3]", "1 info cas", "0 invoke read", "0 ok read 1"},
		"unknown/bad-argument":          {"0 invoke write \"one\"", "0 ok write"},
		"unknown/not-a-kv-op":           {"0 invoke incr", "0 ok incr"},
	} {
		t.Run(name, func(t *testing.T) {
			want := map[string]checker.Validity{"valid": checker.Valid, "invalid": checker.Invalid, "unknown": checker.Unknown}[strings.Split(name, "/")[0]]
			r := Linearizable(KVModel()).Check(&checker.Input{Ops: kvHist(t, lines...)})
			if r.Valid != want {
				t.Fatalf("%v, want %v: %s %v", r.Valid, want, r.Note, r.Anomalies)
			}
			if want == checker.Invalid && (r.Anomalies[0].Type != vocab.AnomalyNonlinearizable || r.Anomalies[0].Key != "x") {
				t.Fatalf("anomaly %+v", r.Anomalies[0])
			}
		})
	}
}

// Past its time budget the checker says unknown, never valid.
func TestLinearizableBudget(t *testing.T) {
	c := Linearizable(KVModel())
	c.Timeout = time.Nanosecond
	r := c.Check(&checker.Input{Ops: kvHist(t, "0 invoke write 1", "0 ok write", "0 invoke read", "0 ok read 1")})
	if r.Valid != checker.Unknown || !strings.Contains(r.Note, "time budget") {
		t.Fatalf("%v %q", r.Valid, r.Note)
	}
}
