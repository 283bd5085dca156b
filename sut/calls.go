package sut

import (
	"github.com/jepsen-lite/jepsen-lite/history"
)

// Calls pairs the client operations of a history (nemesis ops are left
// out) into Calls, in invoke order. An invoke that never completed is an
// Info call whose Complete is -1.
func Calls(ops []history.Op) []Call {
	pairs := history.Pairs(ops)
	out := make([]Call, len(pairs))
	for i, p := range pairs {
		inv := p.Invoke
		c := Call{Invoke: inv.Index, Complete: -1, Process: inv.Process, F: inv.F, Key: inv.Key,
			Outcome: Outcome(p.Outcome()), Call: inv.Time, Return: inv.Time}
		if inv.Value != nil {
			c.Arg = inv.Value.Data
		}
		if done := p.Completion; done != nil {
			c.Complete, c.Return, c.Error = done.Index, done.Time, done.Error
			if done.Value != nil {
				c.Ret = done.Value.Data
			}
		}
		out[i] = c
	}
	return out
}
