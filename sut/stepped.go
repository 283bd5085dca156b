package sut

import (
	"fmt"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/sim"
)

// virtualMax bounds a Stepped run's virtual time: a run that has not
// finished by then (a Setup that keeps scheduling, a workload that never
// ends) is an error, never a verdict.
const virtualMax = 24 * time.Hour

// stepped runs the phases on a virtual clock: every process, fault edge and
// system timer is an event of one seeded queue (sim.Loop), run one at a
// time. An operation is invoked, then called a drawn latency later, and
// completes at once: it took effect between its invoke and its completion,
// as the history says, and other processes' operations overlap it.
type stepped struct {
	d     *driver
	loop  *sim.Loop
	nem   *faults.Nemesis
	procs []*proc
	idle  int // processes with nothing left in the current phase
	done  bool
}

func runStepped(d *driver, loop *sim.Loop, nem *faults.Nemesis, sched faults.Schedule) error {
	s := &stepped{d: d, loop: loop, nem: nem}
	for slot := range d.t.Concurrency {
		p, err := d.open(slot, slot)
		if err != nil {
			return err
		}
		s.procs = append(s.procs, p)
	}
	nem.Start(sched)
	s.launch()
	if !loop.RunUntil(virtualMax, func() bool { return s.done || d.firstErr() != nil }) && d.firstErr() == nil {
		return fmt.Errorf("stepped run did not finish within %v of virtual time (seed %d)", virtualMax, d.t.Seed)
	}
	d.closeAll(s.procs)
	return d.firstErr()
}

// launch starts every process on the current phase.
func (s *stepped) launch() {
	s.idle = 0
	for slot := range s.procs {
		s.loop.After(0, func() { s.step(slot) })
	}
}

// step invokes the next operation of the process in slot.
func (s *stepped) step(slot int) {
	op, ok := s.d.next()
	if !ok {
		if s.idle++; s.idle == len(s.procs) {
			s.phaseDone()
		}
		return
	}
	p := s.procs[slot]
	s.d.invoke(p, op)
	s.loop.After(s.d.draw(s.d.t.LatencyMax), func() {
		reply := p.client.Invoke(s.d.ctx, op)
		np := s.d.complete(p, op, reply)
		if np == nil {
			return // the run ends with the driver's error
		}
		s.procs[slot] = np
		s.loop.After(s.d.think(), func() { s.step(slot) })
	})
}

// phaseDone heals the faults and runs the final operations after Quiesce,
// or ends the run after them.
func (s *stepped) phaseDone() {
	if s.d.inFinal {
		s.done = true
		return
	}
	s.nem.Heal()
	s.loop.After(s.d.t.Quiesce, func() {
		s.d.startFinal()
		s.launch()
	})
}
