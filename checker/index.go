package checker

import (
	"sync"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The property checkers (props_*.go) all look at the same few facts: each
// order's place and cancel ops and final reads, each SKU's restocks and final
// stock, each account's deposits and final balance, and a handful of
// per-event facts from the trace. index gathers them in one pass over the
// history and one over the trace, so that running every property checker
// costs about one pass instead of one per checker.

// call is one client operation: its invoke and its completion.
type call struct {
	inv  int    // history index of the invoke
	comp int    // history index of the completion, -1 when it never completed
	typ  string // ok, fail or info (info also when it never completed)
}

// orderIx is what the history says about one order key.
type orderIx struct {
	key     string
	places  []int // indices into index.calls, in invoke order
	cancels []int
	strong  []int // final-phase read-strong calls
	proj    []int // final-phase read-projection calls

	// Settled once by resolveOrders, since most checkers ask them of every
	// order: whether a place completed ok, whether one is in doubt (info),
	// whether a cancel completed ok, and the final read-strong status with
	// that read (finalKnown false when no final read-strong completed ok).
	placeOK, placeInDoubt, cancelOK bool
	final                           string
	finalRead                       call
	finalKnown                      bool

	// val is the value of the order as placed, nil when no ok or info place
	// carried one; ambiguous is set when such places carried different
	// values, so none can be trusted (val is then the first of them).
	val       *history.Value
	ambiguous bool
}

// accountIx is what the history says about one SKU or customer: its
// restocks (deposits), the orders on it and its final reads.
type accountIx struct {
	key     string
	credits []int      // restock or deposit calls
	reads   []int      // final-phase read-stock or read-balance calls
	orders  []*orderIx // orders whose placed value names this key
}

// index is the shared, read-only digest of one Input. The lists keep the
// order of first appearance, so that every checker reports deterministically.
type index struct {
	ops   []history.Op
	final int    // history index of the final-phase marker, -1 when none
	edge  string // the marker's edge: vocab.EdgeQuiescent or vocab.EdgeTimeout
	calls []call

	orders    map[string]*orderIx
	orderList []*orderIx
	skus      map[string]*accountIx
	skuList   []*accountIx
	custs     map[string]*accountIx
	custList  []*accountIx

	tr *traceIx // nil when the Input has no trace
}

// indexCache is what Input.idx holds: the index and the shape of the Input
// it was built from, so that an Input whose slices were replaced after a
// first Check gets a fresh index instead of a stale one.
type indexCache struct {
	ops   []history.Op
	trace []trace.Event
	once  sync.Once
	ix    *index
}

// matches reports whether in still holds the slices the index was built
// from. (The truncation flags are not indexed: checkers read them from in.)
func (c *indexCache) matches(in *Input) bool {
	return len(c.ops) == len(in.Ops) && len(c.trace) == len(in.Trace) &&
		(len(in.Ops) == 0 || &c.ops[0] == &in.Ops[0]) &&
		(len(in.Trace) == 0 || &c.trace[0] == &in.Trace[0]) &&
		(c.trace == nil) == (in.Trace == nil)
}

// indexMu guards Input.idx only; the index itself is built outside it (under
// the cache's Once), so checkers of different Inputs index in parallel.
var indexMu sync.Mutex

// indexOf returns the index of in, building it on first use. It is safe for
// concurrent checkers of one Input. The Input must not be mutated in place
// after its first Check (replacing its slices is detected and re-indexed).
func indexOf(in *Input) *index {
	indexMu.Lock()
	c, _ := in.idx.(*indexCache)
	if c == nil || !c.matches(in) {
		c = &indexCache{ops: in.Ops, trace: in.Trace}
		in.idx = c
	}
	indexMu.Unlock()
	c.once.Do(func() { c.ix = buildIndex(c.ops, c.trace) })
	return c.ix
}

// buildIndex makes the index of a history and its trace (nil when none):
// one pass over each.
func buildIndex(ops []history.Op, events []trace.Event) *index {
	ix := &index{
		ops:    ops,
		final:  -1,
		calls:  make([]call, 0, len(ops)/2+1),
		orders: map[string]*orderIx{},
		skus:   map[string]*accountIx{},
		custs:  map[string]*accountIx{},
	}
	// The two passes share nothing, so the trace's (the longer) runs
	// beside the history's.
	var wg sync.WaitGroup
	if events != nil {
		wg.Go(func() { ix.tr = buildTraceIndex(events) })
	}
	ix.scanHistory(ops)
	ix.resolveOrders()
	wg.Wait()
	return ix
}

// processTable maps a process to its open invoke (an index into calls). The
// common case, small non-negative process numbers, is a slice lookup; a map
// catches the rest so that odd histories stay correct.
type processTable struct {
	small []int // call index + 1; 0 = no open invoke
	large map[int]int
}

const smallProcessMax = 1 << 16

func (t *processTable) open(p, c int) {
	if p >= 0 && p < smallProcessMax {
		for p >= len(t.small) {
			t.small = append(t.small, 0)
		}
		t.small[p] = c + 1
		return
	}
	if t.large == nil {
		t.large = map[int]int{}
	}
	t.large[p] = c + 1
}

// close returns and forgets the open invoke of p, -1 when there is none.
func (t *processTable) close(p int) int {
	if p >= 0 && p < smallProcessMax {
		if p >= len(t.small) {
			return -1
		}
		c := t.small[p] - 1
		t.small[p] = 0
		return c
	}
	c, ok := t.large[p]
	if !ok {
		return -1
	}
	delete(t.large, p)
	return c - 1
}

// scanHistory pairs invokes with completions by process and files every
// call under its key. Main-phase reads are not kept: no property checker
// uses them (linearizability has its own pass).
func (ix *index) scanHistory(ops []history.Op) {
	var procs processTable
	for i := range ops {
		op := &ops[i]
		if op.F == vocab.FNemesis || !op.IsClient() {
			if ix.final < 0 && op.Value != nil && op.Value.Fault == vocab.MarkFinal {
				ix.final, ix.edge = i, op.Value.Edge
			}
			continue
		}
		if op.Type != vocab.TypeInvoke {
			if c := procs.close(op.Process); c >= 0 {
				ix.calls[c].comp, ix.calls[c].typ = i, op.Type
			}
			continue
		}
		c := len(ix.calls)
		// A process that invokes again without completing leaves its
		// earlier op open forever: info, as Jepsen treats it.
		ix.calls = append(ix.calls, call{inv: i, comp: -1, typ: vocab.TypeInfo})
		procs.open(op.Process, c)
		ix.file(op, c)
	}
}

// file records call c (whose invoke is op) under its key.
func (ix *index) file(op *history.Op, c int) {
	finalPhase := ix.final >= 0
	switch op.F {
	case vocab.FPlace:
		o := ix.order(op.Key)
		o.places = append(o.places, c)
	case vocab.FCancel:
		o := ix.order(op.Key)
		o.cancels = append(o.cancels, c)
	case vocab.FReadStrong:
		if finalPhase {
			o := ix.order(op.Key)
			o.strong = append(o.strong, c)
		}
	case vocab.FReadProjection:
		if finalPhase {
			o := ix.order(op.Key)
			o.proj = append(o.proj, c)
		}
	case vocab.FRestock:
		a := ix.account(ix.skus, &ix.skuList, op.Key)
		a.credits = append(a.credits, c)
	case vocab.FDeposit:
		a := ix.account(ix.custs, &ix.custList, op.Key)
		a.credits = append(a.credits, c)
	case vocab.FReadStock:
		if finalPhase {
			a := ix.account(ix.skus, &ix.skuList, op.Key)
			a.reads = append(a.reads, c)
		}
	case vocab.FReadBalance:
		if finalPhase {
			a := ix.account(ix.custs, &ix.custList, op.Key)
			a.reads = append(a.reads, c)
		}
	}
}

func (ix *index) order(key string) *orderIx {
	o := ix.orders[key]
	if o == nil {
		o = &orderIx{key: key}
		ix.orders[key] = o
		ix.orderList = append(ix.orderList, o)
	}
	return o
}

func (ix *index) account(m map[string]*accountIx, list *[]*accountIx, key string) *accountIx {
	a := m[key]
	if a == nil {
		a = &accountIx{key: key}
		m[key] = a
		*list = append(*list, a)
	}
	return a
}

// resolveOrders settles each order's placed value and files the order under
// its SKU and customer. A failed place wrote nothing, so only ok and info
// places count (PROTOCOL.md: fail = "wrote nothing").
func (ix *index) resolveOrders() {
	var cands []*history.Value
	for _, o := range ix.orderList {
		ix.summarize(o)
		cands = cands[:0]
		for _, c := range o.places {
			if v := ix.ops[ix.calls[c].inv].Value; v != nil && ix.calls[c].typ != vocab.TypeFail {
				cands = append(cands, v)
			}
		}
		if len(cands) == 0 {
			continue
		}
		o.val = cands[0]
		if len(cands) == 1 { // the common case: file it without the maps below
			ix.fileOrder(ix.skus, &ix.skuList, o.val.SKU, o)
			ix.fileOrder(ix.custs, &ix.custList, o.val.Customer, o)
			continue
		}
		seenSKU, seenCust := map[string]bool{}, map[string]bool{}
		for _, v := range cands {
			if v.SKU != o.val.SKU || v.Customer != o.val.Customer || v.Qty != o.val.Qty || v.Amount != o.val.Amount {
				o.ambiguous = true
			}
			// An ambiguous order is filed under every SKU and customer it
			// may be on, so each of them learns it cannot be judged.
			if !seenSKU[v.SKU] {
				seenSKU[v.SKU] = true
				ix.fileOrder(ix.skus, &ix.skuList, v.SKU, o)
			}
			if !seenCust[v.Customer] {
				seenCust[v.Customer] = true
				ix.fileOrder(ix.custs, &ix.custList, v.Customer, o)
			}
		}
	}
}

// summarize settles an order's outcome flags and final status.
func (ix *index) summarize(o *orderIx) {
	for _, c := range o.places {
		switch ix.calls[c].typ {
		case vocab.TypeOK:
			o.placeOK = true
		case vocab.TypeInfo:
			o.placeInDoubt = true
		}
	}
	for _, c := range o.cancels {
		o.cancelOK = o.cancelOK || ix.calls[c].typ == vocab.TypeOK
	}
	o.final, o.finalRead, o.finalKnown = ix.status(o.strong)
}

// An empty key (a place without a sku or customer) names nothing to check.
func (ix *index) fileOrder(m map[string]*accountIx, list *[]*accountIx, key string, o *orderIx) {
	if key == "" {
		return
	}
	a := ix.account(m, list, key)
	a.orders = append(a.orders, o)
}

// lastOK returns the last call of cs that completed ok, false when none did.
func (ix *index) lastOK(cs []int) (call, bool) {
	for i := len(cs) - 1; i >= 0; i-- {
		if c := ix.calls[cs[i]]; c.typ == vocab.TypeOK {
			return c, true
		}
	}
	return call{}, false
}

// status returns the status of the last ok read among cs, with that read;
// false when no read completed ok with a status.
func (ix *index) status(cs []int) (string, call, bool) {
	c, ok := ix.lastOK(cs)
	if !ok {
		return "", c, false
	}
	v := ix.ops[c.comp].Value
	if v == nil || v.Status == "" {
		return "", c, false
	}
	return v.Status, c, true
}

// callOps appends the history indices (invoke and, if any, completion) of
// each of cs to dst.
func (ix *index) callOps(dst []int, cs ...call) []int {
	for _, c := range cs {
		dst = append(dst, c.inv)
		if c.comp >= 0 {
			dst = append(dst, c.comp)
		}
	}
	return dst
}

// placeOps returns the history indices of an order's place ops, nil for an
// order the history never placed.
func (ix *index) placeOps(key string) []int {
	o := ix.orders[key]
	if o == nil {
		return nil
	}
	var out []int
	for _, c := range o.places {
		out = ix.callOps(out, ix.calls[c])
	}
	return out
}

// finalGate says why checks that need the final phase (and, when quiescent
// is set, quiescence) cannot run: "" when they can.
func (ix *index) finalGate(in *Input, quiescent bool) string {
	if ix.final < 0 {
		if in.HistoryTruncated {
			return "no final phase: the history was cut short (killed run)"
		}
		return "no final phase: the history has no " + vocab.MarkFinal + " marker"
	}
	if quiescent && ix.edge != vocab.EdgeQuiescent {
		return "the final phase did not reach quiescence (edge " + quote(ix.edge) + ")"
	}
	return ""
}

func quote(s string) string { return `"` + s + `"` }
