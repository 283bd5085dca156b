package kafka

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
)

// The log history: what producers sent and consumers polled, as Jepsen's
// kafka workload records it (checker/logcheck judges it). Each send carries
// a value unique to that send (valueHeader): a retry of the same produce
// writes the same value again (Jepsen's duplicate), while the relay's
// republish of an event after a crash is a new send with a new value. Keys
// are "<topic>-<partition>" (logical topic names).
//
// Processes, as Jepsen's single-threaded clients: a producer is one
// incarnation's writer, given a new process after each indeterminate send;
// a consumer is one reader (one partition of one incarnation); the final
// polls are one process per partition.

// valueHeader carries a record's send value.
const valueHeader = "jl-value"

// pollBatchMax bounds the entries of one recorded poll op.
const pollBatchMax = 64

// logRecorder collects log ops from the node and reader goroutines.
type logRecorder struct {
	now func() int64 // ns since the run started

	mu    sync.Mutex
	ops   []logcheck.Op
	procs int

	values atomic.Int64 // last send value handed out
}

func newLogRecorder(now func() int64) *logRecorder { return &logRecorder{now: now} }

// process returns a fresh process number.
func (l *logRecorder) process() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.procs++
	return l.procs
}

// value returns a fresh send value.
func (l *logRecorder) value() int64 { return l.values.Add(1) }

func (l *logRecorder) add(proc int, typ, f string, mops []logcheck.Mop, errMsg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops = append(l.ops, logcheck.Op{Index: len(l.ops), Type: typ, Process: proc, F: f,
		Time: l.now(), Value: mops, Error: errMsg})
}

// invoke and complete record an op's two halves.
func (l *logRecorder) invoke(proc int, f string, mops []logcheck.Mop) {
	l.add(proc, logcheck.TypeInvoke, f, mops, "")
}

func (l *logRecorder) complete(proc int, typ, f string, mops []logcheck.Mop, err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	l.add(proc, typ, f, mops, msg)
}

// poll records a poll that returned entries of one key.
func (l *logRecorder) poll(proc int, key string, es []logcheck.Entry) {
	if len(es) == 0 {
		return
	}
	l.invoke(proc, logcheck.FPoll, []logcheck.Mop{logcheck.Poll(nil)})
	l.complete(proc, logcheck.TypeOK, logcheck.FPoll,
		[]logcheck.Mop{logcheck.Poll(map[string][]logcheck.Entry{key: es})}, nil)
}

// assign records that a consumer process (re)positioned itself: what it
// polls next need not follow on from what it polled before.
func (l *logRecorder) assign(proc int) {
	l.invoke(proc, logcheck.FAssign, nil)
	l.complete(proc, logcheck.TypeOK, logcheck.FAssign, nil, nil)
}

// history returns a copy of the ops so far.
func (l *logRecorder) history() *logcheck.History {
	l.mu.Lock()
	defer l.mu.Unlock()
	return &logcheck.History{Ops: append([]logcheck.Op(nil), l.ops...)}
}

// logKey names a partition in the log history.
func logKey(tp topicPart) string { return fmt.Sprintf("%s-%d", tp.topic, tp.partition) }

// recordValue reads a record's send value; ok is false for a record that
// is not ours.
func recordValue(msg *kafkago.Message) (int64, bool) {
	v, err := strconv.ParseInt(header(*msg, valueHeader), 10, 64)
	return v, err == nil
}

// pollLog accumulates one consumer process's polled entries of one key
// and records them as poll ops of at most pollBatchMax entries.
type pollLog struct {
	l    *logRecorder
	proc int
	key  string
	es   []logcheck.Entry
}

func (p *pollLog) add(msg *kafkago.Message) {
	if v, ok := recordValue(msg); ok {
		p.es = append(p.es, logcheck.Entry{Offset: msg.Offset, Value: v})
	}
	if len(p.es) >= pollBatchMax {
		p.flush()
	}
}

func (p *pollLog) flush() {
	p.l.poll(p.proc, p.key, p.es)
	p.es = nil
}
