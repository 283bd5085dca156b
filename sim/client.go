package sim

import "github.com/jepsen-lite/jepsen-lite/internal/nodeclient"

// NewClient returns the workloads.Client of the simulated deployment.
func NewClient(c *Cluster) nodeclient.Client { return nodeclient.Client{To: c} }
