package replay

import (
	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/replay/cex"
)

// FromMCRL2 turns the counterexample of a failed mCRL2 check
// (formal.MCRL2Trace: the action labels of spec/README.md, "mCRL2 action
// labels") into a schedule, as FromTLC does for TLC's.
func FromMCRL2(check formal.Check) (Schedule, error) {
	cx, err := cex.ReadMCRL2(check)
	if err != nil {
		return Schedule{}, err
	}
	return FromCounterexample(cx)
}
