package checker

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Terminal is the "terminal" checker: an order ends at most once (anomaly
// conflicting-terminal; the no-occ bug). With a trace it reads every order
// stream: after a terminal event (OrderRejected, OrderDeclined,
// OrderCompleted, OrderCancelled) nothing may follow, not even a second
// terminal. From the history alone: a cancel acknowledged ok, yet the order
// ends completed, rejected or declined. (A cancel ok whose order ends not
// terminal at all is a lost command, the no-lost-command checker's.)
type Terminal struct{}

// Name implements Checker.
func (Terminal) Name() string { return "terminal" }

// terminalEventsMax bounds the events one anomaly's Detail lists.
const terminalEventsMax = 5

// Check implements Checker.
func (Terminal) Check(in *Input) Result {
	ix := indexOf(in)
	var v propVerdict
	what := []string{}
	if ix.tr != nil {
		what = append(what, countNote(terminalStreams(ix, &v), "order streams"))
		truncatedNote(in, &v)
	} else {
		v.note("no trace: order streams not checked")
	}
	if why := ix.finalGate(in, false); why != "" {
		v.undecide(why + ": acknowledged cancels not checked against final statuses")
	} else {
		what = append(what, countNote(terminalCancels(ix, &v), "acknowledged cancels"))
	}
	return v.result("checked " + strings.Join(what, " and "))
}

// terminalStreams checks every order stream of the trace; it returns how
// many it checked.
func terminalStreams(ix *index, v *propVerdict) int {
	type broken struct {
		sh *traceShard
		s  *streamIx
		at int // position in s.appends of the first terminal event
	}
	var found []broken
	n := 0
	for _, sh := range ix.tr.shards {
		for si := range sh.streams {
			s := &sh.streams[si]
			if len(s.appends) == 0 {
				continue
			}
			n++
			for i, id := range s.appends {
				if vocab.Terminal(vocab.StatusOf(sh.evs[id].typ)) {
					if i < len(s.appends)-1 {
						found = append(found, broken{sh, s, i})
					}
					break
				}
			}
		}
	}
	// In trace order, whatever the shards.
	slices.SortFunc(found, func(a, b broken) int {
		if d := int(a.s.pos - b.s.pos); d != 0 {
			return d
		}
		return strings.Compare(a.s.name, b.s.name)
	})
	for _, f := range found {
		key := f.s.name[len(orderStreamPrefix):]
		after := f.s.appends[f.at:]
		descr := make([]string, 0, terminalEventsMax+1)
		for _, id := range after[:min(len(after), terminalEventsMax)] {
			r := evRef{f.sh, id}
			descr = append(descr, fmt.Sprintf("%s %s v%d", r.ev().typ, r.ev().id, r.version()))
		}
		if len(after) > terminalEventsMax {
			descr = append(descr, "...")
		}
		v.anomaly(Anomaly{
			Type: vocab.AnomalyConflictingTerminal, Key: key, Ops: ix.orderOps(key, ix.cancelCalls(key)...),
			Detail: fmt.Sprintf("stream %s goes on after its terminal event: %s", f.s.name, strings.Join(descr, ", then ")),
		})
	}
	return n
}

// cancelCalls returns the calls of an order's cancel ops that may have
// taken effect (ok or info).
func (ix *index) cancelCalls(key string) []call {
	o := ix.orders[key]
	if o == nil {
		return nil
	}
	var out []call
	for _, c := range o.cancels {
		if ix.calls[c].typ != vocab.TypeFail {
			out = append(out, ix.calls[c])
		}
	}
	return out
}

// terminalCancels checks every acknowledged cancel against its order's final
// status; it returns how many orders it checked.
func terminalCancels(ix *index, v *propVerdict) int {
	n := 0
	for _, o := range ix.orderList {
		if !o.cancelOK {
			continue
		}
		if !o.finalKnown {
			v.unknownKey(o.key, "no final read-strong")
			continue
		}
		n++
		if o.final != vocab.StatusCancelled && vocab.Terminal(o.final) {
			v.anomaly(Anomaly{
				Type: vocab.AnomalyConflictingTerminal, Key: o.key, Ops: ix.callOps(nil, append(ix.okCalls(o.cancels), o.finalRead)...),
				Detail: fmt.Sprintf("cancel acknowledged ok, but the order ended %s", o.final),
			})
		}
	}
	return n
}
