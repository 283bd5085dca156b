package sut

import (
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Coverage marks of a run ("sometimes" assertions, as the order system's):
// for each fault of the test, how many client operations were invoked while
// a window of it was open, and how many of those did not end ok. A fault
// whose marks stay at zero never met an operation, and the report says
// "never reached": a green verdict then says nothing about that fault.
// Marks never judge a run.
func marks(n Nemesis, ops []history.Op) map[string]int {
	m := make(map[string]int, 2*len(n.Faults))
	for _, f := range n.Faults {
		m[markDuring(f.Name)], m[markNotOK(f.Name)] = 0, 0
	}
	open := map[string]int{} // fault -> windows open
	during := map[int][]string{}
	for i := range ops {
		op := &ops[i]
		switch {
		case op.F == vocab.FNemesis && op.Value != nil && op.Value.Edge == vocab.EdgeStart:
			open[op.Value.Fault]++
		case op.F == vocab.FNemesis && op.Value != nil && op.Value.Edge == vocab.EdgeStop:
			open[op.Value.Fault]--
		case !op.IsClient():
		case op.Type == vocab.TypeInvoke:
			var fs []string
			for _, f := range n.Faults {
				if open[f.Name] > 0 {
					m[markDuring(f.Name)]++
					fs = append(fs, f.Name)
				}
			}
			during[op.Process] = fs
		default:
			if op.Type != vocab.TypeOK {
				for _, f := range during[op.Process] {
					m[markNotOK(f)]++
				}
			}
			delete(during, op.Process)
		}
	}
	return m
}

func markDuring(fault string) string { return "ops-during-" + fault }
func markNotOK(fault string) string  { return "not-ok-during-" + fault }
