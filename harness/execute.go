package harness

import (
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Execute runs one simulation, judges it and, when opts.OutDir is set,
// writes results.json beside the history and trace.
func Execute(opts Options) (results.Results, *Recorded, error) {
	wall := time.Now()
	rec, err := RunSim(opts)
	if err != nil {
		return results.Results{}, nil, err
	}
	rep := Judge(&checker.Input{Ops: rec.Ops, Trace: rec.Trace, OutDir: opts.OutDir})
	res := NewResults(rep, rec.Ops)
	res.Seed, res.Bug, res.Nemesis, res.Bus = opts.Seed, opts.Bug, opts.Nemesis, opts.Bus
	res.Stats.VirtualNS = int64(rec.Virtual)
	res.Stats.WallNS = int64(time.Since(wall))
	res.Schedule = Windows(rec.Schedule)
	res.Command = opts.Command()
	res.Marks = Marks(rec.Ops, rec.Trace)
	if opts.OutDir != "" {
		if err := res.Write(opts.OutDir); err != nil {
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
