package kafka

import "github.com/jepsen-lite/jepsen-lite/internal/nodeclient"

// NewClient returns the workloads.Client of the Kafka deployment. Client
// requests go to the nodes in process (the services' RPC is not what is
// under test); the saga behind them runs over Kafka.
func NewClient(c *Cluster) nodeclient.Client { return nodeclient.Client{To: c} }
