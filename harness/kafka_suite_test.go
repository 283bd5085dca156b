package harness_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/transport/kafka"
	"github.com/jepsen-lite/jepsen-lite/transport/kafka/kafkasuite"
)

// The Kafka suite against a real cluster (JEPSEN_LITE_KAFKA_BROKERS): the
// all-faults run is valid, log checker included, and every bug switch is
// caught by name (not with -short). Broker-side faults of the embedded
// cluster are not drawn there; partitions and latency (toxiproxy) are.
func TestKafkaRealBrokers(t *testing.T) {
	env := os.Getenv(kafka.BrokersEnv)
	if env == "" {
		t.Skipf("no real Kafka: set %s=host:port,... to run this test against one", kafka.BrokersEnv)
	}
	kafkasuite.Run(t, strings.Split(env, ","))
}
