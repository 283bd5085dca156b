package logcheck

import (
	"fmt"
	"strconv"
	"strings"
)

// Anomaly types: Jepsen's kafka workload names (DESIGN.md, log/queue).
const (
	AnomalyG1a                 = "G1a"
	AnomalyLostWrite           = "lost-write"
	AnomalyInconsistentOffsets = "inconsistent-offsets"
	AnomalyDuplicate           = "duplicate"
	AnomalyUnseen              = "unseen"
	AnomalyNonmonotonicSend    = "nonmonotonic-send"
	AnomalyIntNonmonotonicSend = "int-nonmonotonic-send"
	AnomalyNonmonotonicPoll    = "nonmonotonic-poll"
	AnomalyIntNonmonotonicPoll = "int-nonmonotonic-poll"
	AnomalyPollSkip            = "poll-skip"
	AnomalyIntPollSkip         = "int-poll-skip"
	AnomalyIntSendSkip         = "int-send-skip"
)

// AnomalyTypes lists every anomaly type the checker reports, most serious
// first: data that should not exist or is gone, then order violations, then
// skips (which rebalances and interleaved producers explain).
func AnomalyTypes() []string {
	return []string{AnomalyG1a, AnomalyLostWrite, AnomalyInconsistentOffsets, AnomalyDuplicate,
		AnomalyUnseen, AnomalyNonmonotonicSend, AnomalyIntNonmonotonicSend, AnomalyNonmonotonicPoll,
		AnomalyIntNonmonotonicPoll, AnomalyPollSkip, AnomalyIntPollSkip, AnomalyIntSendSkip}
}

// rank orders anomaly types as AnomalyTypes does.
var rank = func() map[string]int {
	m := map[string]int{}
	for i, t := range AnomalyTypes() {
		m[t] = i
	}
	return m
}()

// listMax bounds the values one Detail lists.
const listMax = 10

// logChecks runs the checks over each key's log as a whole.
func (a *analyzer) logChecks() {
	for _, k := range a.keys {
		a.inconsistentOffsets(k)
		a.duplicates(k)
	}
	a.abortedReads()
	for _, k := range a.keys {
		a.lostWrites(k)
		a.unseen(k)
	}
}

// inconsistentOffsets: one offset of a key holds two values across all
// sends and polls (Jepsen's version-orders :errors).
func (a *analyzer) inconsistentOffsets(k *keyLog) {
	for i := range k.slots {
		s := &k.slots[i]
		if len(s.more) == 0 {
			continue
		}
		vals := []int64{s.first.v}
		ris := []int32{s.first.rec}
		for _, o := range s.more {
			vals = append(vals, o.v)
			ris = append(ris, o.rec)
		}
		a.add(AnomalyInconsistentOffsets, k.name,
			fmt.Sprintf("offset %d holds values %s", s.offset, list(vals)), ris...)
	}
}

// duplicates: one value at more than one offset (Jepsen's duplicate-cases).
func (a *analyzer) duplicates(k *keyLog) {
	for i := range k.slots {
		s := &k.slots[i]
		for j := range s.n() {
			o := s.at(j)
			idx := k.dups[o.v]
			if len(idx) == 0 || idx[0] != int32(i) {
				continue // not a duplicate, or reported at its first offset
			}
			offs := make([]int64, len(idx))
			ris := make([]int32, len(idx))
			for j, di := range idx {
				offs[j] = k.slots[di].offset
				ris[j], _ = k.slots[di].holds(o.v)
			}
			a.add(AnomalyDuplicate, k.name,
				fmt.Sprintf("value %d at offsets %s", o.v, list(offs)), ris...)
		}
	}
}

// abortedReads: an ok poll returned a value whose send failed (G1a; Jepsen's
// g1a-cases). It also notes each key's highest read for lostWrites.
func (a *analyzer) abortedReads() {
	for ri := range a.recs {
		r := &a.recs[ri]
		if r.typ != TypeOK {
			continue
		}
		for mi := range r.mops {
			for name, es := range r.mops[mi].Polled {
				k := a.keys[a.keyID[name]]
				for _, e := range es {
					x := k.get(e.Value)
					if x.first > k.maxRead {
						k.maxRead, k.maxReader, k.maxReadV = x.first, int32(ri), e.Value
					}
					w := x.writer
					if w < 0 || a.recs[w].typ != TypeFail {
						continue
					}
					a.add(AnomalyG1a, k.name, fmt.Sprintf(
						"value %d (offset %d) was polled, but its send failed", e.Value, e.Offset),
						w, int32(ri))
				}
			}
		}
	}
}

// lostWrites: a committed value that no ok poll returned, although an ok
// poll returned a value at a higher offset of the key. Jepsen's
// lost-write-cases: the bound is the highest first index of any value read;
// a value must have been read if its last index is at or below it.
func (a *analyzer) lostWrites(k *keyLog) {
	if k.maxRead < 0 {
		return
	}
	top := &k.slots[k.maxRead]
	for i := int32(0); i <= k.maxRead; i++ {
		s := &k.slots[i]
		for j := range s.n() {
			o := s.at(j)
			if k.lastIdx(o.v) != i {
				continue // it also sits higher up; judged there
			}
			x := k.get(o.v)
			if x.read {
				continue
			}
			w := x.writer
			if w < 0 || !a.recs[w].committed {
				// No send of it: an info or fail poll returned a value
				// nobody sent, which Jepsen's lost-write-cases throws on.
				// We do not judge it; an uncommitted send is not lost.
				continue
			}
			by := "an ok send"
			if a.recs[w].typ != TypeOK {
				by = "an info send, committed as another of its values was polled"
			}
			a.add(AnomalyLostWrite, k.name, fmt.Sprintf(
				"value %d at offset %d (from %s) was never polled, though offset %d (value %d) was",
				o.v, s.offset, by, top.offset, k.maxReadV), w, k.maxReader)
		}
	}
}

// unseen: acknowledged sends that no ok poll returned at all (Jepsen's
// unseen, at the end of the history), one anomaly per key.
func (a *analyzer) unseen(k *keyLog) {
	if len(k.unseen) == 0 {
		return
	}
	if a.out.Unseen == nil {
		a.out.Unseen = map[string]int{}
	}
	a.out.Unseen[k.name] = len(k.unseen)
	vals := make([]int64, 0, listMax)
	ris := make([]int32, 0, listMax)
	for _, o := range k.unseen[:min(len(k.unseen), listMax)] {
		vals = append(vals, o.v)
		ris = append(ris, o.rec)
	}
	more := ""
	if n := len(k.unseen) - len(vals); n > 0 {
		more = fmt.Sprintf(" (first %d shown)", len(vals))
	}
	a.add(AnomalyUnseen, k.name, fmt.Sprintf("%d acknowledged sends never polled: values %s%s",
		len(k.unseen), list(vals), more), ris...)
}

// list formats numbers as "1, 2, 3", at most listMax of them.
func list(xs []int64) string {
	var b strings.Builder
	for i, x := range xs {
		if i == listMax {
			fmt.Fprintf(&b, ", ... (%d in all)", len(xs))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatInt(x, 10))
	}
	return b.String()
}
