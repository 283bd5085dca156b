package sut

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/realtime"
)

// wallSlack is added to the longest a real-time run may take (every
// operation at its deadline, one process at a time, plus the quiesce):
// past it the run is an error, never a verdict.
const wallSlack = time.Minute

// runRealtime runs the phases in real time: one goroutine per process
// calls Invoke with a deadline; the nemesis and the system's timers run on
// a realtime.Loop driven by this goroutine.
func runRealtime(d *driver, loop *realtime.Loop, nem *faults.Nemesis, sched faults.Schedule) error {
	t := d.t
	procs := make([]*proc, t.Concurrency)
	for slot := range procs {
		p, err := d.open(slot, slot)
		if err != nil {
			return err
		}
		procs[slot] = p
	}
	limit := time.Duration(t.Ops+len(t.Workload.Final)+1)*(t.Timeout+t.ThinkMax) + t.Quiesce + wallSlack
	var mu sync.Mutex
	done := false
	isDone := func() bool { mu.Lock(); defer mu.Unlock(); return done }
	setDone := func() { mu.Lock(); done = true; mu.Unlock() }

	loop.Post(func() { nem.Start(sched) })
	go func() {
		phase(d, procs)
		loop.Post(func() {
			nem.Heal()
			loop.After(t.Quiesce, func() {
				d.startFinal()
				go func() {
					phase(d, procs)
					loop.Post(setDone)
				}()
			})
		})
	}()
	if !loop.Run(isDone, limit) {
		return fmt.Errorf("real-time run did not finish within %v (seed %d)", limit, t.Seed)
	}
	d.closeAll(procs)
	return d.firstErr()
}

// phase runs every process on the current phase until it has nothing left.
func phase(d *driver, procs []*proc) {
	var wg sync.WaitGroup
	for slot := range procs {
		wg.Go(func() {
			for p := procs[slot]; p != nil; {
				op, ok := d.next()
				if !ok {
					procs[slot] = p
					return
				}
				d.invoke(p, op)
				ctx, cancel := context.WithTimeout(d.ctx, d.t.Timeout)
				reply := p.client.Invoke(ctx, op)
				cancel()
				p = d.complete(p, op, reply)
				time.Sleep(d.think())
			}
		})
	}
	wg.Wait()
}
