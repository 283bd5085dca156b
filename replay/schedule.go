package replay

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/replay/cex"
	"github.com/jepsen-lite/jepsen-lite/vocab"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// Schedule is a counterexample turned into a simulator run: the client
// ops in the counterexample's order with the times they are invoked at,
// the fault windows (faults.ParseSchedule syntax) and the setup (initial
// stock and balance), for the bug switch of the counterexample's config.
type Schedule struct {
	Config   string // spec/tla config the counterexample comes from
	Property string // the TLA+ property it violates
	Bug      string // the bug switch to run with, "" for none
	// Anomalies are the anomaly types any one of which reproduces the
	// counterexample (vocab.ExpectedAnomalies of Bug).
	Anomalies []string
	Ops       []workloads.Scripted
	Faults    faults.Schedule
	// Until is the end of the main phase: the last op or window, plus a margin.
	Until time.Duration
	// Stock and Balance are the initial stock of s-0 and balance of c-0.
	Stock, Balance int
	// Steps are the counterexample's steps, each with what it became
	// (an op, a fault edge, or a system step the simulator takes by itself).
	Steps []Mapped
}

// Mapped is one counterexample step and its simulator counterpart.
type Mapped struct {
	Step string        // the step as a TLA+ action call, e.g. Deliver("inventory", 1)
	At   time.Duration // the virtual time it is expected at
	As   string        // what it became
}

// Timing of the derived schedule. The model's steps carry no time; each is
// given about what its simulator counterpart takes (sim.DefaultConfig and
// node.DefaultConfig: 0.1–2 ms network, 0.2–3 ms store, 1 ms polls and
// relay), so that a fault or client op lands among the system steps where
// the counterexample has it. Seeds vary the latencies around these.
const (
	start      = 30 * time.Millisecond // after the setup phase
	clientCost = 4 * time.Millisecond  // a client round trip
	sysCost    = 2 * time.Millisecond  // a delivery handled, or a decision appended
	faultLen   = 10 * time.Millisecond // a crash or duplicate window
	margin     = 5 * time.Millisecond
)

// Customer, SKU: the model's one customer and SKU in the simulator.
var (
	simSKU      = workloads.SKU(0)
	simCustomer = workloads.Customer(0)
)

// FromTLC turns the counterexample of a failed TLC check into a schedule.
func FromTLC(check formal.Check) (Schedule, error) {
	cx, err := cex.ReadTLC(check)
	if err != nil {
		return Schedule{}, err
	}
	return FromCounterexample(cx)
}

// FromCounterexample maps a counterexample's steps onto the simulator.
func FromCounterexample(cx cex.Counterexample) (Schedule, error) {
	m := cx.Model
	s := Schedule{Config: cx.Config, Property: cx.Property, Stock: cx.States[0].Stock0 * m.Qty,
		Balance: cx.States[0].Bal0 * m.Amount}
	if m.Bug != saga.BugNone {
		s.Bug = m.Bug
		s.Anomalies = vocab.ExpectedAnomalies[m.Bug]
	}
	b := builder{s: &s, cx: cx, t: start, appended: map[int]time.Duration{}, open: map[string]time.Duration{}}
	for i, l := range cx.Steps {
		if err := b.step(i, l); err != nil {
			return Schedule{}, fmt.Errorf("%s/%s: step %d %s: %v", cx.Config, cx.Property, i+1, l.TLA(), err)
		}
	}
	keys := make([]string, 0, len(b.open))
	for key := range b.open {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys { // partitions never healed: until the end
		fault, target, _ := strings.Cut(key, "@")
		b.window(fault, target, b.open[key], b.t+margin)
	}
	s.Faults = merge(s.Faults)
	s.Until = b.t + margin
	for _, w := range s.Faults {
		s.Until = max(s.Until, w.Stop+margin)
	}
	return s, nil
}

// builder lays the steps on a timeline.
type builder struct {
	s        *Schedule
	cx       cex.Counterexample
	t        time.Duration         // the time of the next step
	appended map[int]time.Duration // model event id -> when its append was expected
	open     map[string]time.Duration
}

func (b *builder) step(i int, l saga.Label) error {
	pre, post := b.cx.States[i], b.cx.States[i+1]
	for id := len(pre.Log) + 1; id <= len(post.Log); id++ {
		b.appended[id] = b.t
	}
	as, cost, err := b.mapStep(pre, l)
	if err != nil {
		return err
	}
	b.s.Steps = append(b.s.Steps, Mapped{Step: l.TLA(), At: b.t, As: as})
	b.t += cost
	return nil
}

// mapStep returns what a step becomes and the time it takes.
func (b *builder) mapStep(pre saga.State, l saga.Label) (string, time.Duration, error) {
	switch l.Name {
	case saga.ActPlace:
		return b.op(vocab.FPlace, l.Args[0], &history.Value{Customer: simCustomer, SKU: simSKU,
			Qty: b.cx.Model.Qty, Amount: b.cx.Model.Amount}), clientCost, nil
	case saga.ActCancelDecide:
		return b.op(vocab.FCancel, l.Args[0], nil), 0, nil
	case saga.ActCancelAppend:
		return "the cancel's append (system step of the cancel op)", sysCost, nil
	case saga.ActReadStrong:
		return b.op(vocab.FReadStrong, l.Args[0], nil), clientCost, nil
	case saga.ActFlush:
		return "the write-behind flush (ack-before-persist; system step)", sysCost, nil
	case saga.ActDeliver, saga.ActOrdersDecide:
		c, id, err := b.msg(l)
		if err != nil {
			return "", 0, err
		}
		as := "deliver + handle + commit by " + c + " (system step)"
		if early := b.earlier(pre, c, id); early > 0 {
			b.window(vocab.FaultReorder, c, b.appended[early], b.t+faultLen)
			as += "; out of version order: " + vocab.FaultReorder + "@" + c
		}
		if l.Name == saga.ActOrdersDecide {
			as = "the orders consumer's decision (system step)"
		}
		return as, sysCost, nil
	case saga.ActOrdersAppend:
		return "the orders consumer's append + commit (system step)", sysCost, nil
	case saga.ActDuplicate:
		c, id, err := b.msg(l)
		if err != nil {
			return "", 0, err
		}
		b.window(vocab.FaultDuplicate, c, b.appended[id], b.t+faultLen)
		return vocab.FaultDuplicate + "@" + c + " while the event is fetched", 0, nil
	case saga.ActCrashOrders:
		b.window(vocab.FaultCrash, vocab.ServiceOrders, b.t, b.t+faultLen)
		return vocab.FaultCrash + "@" + vocab.ServiceOrders, 0, nil
	case saga.ActCrashAfterCommit:
		c, _, err := b.msg(l)
		if err != nil {
			return "", 0, err
		}
		b.window(vocab.FaultCrash, c, b.t, b.t+faultLen)
		return vocab.FaultCrash + "@" + c + " between its commit on receipt and the handling", 0, nil
	case saga.ActPartition:
		b.open[vocab.FaultPartition+"@"+l.Args[0]] = b.t
		return vocab.FaultPartition + "@" + l.Args[0] + " starts", 0, nil
	case saga.ActHeal:
		key := vocab.FaultPartition + "@" + l.Args[0]
		b.window(vocab.FaultPartition, l.Args[0], b.open[key], b.t)
		delete(b.open, key)
		return vocab.FaultPartition + "@" + l.Args[0] + " stops", 0, nil
	case saga.ActDone:
		return "the run is over (final phase)", 0, nil
	}
	return "", 0, fmt.Errorf("no simulator counterpart for action %q", l.Name)
}

// op appends a client op at the current time.
func (b *builder) op(f, key string, v *history.Value) string {
	b.s.Ops = append(b.s.Ops, workloads.Scripted{At: b.t, F: f, Key: key, Value: v})
	return "client op " + f + " " + key
}

// msg reads a message step's consumer and event id.
func (b *builder) msg(l saga.Label) (string, int, error) {
	c, idArg := vocab.ServiceOrders, l.Args[0]
	if len(l.Args) == 2 {
		c, idArg = l.Args[0], l.Args[1]
	}
	id, err := strconv.Atoi(idArg)
	if err != nil || id < 1 {
		return "", 0, fmt.Errorf("event id %q", idArg)
	}
	return c, id, nil
}

// earlier returns the id of an event of id's stream with a lower version
// that consumer c is sent and has not handled, 0 when none: handling id
// now takes it out of version order, which the simulator's bus does only
// under a reorder fault.
func (b *builder) earlier(pre saga.State, c string, id int) int {
	ci := saga.ConsumerIndex(c)
	if ci < 0 || id > len(pre.Log) || pre.Handled[ci].Has(id) {
		return 0
	}
	e := pre.Log[id-1]
	for _, x := range pre.Log {
		if x.Agg == e.Agg && x.Ver < e.Ver && saga.Reacts(ci, x.Type) && !pre.Handled[ci].Has(x.ID) {
			return x.ID
		}
	}
	return 0
}

// window adds a fault window (at least a millisecond long).
func (b *builder) window(fault, target string, from, to time.Duration) {
	to = max(to, from+time.Millisecond)
	b.s.Faults = append(b.s.Faults, faults.Window{Fault: fault, Target: target, Start: from, Stop: to})
}

// merge sorts windows by start and joins overlapping windows of one fault
// on one target (the nemesis opens one window per fault and target at a time).
func merge(ws faults.Schedule) faults.Schedule {
	out := faults.Schedule{}
	slices.SortStableFunc(ws, func(a, b faults.Window) int { return int(a.Start - b.Start) })
	for _, w := range ws {
		j := slices.IndexFunc(out, func(o faults.Window) bool {
			return o.Fault == w.Fault && o.Target == w.Target && w.Start <= o.Stop
		})
		if j >= 0 {
			out[j].Stop = max(out[j].Stop, w.Stop)
			continue
		}
		out = append(out, w)
	}
	return out
}
