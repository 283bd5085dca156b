package checker

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/model"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Linearizable checks that the place, cancel and read-strong ops of every
// order are linearizable against model.OrderModel, with porcupine. Orders are
// independent, so it searches each order's ops on its own (porcupine's
// partitioning): a history is linearizable iff every order's ops are.
//
// Info ops (and ops that never completed) get an infinite return time and may
// or may not have taken effect. Place fails wrote nothing and read-strong
// fails and infos observed nothing: they are dropped.
type Linearizable struct {
	// Timeout is the total time budget of all searches; 0 = no limit. An
	// order whose search did not finish in it makes the verdict unknown.
	Timeout time.Duration
	// Partitioned searches each order alone (NewLinearizable's default).
	// False runs one search over every order with model.OrdersModel: the
	// same verdict, exponentially slower; it exists for benchmarks.
	Partitioned bool
	// HeapGrowthMax bounds how far the Go heap may grow while the searches
	// run (porcupine's caches live until a search returns); 0 = 1 GiB. A
	// search that finds the heap past it stops and its order counts as unknown.
	HeapGrowthMax int64
}

// NewLinearizable returns a partitioned Linearizable checker with no time limit.
func NewLinearizable() *Linearizable { return &Linearizable{Partitioned: true} }

// Name is "linearizable".
func (c *Linearizable) Name() string { return "linearizable" }

const (
	linHeapGrowthMaxDefault = 1 << 30
	// linAnomalyOpsMax caps the history indices one anomaly lists.
	linAnomalyOpsMax = 50
	// linVisualizationsMax caps the HTML files one check writes: a bug
	// usually breaks many orders alike, and each file embeds porcupine's viewer.
	linVisualizationsMax = 20
	// linExplainMin is the least time a failing order's detailed re-run gets,
	// even when the budget is spent: the verdict is known, its detail is cheap.
	linExplainMin = time.Second
)

// Check runs the searches and reports one anomaly per non-linearizable order.
func (c *Linearizable) Check(in *Input) Result {
	h := linBuild(in.Ops)
	if h.ops == 0 {
		return Result{Valid: Valid, Note: "no place, cancel or read-strong ops on orders to check"}
	}
	var deadline time.Time
	if c.Timeout > 0 {
		deadline = time.Now().Add(c.Timeout)
	}
	heapMax := linHeapBytes() + c.heapGrowthMax()
	if !c.Partitioned {
		return c.checkWhole(h, deadline, heapMax)
	}
	outcomes := c.searchParts(h.parts, deadline, heapMax)
	return c.verdict(in, h, outcomes, deadline, heapMax)
}

func (c *Linearizable) heapGrowthMax() int64 {
	if c.HeapGrowthMax > 0 {
		return c.HeapGrowthMax
	}
	return linHeapGrowthMaxDefault
}

// orderModel is model.OrderModel without its partition function: the
// checker partitions itself, to get a verdict per order.
func orderModel() porcupine.Model {
	m := model.OrderModel()
	m.Partition = nil
	return m
}

// searchParts searches every partition on GOMAXPROCS workers. Outcomes are
// indexed like parts, so the report does not depend on scheduling (except
// for which orders a timeout leaves unknown).
func (c *Linearizable) searchParts(parts []linPartition, deadline time.Time, heapMax int64) []linOutcome {
	out := make([]linOutcome, len(parts))
	workers := min(runtime.GOMAXPROCS(0), len(parts))
	m := orderModel()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(parts); i = int(next.Add(1) - 1) {
				out[i], _ = linSearch(m, parts[i].ops, deadline, heapMax, false)
			}
		})
	}
	wg.Wait()
	return out
}

// verdict merges the outcomes: invalid if any order is not linearizable,
// else unknown if any search did not finish, else valid.
func (c *Linearizable) verdict(in *Input, h linHistory, outcomes []linOutcome, deadline time.Time, heapMax int64) Result {
	res := Result{Valid: Valid}
	var unknown []string
	why := map[string]int{}
	failed := 0
	var notes []string
	for i, o := range outcomes {
		p := h.parts[i]
		switch o.res {
		case porcupine.Unknown:
			unknown = append(unknown, p.key)
			why[o.why]++
		case porcupine.Illegal:
			failed++
			a, file, err := c.explain(in, p, deadline, heapMax, len(res.Files) < linVisualizationsMax)
			res.Invalidate(a)
			if file != "" {
				res.Files = append(res.Files, file)
			}
			if err != nil {
				notes = append(notes, err.Error())
			}
		}
	}
	note := fmt.Sprintf("%d ops on %d orders, searched per order (dropped %d place fails and read-strong fails/infos): %d not linearizable",
		h.ops, len(h.parts), h.dropped, failed)
	if len(unknown) > 0 {
		if res.Valid == Valid {
			res.Valid = Unknown
		}
		note += fmt.Sprintf("; %d unknown: porcupine did not finish them within the %s (orders %s)",
			len(unknown), linWhyText(why, c), linKeysText(unknown))
	}
	if failed > linVisualizationsMax && in.OutDir != "" {
		note += fmt.Sprintf("; visualized the first %d failing orders", linVisualizationsMax)
	}
	res.Note = strings.Join(append([]string{note}, notes...), "; ")
	return res
}

// checkWhole searches all orders at once with model.OrdersModel.
func (c *Linearizable) checkWhole(h linHistory, deadline time.Time, heapMax int64) Result {
	keys := make([]string, len(h.parts))
	ops := make([]porcupine.Operation, 0, h.ops)
	for i, p := range h.parts {
		keys[i] = p.key
		ops = append(ops, p.ops...)
	}
	m := model.OrdersModel(keys)
	o, _ := linSearch(m, ops, deadline, heapMax, false)
	what := fmt.Sprintf("%d ops on %d orders, searched unpartitioned", h.ops, len(keys))
	switch o.res {
	case porcupine.Ok:
		return Result{Valid: Valid, Note: what}
	case porcupine.Unknown:
		return Result{Valid: Unknown, Note: what + ": porcupine did not finish within the " +
			linWhyText(map[string]int{o.why: 1}, c)}
	}
	res := Result{Note: what}
	res.Invalidate(Anomaly{Type: vocab.AnomalyNonlinearizable,
		Detail: "no linearization of the whole history; run partitioned to name the orders"})
	return res
}

// linWhyText says which limit stopped the unfinished searches.
func linWhyText(why map[string]int, c *Linearizable) string {
	var parts []string
	if why[linWhyTimeout] > 0 {
		parts = append(parts, fmt.Sprintf("%s of %v", linWhyTimeout, c.Timeout))
	}
	if why[linWhyMemory] > 0 {
		parts = append(parts, fmt.Sprintf("%s of %d MiB heap growth", linWhyMemory, c.heapGrowthMax()>>20))
	}
	return strings.Join(parts, " and ")
}

// linKeysText lists up to 5 keys.
func linKeysText(keys []string) string {
	if len(keys) <= 5 {
		return strings.Join(keys, ", ")
	}
	return strings.Join(keys[:5], ", ") + fmt.Sprintf(", … %d more", len(keys)-5)
}
