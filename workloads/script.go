package workloads

import (
	"fmt"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Scripted is one operation of a fixed main phase (Config.Script): invoked
// no earlier than At, virtual time since the start of the run (the clock
// the fault schedule uses), and after the script's previous op completed.
// A replayed counterexample (package replay) is such a script.
type Scripted struct {
	At    time.Duration
	F     string
	Key   string
	Value *history.Value
}

// scriptOps are the client operations a script may hold.
var scriptOps = []string{vocab.FPlace, vocab.FCancel, vocab.FReadStrong, vocab.FReadProjection, vocab.FRestock}

// validateScript reports the first bad scripted op, naming it.
func (c Config) validateScript() error {
	for i, s := range c.Script {
		switch {
		case !vocab.Known(scriptOps, s.F):
			return fmt.Errorf("script op %d: f %q: want one of %v", i, s.F, scriptOps)
		case s.Key == "":
			return fmt.Errorf("script op %d (%s): empty key", i, s.F)
		case s.At < 0 || (i > 0 && s.At < c.Script[i-1].At):
			return fmt.Errorf("script op %d (%s): at %v: must be >= 0 and not before the op before it", i, s.F, s.At)
		}
	}
	return nil
}

// scripted reports whether the main phase is a script.
func (r *Runner) scripted() bool { return r.phase == phaseMain && len(r.cfg.Script) > 0 }

// scriptWait is how long the script's one process must wait before its
// next op (or, after the last one, until ScriptUntil); 0 when it may go on.
func (r *Runner) scriptWait() time.Duration {
	if !r.scripted() {
		return 0
	}
	at := r.cfg.ScriptUntil
	if r.invoked < len(r.cfg.Script) {
		at = r.cfg.Script[r.invoked].At
	}
	return max(at-r.sched.Now(), 0)
}

// nextScripted returns the script's next op.
func (r *Runner) nextScripted() (Request, bool) {
	if r.invoked >= len(r.cfg.Script) {
		return Request{}, false
	}
	s := r.cfg.Script[r.invoked]
	r.invoked++
	if s.F == vocab.FPlace {
		r.gen.orders = append(r.gen.orders, s.Key) // read in the final phase
	}
	return Request{F: s.F, Key: s.Key, Value: s.Value}, true
}
