package logcheck

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// Analysis is every finding of one history before any policy is applied:
// no anomaly is tolerated or capped here, and unseen values are listed
// whether or not final polls were done. Result (result.go) turns it into a
// verdict under Options.
type Analysis struct {
	// Anomalies are in the order of AnomalyTypes (most serious first), then
	// by key and first op index.
	Anomalies []verdict.Anomaly
	// Unseen counts, per key, the acknowledged sends no ok poll returned;
	// the same values are the "unseen" anomalies.
	Unseen map[string]int
	// Subscribed is set when the history has a subscribe op; ModeAuto then
	// judges in subscribe mode.
	Subscribed bool
	// Truncated is copied from the history: its last line was cut off.
	Truncated bool
	// Ops counts operations (invoke + completion pairs); Keys the keys seen.
	Ops, Keys int
}

// opsMax bounds a history: ops are indexed by int32 to halve the analysis's
// memory, and 2^31 events is far past any run this harness makes.
const opsMax = math.MaxInt32

// rec is one operation: an invoke and its completion.
type rec struct {
	inv, comp int32 // history indices; comp is -1 for an op the history ended before completing
	process   int
	typ       string // completion type; TypeInfo when comp is -1 (outcome unknown)
	f         string
	mops      []Mop
	rebalance []string
	// committed: the op's sends took effect. Jepsen's must-have-committed?:
	// ok, or info with at least one of its values returned by an ok poll.
	committed bool
}

// keyLog is what the history says about one key's log (Jepsen's version
// order): which values sit at which offsets, who sent each value, and which
// values ok polls returned. Offsets are sparse (transaction markers take
// offsets too), so positions are compared by dense index: the rank of an
// offset among the offsets known to hold a value.
type keyLog struct {
	name   string
	slots  []slot            // after build, sorted by offset; dense index = position
	slotOf map[int64]int32   // offset -> slot index
	vals   map[int64]val     // one map for all per-value facts: one lookup per entry
	dups   map[int64][]int32 // value -> every dense index holding it, for values at several
	unseen []obs             // acknowledged sends never returned by an ok poll, in op order
	// maxRead is the highest dense index an ok poll returned (-1 for none),
	// by first index of the value as in Jepsen's lost-write-cases, and
	// maxReader the rec that returned it.
	maxRead   int32
	maxReader int32
	maxReadV  int64
}

// val is what the history says about one value of a key.
type val struct {
	writer int32 // the rec that sent it (the first, if values repeat); -1 for none
	first  int32 // dense index of the first offset holding it; -1 when unplaced
	read   bool  // an ok poll returned it
}

// get returns what is known of v; absent values have no writer and no place.
func (k *keyLog) get(v int64) val {
	if x, ok := k.vals[v]; ok {
		return x
	}
	return val{writer: -1, first: -1}
}

// slot is one offset of a key. More than one value is an inconsistency.
type slot struct {
	offset int64
	first  obs
	more   []obs
}

// obs is a value and the first rec that showed it at a place.
type obs struct {
	v   int64
	rec int32
}

// n is the number of values at the offset; at(j) the j-th.
func (s *slot) n() int { return 1 + len(s.more) }

func (s *slot) at(j int) obs {
	if j == 0 {
		return s.first
	}
	return s.more[j-1]
}

func (s *slot) holds(v int64) (int32, bool) {
	if s.first.v == v {
		return s.first.rec, true
	}
	for _, o := range s.more {
		if o.v == v {
			return o.rec, true
		}
	}
	return -1, false
}

// analyzer holds the state of one analysis.
type analyzer struct {
	recs  []rec
	keyID map[string]int32
	keys  []*keyLog
	out   Analysis
}

// Analyze finds every anomaly of a history. It returns an error when the
// history is malformed (Validate); a history from Read is well formed.
func Analyze(h *History) (*Analysis, error) {
	if len(h.Ops) > opsMax {
		return nil, fmt.Errorf("%d ops: more than the %d the analysis indexes", len(h.Ops), opsMax)
	}
	if err := Validate(h.Ops); err != nil {
		return nil, err
	}
	a := &analyzer{keyID: map[string]int32{}}
	a.out.Truncated = h.Truncated
	a.pair(h.Ops)
	a.index()
	a.commit()
	a.observe()
	for _, k := range a.keys {
		k.build()
	}
	a.logChecks()
	a.sequenceChecks()
	a.finish()
	return &a.out, nil
}

// pair matches invokes with completions by process. The completion's
// micro-ops replace the invoke's when it has any (they carry offsets and
// polled entries); an op never completed keeps the invoke's, as info.
func (a *analyzer) pair(ops []Op) {
	a.recs = make([]rec, 0, len(ops)/2+1)
	open := map[int]int{}
	for i := range ops {
		op := &ops[i]
		if op.F == FSubscribe {
			a.out.Subscribed = true
		}
		if op.Type == TypeInvoke {
			open[op.Process] = len(a.recs)
			a.recs = append(a.recs, rec{inv: int32(i), comp: -1, process: op.Process,
				typ: TypeInfo, f: op.F, mops: op.Value, rebalance: op.Rebalance})
			continue
		}
		r := &a.recs[open[op.Process]] // Validate guarantees the invoke
		delete(open, op.Process)
		r.comp, r.typ = int32(i), op.Type
		if len(op.Value) > 0 {
			r.mops = op.Value
		}
		if len(op.Rebalance) > 0 { // a new slice: never append into the caller's
			r.rebalance = slices.Concat(r.rebalance, op.Rebalance)
		}
	}
	a.out.Ops = len(a.recs)
}

func (a *analyzer) key(name string) *keyLog {
	if id, ok := a.keyID[name]; ok {
		return a.keys[id]
	}
	k := &keyLog{name: name, slotOf: map[int64]int32{}, vals: map[int64]val{}, maxRead: -1, maxReader: -1}
	a.keyID[name] = int32(len(a.keys))
	a.keys = append(a.keys, k)
	return k
}

// index records who sent each value and which values ok polls returned.
func (a *analyzer) index() {
	for ri := range a.recs {
		r := &a.recs[ri]
		for mi := range r.mops {
			m := &r.mops[mi]
			if m.F == FSend {
				k := a.key(m.Key)
				if x := k.get(m.Value); x.writer < 0 {
					x.writer = int32(ri)
					k.vals[m.Value] = x
				}
				continue
			}
			for name, es := range m.Polled {
				k := a.key(name)
				if r.typ != TypeOK {
					continue
				}
				for _, e := range es {
					if x := k.get(e.Value); !x.read {
						x.read = true
						k.vals[e.Value] = x
					}
				}
			}
		}
	}
}

// commit applies Jepsen's rule for indeterminate sends: an info op counts as
// committed only if an ok poll returned one of its values; a failed op never.
func (a *analyzer) commit() {
	for ri := range a.recs {
		r := &a.recs[ri]
		switch r.typ {
		case TypeOK:
			r.committed = true
		case TypeInfo:
			for mi := range r.mops {
				m := &r.mops[mi]
				if m.F != FSend {
					continue
				}
				if a.key(m.Key).get(m.Value).read {
					r.committed = true
					break
				}
			}
		}
	}
}

// observe places values at offsets: committed sends whose offset is known,
// and every polled entry, whatever the poll's outcome (Jepsen's
// version-orders: a consumer is to return only committed data even when its
// own op fails). It also lists acknowledged sends that no ok poll returned.
func (a *analyzer) observe() {
	for ri := range a.recs {
		r := &a.recs[ri]
		for mi := range r.mops {
			m := &r.mops[mi]
			if m.F == FSend {
				k := a.key(m.Key)
				if r.committed && m.Offset >= 0 {
					k.place(m.Offset, m.Value, int32(ri))
				}
				if r.typ == TypeOK && !k.get(m.Value).read {
					k.unseen = append(k.unseen, obs{m.Value, int32(ri)})
				}
				continue
			}
			for name, es := range m.Polled {
				k := a.key(name)
				for _, e := range es {
					if e.Offset >= 0 {
						k.place(e.Offset, e.Value, int32(ri))
					}
				}
			}
		}
	}
}

func (k *keyLog) place(offset, v int64, ri int32) {
	si, ok := k.slotOf[offset]
	if !ok {
		k.slotOf[offset] = int32(len(k.slots))
		k.slots = append(k.slots, slot{offset: offset, first: obs{v, ri}})
		return
	}
	s := &k.slots[si]
	if _, ok := s.holds(v); !ok {
		s.more = append(s.more, obs{v, ri})
	}
}

// build sorts the offsets into dense indices and indexes values by them.
func (k *keyLog) build() {
	sort.Slice(k.slots, func(i, j int) bool { return k.slots[i].offset < k.slots[j].offset })
	for i := range k.slots {
		s := &k.slots[i]
		k.slotOf[s.offset] = int32(i)
		k.index(s.first.v, int32(i))
		for _, o := range s.more {
			k.index(o.v, int32(i))
		}
	}
}

func (k *keyLog) index(v int64, i int32) {
	x := k.get(v)
	if x.first < 0 {
		x.first = i
		k.vals[v] = x
		return
	}
	first := x.first
	if k.dups == nil {
		k.dups = map[int64][]int32{}
	}
	if len(k.dups[v]) == 0 {
		k.dups[v] = []int32{first}
	}
	k.dups[v] = append(k.dups[v], i)
}

// lastIdx is the dense index of the last offset holding v.
func (k *keyLog) lastIdx(v int64) int32 {
	if d := k.dups[v]; len(d) > 0 {
		return d[len(d)-1]
	}
	return k.get(v).first
}

// pos is the dense index of a value an op sent or polled at an offset, or
// -1 when it cannot be placed. The reported offset is trusted only when the
// log holds that value there (an uncommitted send's claimed offset is not);
// otherwise the value's own place is used unless it has several.
func (k *keyLog) pos(offset, v int64) int32 {
	if offset >= 0 {
		if i, ok := k.slotOf[offset]; ok {
			if _, ok := k.slots[i].holds(v); ok {
				return i
			}
		}
	}
	if len(k.dups[v]) > 0 {
		return -1
	}
	return k.get(v).first
}

// opsOf lists the history indices of recs, invokes and completions, sorted.
func (a *analyzer) opsOf(ris ...int32) []int {
	out := make([]int, 0, 2*len(ris))
	for _, ri := range ris {
		r := &a.recs[ri]
		out = append(out, int(r.inv))
		if r.comp >= 0 {
			out = append(out, int(r.comp))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (a *analyzer) add(typ, key string, detail string, ris ...int32) {
	a.out.Anomalies = append(a.out.Anomalies,
		verdict.Anomaly{Type: typ, Key: key, Ops: a.opsOf(ris...), Detail: detail})
}

// finish orders the anomalies, most serious type first, then by key and
// first op, so that reports and tests see a stable order.
func (a *analyzer) finish() {
	sort.SliceStable(a.out.Anomalies, func(i, j int) bool {
		x, y := &a.out.Anomalies[i], &a.out.Anomalies[j]
		if rx, ry := rank[x.Type], rank[y.Type]; rx != ry {
			return rx < ry
		}
		if x.Key != y.Key {
			return x.Key < y.Key
		}
		return len(x.Ops) > 0 && len(y.Ops) > 0 && x.Ops[0] < y.Ops[0]
	})
	a.out.Keys = len(a.keys)
}
