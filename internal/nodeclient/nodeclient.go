// Package nodeclient adapts the reference system's nodes to the workload's
// Client interface: a workloads.Request becomes a node.Command and a
// node.Reply a workloads.Response. Every driver (sim/, transport/kafka)
// routes commands its own way and shares this translation.
package nodeclient

import (
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// Invoker sends a command to the service that serves it; done gets the
// reply unless the service is down or crashes first.
type Invoker interface {
	Invoke(cmd node.Command, done func(node.Reply))
}

// Client is a workloads.Client over an Invoker.
type Client struct{ To Invoker }

// Invoke implements workloads.Client.
func (c Client) Invoke(req workloads.Request, done func(workloads.Response)) {
	cmd := node.Command{Op: req.Op, F: req.F, Key: req.Key}
	if v := req.Value; v != nil {
		cmd.Customer, cmd.SKU, cmd.Qty, cmd.Amount = v.Customer, v.SKU, v.Qty, v.Amount
	}
	c.To.Invoke(cmd, func(r node.Reply) {
		if !r.OK {
			done(workloads.Response{Error: r.Error})
			return
		}
		var v *history.Value
		if r.Status != "" || r.Stock != nil || r.Balance != nil {
			v = &history.Value{Status: r.Status, Stock: r.Stock, Balance: r.Balance}
		}
		done(workloads.Response{OK: true, Value: v})
	})
}
