package sut

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
)

// Nemesis lists the faults a run may inject into the system under test.
// Run draws a schedule of fault windows (faults.Schedule: a fault, its
// target, start and stop) from the seed, calls Start and Stop at the
// window's edges, records each edge in the history as a nemesis op, and
// heals every open window at the end of the main phase.
type Nemesis struct {
	Faults []Fault
	// Gap is the mean time between the starts of two windows (default
	// 100 ms); windows of one fault on one target never overlap.
	Gap time.Duration
}

// Fault is one kind of fault with the user's callbacks that cause and
// repair it, for instance "partition" with targets n1..n3 whose Start cuts
// a node off its peers, or "crash" whose Start kills a process and whose
// Stop restarts it.
type Fault struct {
	// Name is recorded in the history and results.json ("partition").
	Name string
	// Targets are where it may strike, usually node names.
	Targets []string
	// Min and Max bound a window's length (defaults 20 ms and 200 ms).
	Min, Max time.Duration
	// Start causes the fault on target; Stop repairs it. They run on the
	// driver's goroutine, one at a time. An error ends the run with that
	// error: a fault that did not happen must not pass for one that did.
	Start, Stop func(ctx context.Context, target string) error
}

// Fault window defaults.
const (
	gapDefault      = 100 * time.Millisecond
	faultMinDefault = 20 * time.Millisecond
	faultMaxDefault = 200 * time.Millisecond
	// windowSpacing separates two windows of one fault on one target: in
	// real time the edges are wall-clock timers, and a start right at the
	// previous stop could run before it.
	windowSpacing = 10 * time.Millisecond
)

func (n Nemesis) validate() error {
	seen := map[string]bool{}
	for i, f := range n.Faults {
		switch {
		case f.Name == "":
			return fmt.Errorf("nemesis: Faults[%d]: empty Name", i)
		case seen[f.Name]:
			return fmt.Errorf("nemesis: fault %q listed twice", f.Name)
		case len(f.Targets) == 0:
			return fmt.Errorf("nemesis: fault %q: no Targets", f.Name)
		case f.Start == nil || f.Stop == nil:
			return fmt.Errorf("nemesis: fault %q: Start and Stop must be set", f.Name)
		case f.Min < 0 || f.Max < f.Min:
			return fmt.Errorf("nemesis: fault %q: want 0 <= Min <= Max, got %v..%v", f.Name, f.Min, f.Max)
		}
		seen[f.Name] = true
	}
	if n.Gap < 0 {
		return fmt.Errorf("nemesis: Gap %v: must be >= 0", n.Gap)
	}
	return nil
}

// Names returns the names of the faults, in order.
func (n Nemesis) Names() []string {
	out := make([]string, len(n.Faults))
	for i, f := range n.Faults {
		out[i] = f.Name
	}
	return out
}

// Only keeps the named faults; "all" keeps every fault and "none" (or an
// empty list) none. An unknown name is an error that lists the known ones.
func (n Nemesis) Only(names []string) (Nemesis, error) {
	if len(names) == 1 && names[0] == "all" {
		return n, nil
	}
	out := Nemesis{Gap: n.Gap}
	for _, name := range names {
		if name == "none" {
			continue
		}
		i := slices.IndexFunc(n.Faults, func(f Fault) bool { return f.Name == name })
		if i < 0 {
			return n, fmt.Errorf("unknown fault %q (want a comma list of %s, or all, or none)",
				name, strings.Join(n.Names(), ", "))
		}
		out.Faults = append(out.Faults, n.Faults[i])
	}
	return out, nil
}

// Schedule draws fault windows over [0, horizon) from r: a window starts
// every Gap on average, with a fault, a target and a length drawn from r;
// a window of a fault on a target starts at least windowSpacing after the
// previous one there ended.
func (n Nemesis) Schedule(r *rand.Rand, horizon time.Duration) faults.Schedule {
	gap := cmpOr(n.Gap, gapDefault)
	if len(n.Faults) == 0 {
		return faults.Schedule{}
	}
	s := faults.Schedule{}
	busy := map[string]time.Duration{} // fault@target -> end of its last window
	for at := gap / 2; at < horizon; at += gap/2 + time.Duration(r.Int64N(int64(gap)+1)) {
		f := n.Faults[r.IntN(len(n.Faults))]
		target := f.Targets[r.IntN(len(f.Targets))]
		lo, hi := cmpOr(f.Min, faultMinDefault), cmpOr(f.Max, faultMaxDefault)
		length := lo + time.Duration(r.Int64N(int64(max(hi-lo, 0))+1))
		if busy[f.Name+"@"+target]+windowSpacing > at {
			continue
		}
		busy[f.Name+"@"+target] = at + length
		s = append(s, faults.Window{Fault: f.Name, Target: target, Start: at, Stop: at + length})
	}
	return s
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// injector gives the user's fault callbacks to faults.Nemesis, which opens
// and closes the windows and records their edges. The first callback error
// is kept; the run ends with it.
type injector struct {
	ctx    context.Context
	faults map[string]Fault
	mu     sync.Mutex
	err    error
}

func newInjector(ctx context.Context, n Nemesis) *injector {
	in := &injector{ctx: ctx, faults: map[string]Fault{}}
	for _, f := range n.Faults {
		in.faults[f.Name] = f
	}
	return in
}

// StartFault implements faults.Injector.
func (in *injector) StartFault(w faults.Window) { in.call(w, "start", in.faults[w.Fault].Start) }

// StopFault implements faults.Injector.
func (in *injector) StopFault(w faults.Window) { in.call(w, "stop", in.faults[w.Fault].Stop) }

func (in *injector) call(w faults.Window, edge string, fn func(context.Context, string) error) {
	if fn == nil {
		in.fail(fmt.Errorf("nemesis: no fault %q in the test (schedule window %v)", w.Fault, w))
		return
	}
	if err := fn(in.ctx, w.Target); err != nil {
		in.fail(fmt.Errorf("nemesis: %s %s@%s: %w", edge, w.Fault, w.Target, err))
	}
}

func (in *injector) fail(err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.err = errors.Join(in.err, err)
}

func (in *injector) firstErr() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.err
}
