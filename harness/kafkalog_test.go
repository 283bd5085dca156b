package harness

import (
	"slices"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// A correct run over the embedded brokers, with every fault, leaves a log
// history (sends with offsets, polls, final polls to the end of every
// partition) that the log checker finds valid; the same log with one polled
// offset dropped from a poll is flagged int-poll-skip, and with one polled
// value changed, inconsistent-offsets.
func TestKafkaLogCheck(t *testing.T) {
	o := DefaultOptions()
	o.Bus, o.Seed, o.Nemesis, o.Workload.Ops = "kafka", 5, vocab.Faults, 400
	o.OutDir = t.TempDir()
	res, rec, err := Execute(o)
	if err != nil {
		t.Fatal(err)
	}
	lr, ok := res.Checkers[logcheck.Name]
	if !ok || rec.Log == nil {
		t.Fatalf("no %q checker in results (%v)", logcheck.Name, res.Order)
	}
	if rec.Log.FinalPollsErr != "" || lr.Valid != checker.Valid {
		t.Fatalf("log: %v %v %q (final polls: %q)", lr.Valid, lr.Anomalies, lr.Note, rec.Log.FinalPollsErr)
	}
	t.Logf("log note: %s", lr.Note)
	sends, polled := 0, 0
	for _, op := range rec.Log.History.Ops {
		for _, m := range op.Value {
			switch {
			case op.Type == logcheck.TypeOK && m.F == logcheck.FSend && m.Offset >= 0:
				sends++
			case op.Type == logcheck.TypeOK:
				for _, es := range m.Polled {
					polled += len(es)
				}
			}
		}
	}
	if sends == 0 || polled < 2*sends {
		t.Fatalf("%d acknowledged sends, %d polled entries: want sends, each polled by its consumers and the final polls", sends, polled)
	}
	disk, err := ReadKafkaLog(o.OutDir)
	if err != nil || disk == nil || len(disk.History.Ops) != len(rec.Log.History.Ops) {
		t.Fatalf("%s read back: %v, %v", LogHistoryFile, disk, err)
	}

	corrupt := func(edit func(es []logcheck.Entry) []logcheck.Entry) *KafkaLog {
		h := &logcheck.History{Ops: slices.Clone(rec.Log.History.Ops)}
		for i := range h.Ops {
			op := &h.Ops[i]
			if op.Type != logcheck.TypeOK || op.F != logcheck.FPoll {
				continue
			}
			for k, es := range op.Value[0].Polled {
				if len(es) >= 3 {
					m := map[string][]logcheck.Entry{k: edit(slices.Clone(es))}
					op.Value = []logcheck.Mop{logcheck.Poll(m)}
					return &KafkaLog{History: h}
				}
			}
		}
		t.Fatal("no poll of 3 entries to corrupt")
		return nil
	}
	for _, c := range []struct {
		want string
		edit func([]logcheck.Entry) []logcheck.Entry
	}{
		{logcheck.AnomalyIntPollSkip, func(es []logcheck.Entry) []logcheck.Entry { return append(es[:1], es[2:]...) }},
		{logcheck.AnomalyInconsistentOffsets, func(es []logcheck.Entry) []logcheck.Entry { es[1].Value = 1 << 40; return es }},
	} {
		r := corrupt(c.edit).Checker().Check(nil)
		types := map[string]bool{}
		for _, a := range r.Anomalies {
			types[a.Type] = true
		}
		if r.Valid != checker.Invalid || !types[c.want] {
			t.Errorf("corrupted for %s: %v %v", c.want, r.Valid, r.Anomalies)
		}
	}
}
