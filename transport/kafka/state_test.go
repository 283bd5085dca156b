package kafka

import (
	"fmt"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// debugState says why a cluster is not quiet: each member's flags and
// counters, the end offsets and the acknowledged offsets. Tests print it
// when settling times out.
func (c *Cluster) debugState() string {
	var b strings.Builder
	for _, svc := range vocab.Services {
		m := c.members[svc]
		inc := m.cur.Load()
		fmt.Fprintf(&b, "%s down=%v partitioned=%d booted=%v mailbox=%d running=%v busy=%v timers=%d inflight=%d unsent=%d\n",
			svc, m.down.Load(), m.partitioned.Load(), inc.booted.Load(), m.actor.Len(), inc.running.Load(), inc.busy.Load(),
			inc.timers.Load(), inc.inflight.Load(), inc.unsent.Load())
	}
	ends, err := endOffsets(c.ctx, c.admin, &c.cfg)
	fmt.Fprintf(&b, "end offsets %v (err %v)\n", ends, err)
	c.offMu.Lock()
	fmt.Fprintf(&b, "acknowledged %v\n", c.durable)
	c.offMu.Unlock()
	return b.String()
}
