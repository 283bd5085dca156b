package sut

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// driver is what both clocks share: the operations still to draw, the
// client processes and the history. Its methods lock, so real-time
// processes call them from their goroutines.
type driver struct {
	t   Test
	ctx context.Context
	rec *history.Recorder
	now func() time.Duration

	mu       sync.Mutex
	gen      func(*rand.Rand) Op
	rng      *rand.Rand
	left     int  // main-phase operations still to draw
	final    []Op // final operations still to run (final phase)
	inFinal  bool
	nextProc int
	last     int64 // time of the last recorded op: times strictly increase
	err      error // first error; the run ends with it
}

// proc is one client process: its history id, its node and its client.
type proc struct {
	id     int
	slot   int // index among the Concurrency processes, fixed across retirements
	node   string
	client Client
}

func newDriver(ctx context.Context, t Test, rec *history.Recorder, rng *rand.Rand, now func() time.Duration) *driver {
	return &driver{t: t, ctx: ctx, rec: rec, now: now, gen: t.Workload.generator(), rng: rng,
		left: t.Ops, nextProc: t.Concurrency}
}

// open makes and opens the client of a new process in slot.
func (d *driver) open(slot, id int) (*proc, error) {
	p := &proc{id: id, slot: slot, node: d.t.Nodes[slot%len(d.t.Nodes)], client: d.t.NewClient()}
	if p.client == nil {
		return nil, fmt.Errorf("NewClient returned nil")
	}
	if err := p.client.Open(d.ctx, p.node); err != nil {
		return nil, fmt.Errorf("client of process %d: open %s: %w", id, p.node, err)
	}
	return p, nil
}

// next returns the process's next operation, false when its phase has none left.
func (d *driver) next() (Op, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil || d.ctx.Err() != nil {
		return Op{}, false
	}
	if d.inFinal {
		if len(d.final) == 0 {
			return Op{}, false
		}
		op := d.final[0]
		d.final = d.final[1:]
		return op, true
	}
	if d.left <= 0 {
		return Op{}, false
	}
	d.left--
	return d.gen(d.rng), true
}

// startFinal switches to the final phase.
func (d *driver) startFinal() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inFinal = true
	d.final = append([]Op(nil), d.t.Workload.Final...)
}

// think draws a process's pause before its next operation.
func (d *driver) think() time.Duration { return d.draw(d.t.ThinkMax) }

// draw returns a duration in [0, limit] from the workload's source.
func (d *driver) draw(limit time.Duration) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return time.Duration(d.rng.Int64N(int64(limit) + 1))
}

// invoke records op's invoke by p.
func (d *driver) invoke(p *proc, op Op) {
	data, err := encodeData(op.Value)
	if err != nil {
		d.fail(fmt.Errorf("workload: value of %s %q: %w", op.F, op.Key, err))
	}
	d.record(history.Op{Type: vocab.TypeInvoke, Process: p.id, F: op.F, Key: op.Key, Value: data})
}

// complete records p's reply to op. A process whose op ended Info is
// retired, as in Jepsen: it returns the process that takes its place.
func (d *driver) complete(p *proc, op Op, r Reply) *proc {
	typ := string(r.Outcome)
	if typ != vocab.TypeOK && typ != vocab.TypeFail && typ != vocab.TypeInfo {
		d.fail(fmt.Errorf("client of process %d: %s %q: outcome %q is not ok, fail or info", p.id, op.F, op.Key, r.Outcome))
		typ = vocab.TypeInfo
	}
	data, err := encodeData(r.Value)
	if err != nil {
		d.fail(fmt.Errorf("client of process %d: result of %s %q: %w", p.id, op.F, op.Key, err))
	}
	d.record(history.Op{Type: typ, Process: p.id, F: op.F, Key: op.Key, Value: data, Error: r.Error})
	if typ != vocab.TypeInfo {
		return p
	}
	if err := p.client.Close(d.ctx); err != nil {
		d.fail(fmt.Errorf("client of process %d: close: %w", p.id, err))
	}
	d.mu.Lock()
	id := d.nextProc
	d.nextProc++
	d.mu.Unlock()
	np, err := d.open(p.slot, id)
	if err != nil {
		d.fail(err)
		return nil
	}
	return np
}

// closeAll closes the clients of the processes still running at the end.
func (d *driver) closeAll(procs []*proc) {
	for _, p := range procs {
		if err := p.client.Close(d.ctx); err != nil {
			d.fail(fmt.Errorf("client of process %d: close: %w", p.id, err))
		}
	}
}

// record stamps op with the run's clock, strictly after the previous op
// (so that an op invoked after another completed is never taken for
// concurrent with it), and appends it to the history.
func (d *driver) record(op history.Op) {
	d.mu.Lock()
	defer d.mu.Unlock()
	op.Time = max(int64(d.now()), d.last+1)
	d.last = op.Time
	d.rec.Record(op)
}

func (d *driver) fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
}

func (d *driver) firstErr() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// encodeData turns an op's argument or result into its history value.
func encodeData(v any) (*history.Value, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &history.Value{Data: b}, nil
}
