package logcheck

import (
	"fmt"
	"slices"
)

// lastPos is where a send or a polled entry landed in a key's log.
type lastPos struct {
	idx int32 // dense index; -1 when it cannot be placed (no judgement then)
	rec int32
	v   int64
}

// procState is what a process's next op is expected to follow on from, per
// key id: the last entry its ok polls returned and its last send. Both are
// forgotten when the process assigns, subscribes or crashes, and after an
// info op (Jepsen retires a process after info and the thread goes on under a
// new process number, so nothing carries over either).
type procState struct {
	polled map[int32]lastPos
	sent   map[int32]lastPos
}

// keyRun is one key's sends within one op.
type keyRun struct {
	kid         int32
	first, last lastPos
}

// sequenceChecks walks each process's ops in order (a process's ops never
// overlap, so invoke order is its order) and judges the positions of
// consecutive polls and sends, within an op and from one op to the next.
func (a *analyzer) sequenceChecks() {
	procs := map[int]*procState{}
	var runs []keyRun
	for ri := range a.recs {
		r := &a.recs[ri]
		switch r.f {
		case FCrash:
			delete(procs, r.process)
			continue
		case FAssign, FSubscribe:
			// A failed assign changed nothing; an info one may have.
			if r.typ != TypeFail {
				delete(procs, r.process)
			}
			continue
		}
		ps := procs[r.process]
		if ps == nil {
			ps = &procState{polled: map[int32]lastPos{}, sent: map[int32]lastPos{}}
			procs[r.process] = ps
		}
		for _, name := range r.rebalance {
			if kid, ok := a.keyID[name]; ok {
				delete(ps.polled, kid)
			}
		}
		a.polls(int32(ri), ps)
		runs = a.sends(int32(ri), ps, runs[:0])
		if r.typ == TypeInfo {
			delete(procs, r.process)
		}
	}
}

// polls judges one op's polled entries: consecutive entries of a key within
// the op (int-poll-skip, int-nonmonotonic-poll; not for keys rebalanced
// during the op) and the op's first entry of a key against the process's
// last ok poll of it (poll-skip, nonmonotonic-poll). As in Jepsen's
// poll-skip+nonmonotonic-cases, polls of any outcome are judged but only ok
// ones move the process's position.
func (a *analyzer) polls(ri int32, ps *procState) {
	r := &a.recs[ri]
	for name, es := range readsOf(r) {
		if len(es) == 0 {
			continue
		}
		kid := a.keyID[name]
		k := a.keys[kid]
		at := func(e Entry) lastPos { return lastPos{k.pos(e.Offset, e.Value), ri, e.Value} }
		if !slices.Contains(r.rebalance, name) {
			for j := 1; j < len(es); j++ {
				a.step(k, AnomalyIntPollSkip, AnomalyIntNonmonotonicPoll, at(es[j-1]), at(es[j]),
					"one poll of process %d returned", r.process, ri)
			}
		}
		if prev, ok := ps.polled[kid]; ok {
			a.step(k, AnomalyPollSkip, AnomalyNonmonotonicPoll, prev, at(es[0]),
				"process %d polled", r.process, prev.rec, ri)
		}
		if r.typ == TypeOK {
			ps.polled[kid] = at(es[len(es)-1])
		}
	}
}

// sends judges one op's sends: consecutive sends to a key within the op
// (int-send-skip, int-nonmonotonic-send) and, for ok and info ops, the op's
// first send to a key against the process's last send to it
// (nonmonotonic-send). Skips between ops are not judged: other producers'
// sends interleave (Jepsen: "We don't even bother looking at external send
// skips"). runs is a buffer reused across ops.
func (a *analyzer) sends(ri int32, ps *procState, runs []keyRun) []keyRun {
	r := &a.recs[ri]
	for mi := range r.mops {
		m := &r.mops[mi]
		if m.F != FSend {
			continue
		}
		kid := a.keyID[m.Key]
		k := a.keys[kid]
		cur := lastPos{k.pos(m.Offset, m.Value), ri, m.Value}
		j := slices.IndexFunc(runs, func(x keyRun) bool { return x.kid == kid })
		if j < 0 {
			runs = append(runs, keyRun{kid, cur, cur})
			continue
		}
		a.step(k, AnomalyIntSendSkip, AnomalyIntNonmonotonicSend, runs[j].last, cur,
			"one op of process %d sent", r.process, ri)
		runs[j].last = cur
	}
	if r.typ != TypeOK && r.typ != TypeInfo {
		return runs
	}
	for _, run := range runs {
		if prev, ok := ps.sent[run.kid]; ok {
			a.step(a.keys[run.kid], "", AnomalyNonmonotonicSend, prev, run.first,
				"process %d sent", r.process, prev.rec, ri)
		}
		ps.sent[run.kid] = run.last
	}
	return runs
}

// step judges two consecutive positions in a key's log: the next one should
// be the very next dense index. Further on skips over values known to exist
// (skipType; "" = not judged); the same place or earlier goes backwards
// (backType). Unplaced positions are not judged, as in Jepsen (delta 1).
// whatf names the actor with one %d for the process; it is formatted only
// for an anomaly, as step runs for every entry of a million-op history.
func (a *analyzer) step(k *keyLog, skipType, backType string, from, to lastPos, whatf string, process int, ris ...int32) {
	if from.idx < 0 || to.idx < 0 {
		return
	}
	delta := to.idx - from.idx
	if delta == 1 || delta > 1 && skipType == "" {
		return
	}
	head := fmt.Sprintf(whatf+" offset %d (value %d) then offset %d (value %d)",
		process, k.slots[from.idx].offset, from.v, k.slots[to.idx].offset, to.v)
	if delta > 1 {
		skipped := make([]int64, 0, min(int(delta-1), listMax))
		for i := from.idx + 1; i < to.idx && len(skipped) < listMax; i++ {
			skipped = append(skipped, k.slots[i].first.v)
		}
		a.add(skipType, k.name, fmt.Sprintf("%s, skipping %d known value(s): %s", head, delta-1, list(skipped)), ris...)
		return
	}
	if delta == 0 {
		a.add(backType, k.name, head+", the same place again (delta 0)", ris...)
		return
	}
	a.add(backType, k.name, fmt.Sprintf("%s, %d place(s) back (delta %d)", head, -delta, delta), ris...)
}

// readsOf returns an op's polled entries per key, in the order returned
// (several poll micro-ops of a txn are concatenated, as Jepsen's op-reads).
func readsOf(r *rec) map[string][]Entry {
	var out map[string][]Entry
	n := 0
	for i := range r.mops {
		if len(r.mops[i].Polled) > 0 {
			n++
			out = r.mops[i].Polled
		}
	}
	if n <= 1 {
		return out // the common case: no copy
	}
	out = map[string][]Entry{}
	for i := range r.mops {
		for k, es := range r.mops[i].Polled {
			out[k] = append(out[k], es...)
		}
	}
	return out
}
