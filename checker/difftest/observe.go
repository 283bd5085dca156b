package difftest

import (
	"github.com/jepsen-lite/jepsen-lite/model/saga"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// observationsAgree replays what the client observed of each order, in
// the order the model's steps took effect, and reports whether every
// observation can follow the ones before it (saga.Reach: statuses only
// move forward). Observations: an acknowledged place (placed), a cancel
// refused (the status it was decided on: none is not-found), an
// acknowledged cancel (cancelled), a strong read (its result) and, for a
// behaviour with a final phase, the final strong read.
//
// OrderSaga.tla's LinearizableRead judges a strong read against Known(o),
// which forgets refused cancels; the linearizability checker judges every
// op. The model's own order is one linearization: when it is consistent
// the history is linearizable; when it is not, no other order fixes it,
// since every observation is the model's single step (a refused cancel is
// decided in one step, a read and a place are atomic).
func observationsAgree(cfg saga.Config, labels []saga.Label, states []saga.State) bool {
	floor := make([]string, len(cfg.Orders))
	for i := range floor {
		floor[i] = vocab.StatusNone
	}
	see := func(oi int, got string) bool {
		ok := saga.Reach(floor[oi], got)
		floor[oi] = got
		return ok
	}
	for k, l := range labels {
		pre, post := states[k], states[k+1]
		for oi, o := range cfg.Orders {
			var ok = true
			switch {
			case pre.PlaceOp[oi] != saga.OpOK && post.PlaceOp[oi] == saga.OpOK:
				ok = see(oi, vocab.StatusPlaced)
			case pre.CancelOp[oi] != saga.OpFail && post.CancelOp[oi] == saga.OpFail:
				ok = see(oi, post.Status(o))
			case pre.CancelOp[oi] != saga.OpOK && post.CancelOp[oi] == saga.OpOK:
				ok = see(oi, vocab.StatusCancelled)
			case l.Name == saga.ActReadStrong && l.Args[0] == o:
				ok = see(oi, post.ReadObs[oi].Got)
			}
			if !ok {
				return false
			}
		}
	}
	last := states[len(states)-1]
	for oi, o := range cfg.Orders {
		if last.PlaceOp[oi] == saga.OpIdle || !last.Quiet(cfg) {
			continue
		}
		got := last.Status(o)
		if cfg.Bug == vocab.BugStaleRead {
			got = last.Projection[oi]
		}
		if !see(oi, got) {
			return false
		}
	}
	return true
}
