package formal

import (
	"fmt"
	"strings"
)

// MCRL2Trace is a counterexample found in the LTS: a shortest path of
// protocol steps from the initial state to where the property fails, with
// the state after each step (in full for the initial state, as changes
// afterwards). For EventuallyTerminal it continues to where the order is
// stuck for ever; Loop is then the index of the step whose state the last
// step returns to (a lasso; -1 when the path ends in a deadlock).
type MCRL2Trace struct {
	Property string      `json:"property"`
	Summary  string      `json:"summary"`
	Steps    []TraceStep `json:"steps"`
	Loop     int         `json:"loop"`
}

// TraceStep is one step: the action taken (empty for the initial state)
// and the parameters it changed.
type TraceStep struct {
	Action string            `json:"action,omitempty"`
	State  map[string]string `json:"state"`
}

// Actions is the trace as one line of actions.
func (t MCRL2Trace) Actions() string {
	var a []string
	for _, s := range t.Steps[1:] {
		a = append(a, s.Action)
	}
	out := strings.Join(a, " · ")
	if t.Loop >= 0 {
		out += fmt.Sprintf(" (back to step %d)", t.Loop)
	}
	return out
}

// Counterexample looks in the LTS for what refutes property (a TLA+
// invariant name, "Deadlock" or "EventuallyTerminal"); ok is false when the
// LTS holds none: then the property holds on the LTS.
func (l *LTS) Counterexample(property string) (MCRL2Trace, bool) {
	parent, order := l.bfs()
	switch property {
	case "Deadlock":
		for _, s := range order {
			if !l.hasStep(s) {
				return l.trace(property, "reaches a state with no protocol step (deadlock)", l.pathTo(parent, s), -1), true
			}
		}
		return MCRL2Trace{}, false
	case "EventuallyTerminal":
		return l.stuckOrder(parent, order)
	}
	want := "violated(" + property + ")"
	for _, s := range order {
		for _, ti := range l.out[s] {
			if l.Trans[ti].Label == want {
				return l.trace(property, "reaches a state where "+property+" is false", append(l.pathTo(parent, s), ti), -1), true
			}
		}
	}
	return MCRL2Trace{}, false
}

// bfs explores the protocol steps from the initial state breadth-first:
// parent[s] is the transition that first reached s (-1 for the initial
// state, -2 if unreached), order lists the states as reached.
func (l *LTS) bfs() ([]int32, []int) {
	parent := make([]int32, len(l.states))
	for i := range parent {
		parent[i] = -2
	}
	parent[0] = -1
	order := []int{0}
	for k := 0; k < len(order); k++ {
		for _, ti := range l.out[order[k]] {
			tr := l.Trans[ti]
			if isObservation(tr.Label) || parent[tr.To] != -2 {
				continue
			}
			parent[tr.To] = ti
			order = append(order, int(tr.To))
		}
	}
	return parent, order
}

func (l *LTS) pathTo(parent []int32, s int) []int32 {
	var rev []int32
	for parent[s] >= 0 {
		rev = append(rev, parent[s])
		s = int(l.Trans[parent[s]].From)
	}
	out := make([]int32, len(rev))
	for i, t := range rev {
		out[len(rev)-1-i] = t
	}
	return out
}

// hasStep reports whether a state has a protocol step (done included).
func (l *LTS) hasStep(s int) bool {
	for _, ti := range l.out[s] {
		if !isObservation(l.Trans[ti].Label) {
			return true
		}
	}
	return false
}

// status is a state's obs_status argument ("" if it shows none).
func (l *LTS) status(s int) string {
	for _, ti := range l.out[s] {
		lab := l.Trans[ti].Label
		if actionName(lab) != "obs_status" {
			continue
		}
		if _, arg, ok := strings.Cut(lab, "("); ok {
			return strings.TrimSpace(strings.TrimSuffix(arg, ")"))
		}
	}
	return ""
}

var terminalStatus = map[string]bool{"st_completed": true, "st_rejected": true, "st_declined": true, "st_cancelled": true}

// stuckOrder refutes EventuallyTerminal: a shortest path to a state where
// the order is placed and from which protocol steps can go on for ever (a
// cycle, such as the done loop) or die without it ever being terminal.
func (l *LTS) stuckOrder(parent []int32, order []int) (MCRL2Trace, bool) {
	n := len(l.states)
	// Z: the non-terminal states with a protocol path that stays non-terminal
	// for ever or dies: the greatest set of non-terminal states each of which
	// is a dead end or has a step into the set.
	inZ := make([]bool, n)
	st := make([]string, n)
	for s := 0; s < n; s++ {
		st[s] = l.status(s)
		inZ[s] = !terminalStatus[st[s]]
	}
	for changed := true; changed; {
		changed = false
		for s := 0; s < n; s++ {
			if !inZ[s] || !l.hasStep(s) {
				continue
			}
			keep := false
			for _, ti := range l.out[s] {
				if tr := l.Trans[ti]; !isObservation(tr.Label) && inZ[tr.To] {
					keep = true
					break
				}
			}
			if !keep {
				inZ[s], changed = false, true
			}
		}
	}
	for _, s := range order {
		if !inZ[s] || st[s] == "" || st[s] == "st_none" {
			continue
		}
		path := l.pathTo(parent, s)
		// Continue inside Z until a dead end or a repeated state.
		seen := map[int]int{s: len(path)}
		loop, cur := -1, s
		for {
			next := int32(-1)
			for _, ti := range l.out[cur] {
				if tr := l.Trans[ti]; !isObservation(tr.Label) && inZ[tr.To] {
					next = ti
					break
				}
			}
			if next < 0 {
				break
			}
			path = append(path, next)
			cur = int(l.Trans[next].To)
			if k, ok := seen[cur]; ok {
				loop = k
				break
			}
			seen[cur] = len(path)
		}
		sum := fmt.Sprintf("the order is placed (status %s) and can stay non-terminal for ever", st[s])
		return l.trace("EventuallyTerminal", sum, path, loop), true
	}
	return MCRL2Trace{}, false
}

// trace turns a path of transitions into steps with state changes.
func (l *LTS) trace(property, summary string, path []int32, loop int) MCRL2Trace {
	t := MCRL2Trace{Property: property, Summary: summary, Loop: loop}
	full := map[string]string{}
	for p, name := range l.Params {
		full[name] = l.Value(0, p)
	}
	t.Steps = append(t.Steps, TraceStep{State: full})
	for _, ti := range path {
		tr := l.Trans[ti]
		ch := map[string]string{}
		for p, name := range l.Params {
			if l.states[tr.From][p] != l.states[tr.To][p] {
				ch[name] = l.Value(int(tr.To), p)
			}
		}
		t.Steps = append(t.Steps, TraceStep{Action: tr.Label, State: ch})
	}
	return t
}
