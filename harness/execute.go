package harness

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Execute runs one simulation (or, with opts.Bus "kafka", one run over
// Kafka), judges it and, when opts.OutDir is set, writes results.json
// beside the history and trace.
func Execute(opts Options) (results.Results, *Recorded, error) {
	wall := time.Now()
	run := RunSim
	if opts.Bus == "kafka" {
		run = RunKafka
	}
	rec, err := run(opts)
	if err != nil {
		return results.Results{}, nil, err
	}
	rep := JudgeRecorded(rec, &checker.Input{Ops: rec.Ops, Trace: rec.Trace, OutDir: opts.OutDir})
	res := NewResults(rep, rec.Ops)
	res.Seed, res.Bug, res.Nemesis, res.Bus = opts.Seed, opts.Bug, opts.Nemesis, opts.Bus
	res.Stats.VirtualNS = int64(rec.Virtual)
	res.Stats.WallNS = int64(time.Since(wall))
	res.Schedule = Windows(Opened(rec.Schedule, rec.Ops))
	res.Command = opts.Command()
	res.Marks = Marks(rec.Ops, rec.Trace)
	if opts.OutDir != "" {
		if err := res.Write(opts.OutDir); err != nil {
			return res, rec, err
		}
		if err := reports.Render(opts.OutDir); err != nil {
			return res, rec, err
		}
	}
	return res, rec, nil
}

// CountClientOps counts client invokes.
func CountClientOps(ops []history.Op) int {
	n := 0
	for i := range ops {
		if ops[i].IsClient() && ops[i].Type == vocab.TypeInvoke {
			n++
		}
	}
	return n
}

// Opened keeps the windows of a schedule that the nemesis opened: it heals
// at the end of the main phase and ignores the rest of the schedule.
func Opened(s faults.Schedule, ops []history.Op) faults.Schedule {
	var last int64 = -1
	for i := range ops {
		if ops[i].F == vocab.FNemesis && ops[i].Value != nil && ops[i].Value.Edge == vocab.EdgeStart {
			last = ops[i].Time
		}
	}
	out := faults.Schedule{}
	for _, w := range s {
		if int64(w.Start) <= last {
			out = append(out, w)
		}
	}
	return out
}
