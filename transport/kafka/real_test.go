package kafka

import (
	"fmt"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The saga and a partition over a real Kafka cluster (JEPSEN_LITE_KAFKA_BROKERS;
// skipped when unset). The run's topics and groups carry a fresh prefix,
// so the cluster may be shared.
func TestRealKafkaSagaAndPartition(t *testing.T) {
	tc := newTestCluster(t, true, node.Bugs{})
	tc.setup()
	tc.fault(vocab.FaultPartition, vocab.ServiceShipping, true)
	tc.placeN(10)
	tc.fault(vocab.FaultPartition, vocab.ServiceShipping, false)
	tc.settle()
	for i := 1; i <= 10; i++ {
		if s := tc.status(fmt.Sprintf("o-%d", i)); !vocab.Terminal(s) {
			t.Fatalf("o-%d status %s, want terminal", i, s)
		}
	}
}
