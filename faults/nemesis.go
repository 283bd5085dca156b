package faults

import (
	"sort"

	"github.com/jepsen-lite/jepsen-lite/clock"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Injector gives faults their effect; a driver implements it.
type Injector interface {
	StartFault(w Window)
	StopFault(w Window)
}

// Nemesis opens and closes a schedule's windows on a clock and records
// every edge as a nemesis op in the history.
type Nemesis struct {
	sched  clock.Scheduler
	inj    Injector
	rec    *history.Recorder
	active map[int]Window // schedule index -> open window
	healed bool
}

// NewNemesis prepares a nemesis; call Start.
func NewNemesis(sched clock.Scheduler, inj Injector, rec *history.Recorder) *Nemesis {
	return &Nemesis{sched: sched, inj: inj, rec: rec, active: map[int]Window{}}
}

// Start schedules every window of s relative to now.
func (n *Nemesis) Start(s Schedule) {
	base := n.sched.Now()
	for i, w := range s {
		n.sched.After(base+w.Start-n.sched.Now(), func() {
			if n.healed {
				return
			}
			n.active[i] = w
			n.edge(w, vocab.EdgeStart)
			n.inj.StartFault(w)
		})
		n.sched.After(base+w.Stop-n.sched.Now(), func() {
			if _, ok := n.active[i]; ok {
				n.close(i)
			}
		})
	}
}

// Heal closes every open window and ignores the rest of the schedule.
func (n *Nemesis) Heal() {
	n.healed = true
	keys := make([]int, 0, len(n.active))
	for i := range n.active {
		keys = append(keys, i)
	}
	sort.Ints(keys)
	for _, i := range keys {
		n.close(i)
	}
}

func (n *Nemesis) close(i int) {
	w := n.active[i]
	delete(n.active, i)
	n.inj.StopFault(w)
	n.edge(w, vocab.EdgeStop)
}

func (n *Nemesis) edge(w Window, edge string) {
	n.rec.Record(history.Op{Type: vocab.TypeInfo, Process: vocab.NemesisProcess, F: vocab.FNemesis,
		Time: int64(n.sched.Now()), Value: &history.Value{Fault: w.Fault, Edge: edge, Target: w.Target}})
}
