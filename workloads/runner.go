package workloads

import (
	"math/rand/v2"
	"time"

	"github.com/jepsen-lite/jepsen-lite/clock"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Response is a completed operation: ok or fail. An unknown outcome is the
// absence of a response (the runner's timeout turns it into info).
type Response struct {
	OK    bool
	Value *history.Value
	Error string
}

// Client executes operations against the system under test. done is called
// at most once, on the driver's clock.
type Client interface {
	Invoke(req Request, done func(Response))
}

// Runner drives the three phases over a client.
type Runner struct {
	cfg    Config
	gen    *Generator
	rng    *rand.Rand
	client Client
	sched  clock.Scheduler
	rec    *history.Recorder

	queue    []Request // setup or final-phase ops still to invoke
	phase    int
	invoked  int // main-phase invokes
	running  int // processes with an op in flight or thinking
	nextProc int
	finish   func(next func(quiescent bool))
	done     bool
}

const (
	phaseSetup = iota
	phaseMain
	phaseFinal
)

// NewRunner prepares a run; call Start.
func NewRunner(cfg Config, rng *rand.Rand, client Client, sched clock.Scheduler, rec *history.Recorder) *Runner {
	return &Runner{cfg: cfg, gen: NewGenerator(cfg, rng), rng: rng, client: client, sched: sched, rec: rec}
}

// Done reports whether the final reads are complete.
func (r *Runner) Done() bool { return r.done }

// Invoked returns the number of main-phase invokes so far.
func (r *Runner) Invoked() int { return r.invoked }

// StopMain ends the main phase early (a time limit): no new ops are drawn.
func (r *Runner) StopMain() {
	if r.phase == phaseMain {
		r.cfg.Ops = r.invoked
	}
}

// Start begins the setup phase. After the main phase, finish is called; it
// must heal all faults, wait for quiescence and then call next.
func (r *Runner) Start(finish func(next func(quiescent bool))) {
	r.finish = finish
	for i := range r.cfg.Customers {
		r.queue = append(r.queue, Request{F: vocab.FDeposit, Key: Customer(i), Value: &history.Value{Amount: r.cfg.BalanceInitial}})
	}
	for i := range r.cfg.SKUs {
		r.queue = append(r.queue, Request{F: vocab.FRestock, Key: SKU(i), Value: &history.Value{Qty: r.cfg.StockInitial}})
	}
	r.launch()
}

// launch starts Concurrency processes on the current phase.
func (r *Runner) launch() {
	n := r.cfg.Concurrency
	if r.scripted() {
		n = 1
	}
	for range n {
		r.running++
		proc := r.nextProc
		r.nextProc++
		r.sched.After(0, func() { r.step(proc) })
	}
}

// step invokes a process's next op, or retires the process when its phase
// has nothing left.
func (r *Runner) step(proc int) {
	if wait := r.scriptWait(); wait > 0 {
		r.sched.After(wait, func() { r.step(proc) })
		return
	}
	req, ok := r.next()
	if !ok {
		r.running--
		if r.running == 0 {
			r.phaseDone()
		}
		return
	}
	r.invoke(proc, req)
}

func (r *Runner) next() (Request, bool) {
	if r.scripted() {
		return r.nextScripted()
	}
	if r.phase == phaseMain {
		if r.invoked >= r.cfg.Ops {
			return Request{}, false
		}
		r.invoked++
		return r.gen.Next(), true
	}
	if len(r.queue) == 0 {
		return Request{}, false
	}
	req := r.queue[0]
	r.queue = r.queue[1:]
	return req, true
}

func (r *Runner) invoke(proc int, req Request) {
	req.Op = r.rec.Record(history.Op{Type: vocab.TypeInvoke, Process: proc, F: req.F, Key: req.Key,
		Value: req.Value, Time: int64(r.sched.Now())})
	completed := false
	complete := func(op history.Op) {
		completed = true
		op.Process, op.F, op.Key, op.Time = proc, req.F, req.Key, int64(r.sched.Now())
		r.rec.Record(op)
		if op.Type == vocab.TypeInfo {
			// As in Jepsen, a process whose op is indeterminate is retired:
			// the op may still take effect, so a new process takes over.
			proc = r.nextProc
			r.nextProc++
		}
		think := time.Duration(r.rng.Int64N(int64(r.cfg.ThinkMax) + 1))
		r.sched.After(think, func() { r.step(proc) })
	}
	r.sched.After(r.cfg.Timeout, func() {
		if !completed {
			complete(history.Op{Type: vocab.TypeInfo, Error: "timeout"})
		}
	})
	r.client.Invoke(req, func(resp Response) {
		if completed {
			return
		}
		if resp.OK {
			complete(history.Op{Type: vocab.TypeOK, Value: resp.Value})
			return
		}
		complete(history.Op{Type: vocab.TypeFail, Error: resp.Error})
	})
}

// phaseDone moves to the next phase once every process has retired.
func (r *Runner) phaseDone() {
	switch r.phase {
	case phaseSetup:
		r.phase = phaseMain
		r.launch()
	case phaseMain:
		r.phase = phaseFinal
		r.finish(r.finalReads)
	case phaseFinal:
		r.done = true
	}
}

// finalReads records the final-phase marker and reads everything.
func (r *Runner) finalReads(quiescent bool) {
	edge := vocab.EdgeQuiescent
	if !quiescent {
		edge = vocab.EdgeTimeout
	}
	r.rec.Record(history.Op{Type: vocab.TypeInfo, Process: vocab.NemesisProcess, F: vocab.FNemesis,
		Time: int64(r.sched.Now()), Value: &history.Value{Fault: vocab.MarkFinal, Edge: edge}})
	for _, o := range r.gen.Orders() {
		r.queue = append(r.queue, Request{F: vocab.FReadStrong, Key: o}, Request{F: vocab.FReadProjection, Key: o})
	}
	for i := range r.cfg.SKUs {
		r.queue = append(r.queue, Request{F: vocab.FReadStock, Key: SKU(i)})
	}
	for i := range r.cfg.Customers {
		r.queue = append(r.queue, Request{F: vocab.FReadBalance, Key: Customer(i)})
	}
	r.launch()
}
