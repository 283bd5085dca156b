package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/verdict"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// writeSynthRun writes a synthetic run directory of n client ops, shaped
// like a real one (seed 7 has ~12 trace events and 2.6 KB of trace per
// op): each place runs five saga steps through the trace (synthSaga);
// faults open and close every 2000 ops; one op in 40 fails and one in 200
// is indeterminate.
// It stands in for a 100k-op simulation, which reports/ may not import.
func writeSynthRun(tb testing.TB, dir string, n int, seed uint64) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	hist := newJSONL(tb, filepath.Join(dir, HistoryFile))
	tr := newJSONL(tb, filepath.Join(dir, TraceFile))
	const procs = 50
	var (
		idx, seq  int
		clock     = make([]int64, procs)  // each process's next invoke time, ns
		offsets   = map[partition]int64{} // next offset per topic partition
		anomalies []verdict.Anomaly
		stats     results.Stats
	)
	emit := func(e trace.Event) {
		e.Seq = int64(seq)
		seq++
		tr.put(e)
	}
	fs := []string{vocab.FPlace, vocab.FReadStrong, vocab.FReadProjection, vocab.FCancel}
	var windows []results.Window
	for i := range n {
		p := i % procs
		t0 := clock[p]
		lat := int64(1e6 + rng.ExpFloat64()*3e6)
		key := fmt.Sprintf("o-%d", rng.IntN(n/4+1))
		f := fs[rng.IntN(len(fs))]
		typ, errStr := vocab.TypeOK, ""
		switch r := rng.IntN(200); {
		case r == 0:
			typ, errStr, lat = vocab.TypeInfo, "timeout", 1e9
		case r < 5:
			typ, errStr = vocab.TypeFail, vocab.ErrNotFound
		}
		val := &history.Value{Customer: "c-1", SKU: "s-1", Qty: 1, Amount: 10}
		hist.put(history.Op{Index: idx, Type: vocab.TypeInvoke, Process: p, F: f, Key: key, Value: val, Time: t0})
		hist.put(history.Op{Index: idx + 1, Type: typ, Process: p, F: f, Key: key, Value: val, Time: t0 + lat, Error: errStr})
		stats.Ops++
		switch typ {
		case vocab.TypeOK:
			stats.OK++
		case vocab.TypeFail:
			stats.Fail++
			anomalies = append(anomalies, verdict.Anomaly{Type: vocab.AnomalyNonlinearizable, Key: key, Ops: []int{idx, idx + 1}, Detail: "synthetic"})
		default:
			stats.Info++
		}
		if f == vocab.FPlace && typ == vocab.TypeOK {
			synthSaga(emit, rng, offsets, idx, key, t0+lat)
		}
		idx += 2
		clock[p] = t0 + lat + int64(rng.IntN(2e6))
		if i%2000 == 0 {
			start := time.Duration(t0)
			windows = append(windows, results.Window{Fault: vocab.Faults[(i/2000)%len(vocab.Faults)],
				Target: vocab.Services[rng.IntN(len(vocab.Services))], Start: start, Stop: start + 150*time.Millisecond})
		}
	}
	hist.close()
	tr.close()
	res := results.Results{Valid: verdict.Invalid, Seed: seed, Bug: vocab.BugStaleRead, Nemesis: vocab.Faults,
		Stats: stats, Schedule: windows, Anomalies: []string{vocab.AnomalyNonlinearizable},
		Command: fmt.Sprintf("jepsen-lite run --seed %d --nemesis all --bug stale-read --ops %d", seed, n),
		Checkers: map[string]verdict.Result{
			"linearizable": {Valid: verdict.Invalid, Anomalies: anomalies},
			"exactly-once": {Valid: verdict.Valid, Note: "synthetic"},
		}}
	if err := res.Write(dir); err != nil {
		tb.Fatal(err)
	}
}

// synthStages are the saga steps of one placed order, as topics: the
// orders service's events go to four consumers, the others' to one.
var synthStages = []struct{ node, topic, typ string }{
	{vocab.ServiceOrders, vocab.TopicOrders, vocab.OrderPlaced},
	{vocab.ServiceInventory, vocab.TopicInventory, vocab.StockReserved},
	{vocab.ServiceOrders, vocab.TopicOrders, vocab.OrderReserved},
	{vocab.ServicePayment, vocab.TopicPayments, vocab.PaymentCharged},
	{vocab.ServiceOrders, vocab.TopicOrders, vocab.OrderCharged},
}

// synthSaga emits the trace of one placed order: per saga step an append
// with its event, a publish, then per consumer a deliver, a handle
// (sometimes a retry first) and a commit; ~52 events, as in real runs.
func synthSaga(emit func(trace.Event), rng *rand.Rand, offsets map[partition]int64, op int, key string, t int64) {
	data, _ := json.Marshal(map[string]any{"order": key, "customer": "c-1", "sku": "s-1", "qty": 1, "amount": 10})
	for k, st := range synthStages {
		env := trace.Envelope{ID: fmt.Sprintf("ev-%d-%d", op, k), Aggregate: "order-" + key, Version: k + 1,
			Position: int64(op*len(synthStages) + k), Type: st.typ, SchemaVersion: 2, CorrelationID: key,
			CausationID: fmt.Sprintf("op-%d", op), Data: data}
		ref := trace.RefOf(&env)
		emit(trace.Event{Time: t, Kind: trace.KindAppend, Node: st.node, Events: []trace.Envelope{env}, Op: &op})
		if k == 0 {
			emit(trace.Event{Time: t, Kind: trace.KindAck, Node: st.node, Op: &op})
		}
		p := partition{st.topic, rng.IntN(4)}
		off := offsets[p]
		offsets[p]++
		emit(trace.Event{Time: t + 1e5, Kind: trace.KindPublish, Node: st.node, Ref: &ref, Topic: p.topic, Partition: p.n, Offset: off})
		last := t
		for _, s := range vocab.Services {
			if !slices.Contains(vocab.Subscriptions[s], st.topic) {
				continue
			}
			at := t + 5e5 + int64(rng.IntN(5e6))
			last = max(last, at)
			emit(trace.Event{Time: at, Kind: trace.KindDeliver, Node: s, Ref: &ref, Topic: p.topic, Partition: p.n, Offset: off})
			if rng.IntN(50) == 0 {
				emit(trace.Event{Time: at, Kind: trace.KindHandle, Node: s, Ref: &ref, Outcome: trace.OutcomeRetry, Error: "transient"})
			}
			emit(trace.Event{Time: at, Kind: trace.KindHandle, Node: s, Ref: &ref, Outcome: trace.OutcomeApplied})
			emit(trace.Event{Time: at, Kind: trace.KindCommit, Node: s, Topic: p.topic, Partition: p.n, Offset: off + 1})
		}
		t = last
	}
	if rng.IntN(100) == 0 {
		emit(trace.Event{Time: t, Kind: trace.KindConflict, Node: vocab.ServiceInventory, Stream: "sku-s-1", Expected: 1, Actual: 2})
	}
	if rng.IntN(500) == 0 {
		emit(trace.Event{Time: t, Kind: trace.KindDLQ, Node: vocab.ServiceInventory, Error: "poison"})
	}
}

// lineFile writes one JSON value per line, buffered: the generator writes
// millions of lines and must not dominate the benchmark's setup.
type lineFile struct {
	tb  testing.TB
	f   *os.File
	w   *bufio.Writer
	enc *json.Encoder
}

func newJSONL(tb testing.TB, path string) *lineFile {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	return &lineFile{tb: tb, f: f, w: w, enc: json.NewEncoder(w)}
}

func (j *lineFile) put(v any) {
	if err := j.enc.Encode(v); err != nil {
		j.tb.Fatal(err)
	}
}

func (j *lineFile) close() {
	if err := j.w.Flush(); err != nil {
		j.tb.Fatal(err)
	}
	if err := j.f.Close(); err != nil {
		j.tb.Fatal(err)
	}
}
