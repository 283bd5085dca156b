package kafka

import (
	"strconv"
	"sync"
	"testing"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

func record(offset, value int64) *kafkago.Message {
	return &kafkago.Message{Offset: offset, Headers: []kafkago.Header{{Key: valueHeader, Value: []byte(strconv.FormatInt(value, 10))}}}
}

// What the recorder writes is a well-formed log history even when many
// goroutines record at once: polls are cut at pollBatchMax entries, records
// without a send value are skipped, an assign separates a rewind, and the
// checker judges the result (here: valid, then int-poll-skip once a record
// is left out of a poll).
func TestLogRecorderWritesJudgeableHistory(t *testing.T) {
	l := newLogRecorder(func() int64 { return 0 })
	var wg sync.WaitGroup
	const producers, sends = 8, 150
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			proc := l.process()
			for i := range sends {
				v := l.value()
				key := logKey(topicPart{"t", p})
				l.invoke(proc, logcheck.FSend, []logcheck.Mop{logcheck.Send(key, v, logcheck.OffsetUnknown)})
				l.complete(proc, logcheck.TypeOK, logcheck.FSend, []logcheck.Mop{logcheck.Send(key, v, int64(i))}, nil)
			}
		}()
	}
	wg.Wait()
	h := l.history()
	values := map[string][]int64{} // key -> values by offset
	for _, op := range h.Ops {
		if op.Type == logcheck.TypeOK {
			values[op.Value[0].Key] = append(values[op.Value[0].Key], op.Value[0].Value)
		}
	}
	for p := range producers {
		key := logKey(topicPart{"t", p})
		poll := pollLog{l: l, proc: l.process(), key: key}
		for i, v := range values[key] {
			poll.add(record(int64(i), v))
			if i == sends/2 {
				poll.add(&kafkago.Message{Offset: 999}) // not ours: no value header
			}
		}
		poll.flush()
		poll.flush() // nothing left: records nothing
		poll.flush()
		l.assign(poll.proc)
		poll.add(record(0, values[key][0])) // a rewind re-reads from the start
		poll.flush()
	}
	h = l.history()
	polls := 0
	for _, op := range h.Ops {
		if op.F == logcheck.FPoll && op.Type == logcheck.TypeOK {
			polls++
			for _, es := range op.Value[0].Polled {
				if len(es) > pollBatchMax {
					t.Fatalf("a poll of %d entries, want at most %d", len(es), pollBatchMax)
				}
			}
		}
	}
	if want := producers * (sends/pollBatchMax + 2); polls != want {
		t.Fatalf("%d polls, want %d", polls, want)
	}
	r, err := logcheck.Check(h, logcheck.Options{Mode: logcheck.ModeAssign, FinalPolls: true})
	if err != nil || r.Valid != verdict.Valid {
		t.Fatalf("recorded history: %v %v %v %s", err, r.Valid, r.Anomalies, r.Note)
	}
}
