package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/verdict"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Bounds on the history shown around one anomaly.
const (
	neighboursMax = 2  // ops on the same key before the first and after the last named op
	contextRowMax = 30 // rows per anomaly: named ops first, neighbours dropped first
)

// opIndex finds the ops around an anomaly without scanning the history
// each time: a 100k-op run has thousands of anomalies to place.
type opIndex struct {
	ops     []history.Op
	partner []int            // the invoke of a completion and back, -1 when none
	byKey   map[string][]int // history indices of each key's ops, ascending
}

func newOpIndex(ops []history.Op) *opIndex {
	ix := &opIndex{ops: ops, partner: make([]int, len(ops)), byKey: map[string][]int{}}
	open := map[int]int{} // process -> index of its open invoke
	for i := range ops {
		op := &ops[i]
		ix.partner[i] = -1
		if op.Key != "" {
			ix.byKey[op.Key] = append(ix.byKey[op.Key], i)
		}
		if !op.IsClient() {
			continue
		}
		if op.Type == vocab.TypeInvoke {
			open[op.Process] = i
			continue
		}
		if j, ok := open[op.Process]; ok {
			ix.partner[i], ix.partner[j] = j, i
			delete(open, op.Process)
		}
	}
	return ix
}

// opRow is one history op as the anomaly tables show it.
type opRow struct {
	Index   int
	Time    string // seconds of run time
	Process string
	Type    string
	F       string
	Key     string
	Value   string
	Error   string
	Named   bool // the anomaly names this op (the others are context)
}

// context returns the rows shown under an anomaly: the ops it names and
// their invokes or completions, the ops on its key between them, and a few
// neighbours on that key before and after. An anomaly that names no ops
// (e.g. a conservation failure on a SKU) shows the last ops on its key,
// where the final reads are.
func (ix *opIndex) context(a verdict.Anomaly) []opRow {
	p := picker{n: len(ix.ops), named: map[int]bool{}, seen: map[int]bool{}}
	for _, i := range a.Ops {
		if p.add(i) {
			p.named[i] = true
		}
	}
	for _, i := range a.Ops {
		if i >= 0 && i < len(ix.ops) {
			p.add(ix.partner[i])
		}
	}
	ix.addKey(&p, a.Key)
	picked := p.order
	if len(picked) > contextRowMax {
		// Keep named ops first, then the rest in the order they were added
		// (partners before neighbours).
		slices.SortStableFunc(picked, func(x, y int) int { return boolRank(p.named[y]) - boolRank(p.named[x]) })
		picked = picked[:contextRowMax]
	}
	slices.Sort(picked)
	rows := make([]opRow, len(picked))
	for k, i := range picked {
		rows[k] = rowOf(&ix.ops[i], p.named[i])
	}
	return rows
}

// picker collects distinct valid history indices in the order added.
type picker struct {
	n     int
	order []int
	seen  map[int]bool
	named map[int]bool
}

// add adds i when it is a history index; an anomaly naming an index the
// history lacks (a damaged run) is shown without it rather than failing.
func (p *picker) add(i int) bool {
	if i < 0 || i >= p.n {
		return false
	}
	if !p.seen[i] {
		p.seen[i] = true
		p.order = append(p.order, i)
	}
	return true
}

// addKey adds the ops on key within and around the span picked so far.
func (ix *opIndex) addKey(p *picker, key string) {
	on := ix.byKey[key]
	if key == "" || len(on) == 0 {
		return
	}
	if len(p.order) == 0 {
		for _, i := range on[max(0, len(on)-2*neighboursMax-1):] {
			p.add(i)
		}
		return
	}
	first, _ := slices.BinarySearch(on, slices.Min(p.order))
	last, found := slices.BinarySearch(on, slices.Max(p.order))
	if found {
		last++
	}
	for _, i := range on[max(0, first-neighboursMax):min(len(on), last+neighboursMax)] {
		p.add(i)
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rowOf renders one op. The strings are plain text; html/template escapes
// them, so a history value holding markup shows as text.
func rowOf(op *history.Op, named bool) opRow {
	proc := strconv.Itoa(op.Process)
	if !op.IsClient() {
		proc = "nemesis"
	}
	return opRow{Index: op.Index, Time: seconds(op.Time), Process: proc, Type: op.Type,
		F: op.F, Key: op.Key, Value: valueText(op.Value), Error: op.Error, Named: named}
}

// seconds formats nanoseconds of run time as seconds to the microsecond.
func seconds(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 6, 64) }

// valueText renders an op's value as "field=value" pairs in a fixed order,
// shorter than its JSON and free of the \u003c escapes json.Marshal adds.
func valueText(v *history.Value) string {
	if v == nil {
		return ""
	}
	var parts []string
	str := func(name, s string) {
		if s != "" {
			parts = append(parts, name+"="+s)
		}
	}
	num := func(name string, n int) {
		if n != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", name, n))
		}
	}
	str("fault", v.Fault)
	str("edge", v.Edge)
	str("target", v.Target)
	str("customer", v.Customer)
	str("sku", v.SKU)
	num("qty", v.Qty)
	num("amount", v.Amount)
	str("status", v.Status)
	if v.Stock != nil {
		parts = append(parts, fmt.Sprintf("stock=%d", *v.Stock))
	}
	if v.Balance != nil {
		parts = append(parts, fmt.Sprintf("balance=%d", *v.Balance))
	}
	if len(v.Data) > 0 {
		parts = append(parts, "data="+string(v.Data))
	}
	return strings.Join(parts, " ")
}
