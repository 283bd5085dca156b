package kafka

import (
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/workloads"
)

// Client is the workloads.Client of the Kafka deployment. Client requests
// go to the nodes in process (the services' RPC is not what is under
// test); the saga behind them runs over Kafka.
type Client struct{ C *Cluster }

// Invoke sends the request to the service that serves it.
func (c Client) Invoke(req workloads.Request, done func(workloads.Response)) {
	cmd := node.Command{Op: req.Op, F: req.F, Key: req.Key}
	if v := req.Value; v != nil {
		cmd.Customer, cmd.SKU, cmd.Qty, cmd.Amount = v.Customer, v.SKU, v.Qty, v.Amount
	}
	c.C.Invoke(cmd, func(r node.Reply) {
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
