package jepsen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/verdict"
	"olympos.io/encoding/edn"
)

// This file converts a history of Jepsen's kafka / queue workload
// (jepsen.tests.kafka: :f :send, :poll, :txn, :assign, :subscribe, :crash;
// micro-ops [:send k v], [:send k [offset v]], [:poll], [:poll {k [[offset
// v] ...]}]) into checker/logcheck's history and judges it there, with
// Jepsen's policy: unseen acknowledged sends invalidate (Jepsen counts
// :unseen as an error whenever the history ends with sends no poll saw), and
// the consumer mode is subscribe when the history subscribes.
//
// Jepsen also runs Elle over the ops for cycles (G0, G1c, ...); logcheck does
// not, so a valid verdict says so in its note. precommitted-read (an op that
// polls a value it sends itself) is checked here.

// kafkaFs are the :f values of the workload; client ops with any other :f
// (such as :debug-topic-partitions) are skipped and counted in the note.
var kafkaFs = map[string]bool{
	logcheck.FSend: true, logcheck.FPoll: true, logcheck.FTxn: true,
	logcheck.FAssign: true, logcheck.FSubscribe: true, logcheck.FCrash: true,
}

// kafkaConv is a conversion in progress. Values are placeholders (indices
// into vals) until every value is known: histories of integers keep their
// values; others (Jepsen's tests use keywords) get one number per value.
type kafkaConv struct {
	h       *History
	ops     []logcheck.Op
	records []*Op // records[i] is the record ops[i] came from
	vals    []any
	skipped int
	// named maps a resolved value back to the value the history wrote.
	named map[int64]any
	// interned is set when values were not all integers and were numbered.
	interned bool
}

func checkKafka(h *History) (verdict.Result, error) {
	c := &kafkaConv{h: h}
	for i := range h.Ops {
		op := &h.Ops[i]
		if !op.Client || !kafkaFs[op.F] {
			if op.Client {
				c.skipped++
			}
			continue
		}
		if err := c.add(op); err != nil {
			return verdict.Result{}, fmt.Errorf("%s: %v", h.Where(op), err)
		}
	}
	c.resolveValues()
	lh := &logcheck.History{Ops: c.ops}
	if err := logcheck.Validate(lh.Ops); err != nil {
		return verdict.Result{}, fmt.Errorf("%s: %v", h.Name, err)
	}
	r, err := logcheck.Check(lh, logcheck.Options{FinalPolls: true})
	if err != nil {
		return verdict.Result{}, fmt.Errorf("%s: %v", h.Name, err)
	}
	for i := range r.Anomalies {
		r.Anomalies[i].Ops = c.jepsenIndices(r.Anomalies[i].Ops)
	}
	for _, a := range c.precommittedReads() {
		r.Invalidate(a)
	}
	notes := []string{r.Note}
	if legend := c.legend(); legend != "" {
		notes = append(notes, legend)
	}
	if c.skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d client ops with other :f values skipped", c.skipped))
	}
	if r.Valid == verdict.Valid {
		notes = append(notes, "Elle's cycle anomalies (G0, G1c, ...) are not checked")
	}
	r.Note = strings.Join(notes, "; ")
	return r, nil
}

func (c *kafkaConv) add(op *Op) error {
	lop := logcheck.Op{
		Index: len(c.ops), Type: op.Type, Process: int(op.Process), F: op.F,
		Time: max(op.Time, 0), Error: op.Error,
	}
	switch op.F {
	case logcheck.FSend, logcheck.FPoll, logcheck.FTxn:
		mops, ok := op.Value.([]any)
		if !ok && op.Value != nil {
			return fmt.Errorf(":%s value %s is not a vector of micro-ops", op.F, clip(Canonical(op.Value)))
		}
		for i, m := range mops {
			mop, err := c.mop(m, op.F)
			if err != nil {
				return fmt.Errorf("micro-op %d: %v", i, err)
			}
			lop.Value = append(lop.Value, mop)
		}
	}
	keys, err := rebalancedKeys(op.Rebalance)
	if err != nil {
		return err
	}
	lop.Rebalance = keys
	c.ops = append(c.ops, lop)
	c.records = append(c.records, op)
	return nil
}

// mop converts [:send k v], [:send k [offset v]], [:poll] or [:poll {k
// [[offset v] ...]}].
func (c *kafkaConv) mop(m any, f string) (logcheck.Mop, error) {
	mop, ok := m.([]any)
	if !ok || len(mop) == 0 {
		return logcheck.Mop{}, fmt.Errorf("%s is not [:send k v] or [:poll ...]", clip(Canonical(m)))
	}
	switch {
	case isKeyword(mop[0], logcheck.FSend) && len(mop) == 3 && f != logcheck.FPoll:
		offset, v := any(nil), mop[2]
		if pair, ok := mop[2].([]any); ok && len(pair) == 2 {
			offset, v = pair[0], pair[1]
		}
		o, err := offsetOf(offset)
		if err != nil {
			return logcheck.Mop{}, err
		}
		return logcheck.Send(Canonical(mop[1]), c.value(v), o), nil
	case isKeyword(mop[0], logcheck.FPoll) && len(mop) <= 2 && f != logcheck.FSend:
		if len(mop) == 1 || mop[1] == nil {
			return logcheck.Poll(nil), nil
		}
		return c.poll(mop[1])
	}
	return logcheck.Mop{}, fmt.Errorf("%s does not fit a :%s op", clip(Canonical(m)), f)
}

func (c *kafkaConv) poll(v any) (logcheck.Mop, error) {
	byKey, ok := v.(map[any]any)
	if !ok {
		return logcheck.Mop{}, fmt.Errorf("poll result %s is not a map of keys to [[offset value] ...]", clip(Canonical(v)))
	}
	polled := make(map[string][]logcheck.Entry, len(byKey))
	for k, pairs := range byKey {
		ps, ok := pairs.([]any)
		if !ok && pairs != nil {
			return logcheck.Mop{}, fmt.Errorf("poll of key %s: %s is not [[offset value] ...]", Canonical(k), clip(Canonical(pairs)))
		}
		es := make([]logcheck.Entry, 0, len(ps))
		for _, p := range ps {
			pair, ok := p.([]any)
			if !ok || len(pair) != 2 {
				return logcheck.Mop{}, fmt.Errorf("poll of key %s: %s is not [offset value]", Canonical(k), clip(Canonical(p)))
			}
			o, err := offsetOf(pair[0])
			if err != nil || o < 0 {
				return logcheck.Mop{}, fmt.Errorf("poll of key %s: offset %s is not a non-negative integer", Canonical(k), clip(Canonical(pair[0])))
			}
			es = append(es, logcheck.Entry{Offset: o, Value: c.value(pair[1])})
		}
		polled[Canonical(k)] = es
	}
	return logcheck.Poll(polled), nil
}

func offsetOf(v any) (int64, error) {
	if v == nil {
		return logcheck.OffsetUnknown, nil
	}
	n, ok := asInt(v)
	if !ok || n < 0 {
		return 0, fmt.Errorf("offset %s is not a non-negative integer", clip(Canonical(v)))
	}
	return n, nil
}

// value records v and returns its placeholder.
func (c *kafkaConv) value(v any) int64 {
	c.vals = append(c.vals, v)
	return int64(len(c.vals) - 1)
}

// resolveValues replaces placeholders: by the values themselves when all are
// integers, else by one number per distinct value.
func (c *kafkaConv) resolveValues() {
	resolved := make([]int64, len(c.vals))
	allInts := true
	for i, v := range c.vals {
		n, ok := asInt(v)
		allInts = allInts && ok
		resolved[i] = n
	}
	if !allInts {
		c.interned = true
		ids := map[string]int64{}
		for i, v := range c.vals {
			k := Canonical(v)
			id, ok := ids[k]
			if !ok {
				id = int64(len(ids))
				ids[k] = id
			}
			resolved[i] = id
		}
	}
	c.named = make(map[int64]any, len(c.vals))
	for i, v := range c.vals {
		c.named[resolved[i]] = v
	}
	for i := range c.ops {
		for j := range c.ops[i].Value {
			m := &c.ops[i].Value[j]
			if m.F == logcheck.FSend {
				m.Value = resolved[m.Value]
			}
			for _, es := range m.Polled {
				for e := range es {
					es[e].Value = resolved[es[e].Value]
				}
			}
		}
	}
}

// rebalancedKeys reads :rebalance-log, a vector of {:keys [k ...]}.
func rebalancedKeys(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	events, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf(":rebalance-log %s is not a vector of {:keys [...]}", clip(Canonical(v)))
	}
	seen := map[string]bool{}
	for _, e := range events {
		m, _ := e.(map[any]any)
		ks, _ := m[edn.Keyword("keys")].([]any)
		for _, k := range ks {
			seen[Canonical(k)] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// jepsenIndices maps indices of the converted history to Jepsen's :index.
func (c *kafkaConv) jepsenIndices(ops []int) []int {
	out := make([]int, 0, len(ops))
	for _, i := range ops {
		if i >= 0 && i < len(c.records) {
			out = append(out, int(c.records[i].Index))
		}
	}
	return out
}

// precommittedReads finds ops that poll a value they send themselves
// (Jepsen's precommitted-read: in Kafka's model a sent value is invisible to
// every poller until its transaction commits).
func (c *kafkaConv) precommittedReads() []verdict.Anomaly {
	var out []verdict.Anomaly
	for i, op := range c.ops {
		if op.Type == logcheck.TypeInvoke {
			continue
		}
		sent := map[string]map[int64]bool{}
		for _, m := range op.Value {
			if m.F == logcheck.FSend {
				if sent[m.Key] == nil {
					sent[m.Key] = map[int64]bool{}
				}
				sent[m.Key][m.Value] = true
			}
		}
		if found, k, v := c.pollsOneOf(op, sent); found {
			out = append(out, verdict.Anomaly{
				Type: "precommitted-read", Key: k, Ops: c.jepsenIndices([]int{i}),
				Detail: fmt.Sprintf("the op polled value %s of key %s, which it sends itself", Canonical(c.original(v)), k),
			})
		}
	}
	return out
}

func (c *kafkaConv) pollsOneOf(op logcheck.Op, sent map[string]map[int64]bool) (bool, string, int64) {
	if len(sent) == 0 {
		return false, "", 0
	}
	for _, m := range op.Value {
		keys := make([]string, 0, len(m.Polled))
		for k := range m.Polled {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, e := range m.Polled[k] {
				if sent[k][e.Value] {
					return true, k, e.Value
				}
			}
		}
	}
	return false, "", 0
}

// original returns a value as the history wrote it, for messages.
func (c *kafkaConv) original(resolved int64) any {
	if v, ok := c.named[resolved]; ok {
		return v
	}
	return resolved
}

// legendMax bounds the values the note spells out.
const legendMax = 20

// legend says what the numbers in anomaly details stand for when the
// history's values were not integers.
func (c *kafkaConv) legend() string {
	if !c.interned {
		return ""
	}
	parts := []string{}
	for id := int64(0); id < int64(len(c.named)) && id < legendMax; id++ {
		parts = append(parts, fmt.Sprintf("%d = %s", id, clip(Canonical(c.named[id]))))
	}
	if len(c.named) > legendMax {
		parts = append(parts, "...")
	}
	return "values are not all integers, so they are numbered in order of first appearance: " + strings.Join(parts, ", ")
}
