package kafka

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

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

// brokerControl runs the broker control command with one argument.
func brokerControl(t *testing.T, cmd, arg string) {
	t.Helper()
	start := time.Now()
	out, err := exec.Command("sh", "-c", cmd+" "+arg).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", cmd, arg, err, out)
	}
	t.Logf("broker %s in %v: %s", arg, time.Since(start).Round(time.Millisecond), out)
}

// The real broker stopped and started again (JEPSEN_LITE_KAFKA_CONTROL):
// while it is down the sagas of new orders stall (the outbox holds their
// events); once it is back they all complete, and the orders from before
// the stop are intact: records and committed offsets survived the restart.
func TestRealKafkaBrokerStopStart(t *testing.T) {
	ctl := os.Getenv(BrokerControlEnv)
	if ctl == "" {
		t.Skipf("no broker control: set %s to a command taking stop|start (e.g. \".ci/kafka/control.sh WORKDIR\", as .ci/run does) to run this test", BrokerControlEnv)
	}
	tc := newTestCluster(t, true, node.Bugs{})
	tc.setup()
	tc.placeN(3)
	tc.settle()
	brokerControl(t, ctl, "stop")
	stopped := true
	defer func() {
		if stopped {
			brokerControl(t, ctl, "start") // leave the broker up for the other tests
		}
	}()
	for i := 4; i <= 6; i++ {
		r := tc.call(node.Command{Op: i, F: vocab.FPlace, Key: fmt.Sprintf("o-%d", i), Customer: "c-0", SKU: "s-0", Qty: 1, Amount: 10})
		if !r.OK {
			t.Fatalf("place o-%d while the broker is down: %+v (the command is stored, only its saga waits)", i, r)
		}
	}
	tc.loop.Run(func() bool { return false }, time.Second)
	if s := tc.status("o-4"); vocab.Terminal(s) {
		t.Fatalf("o-4 is %s while the only broker is down, want its saga waiting", s)
	}
	brokerControl(t, ctl, "start")
	stopped = false
	tc.settleWithin(90 * time.Second)
	for i := 1; i <= 6; i++ {
		if s := tc.status(fmt.Sprintf("o-%d", i)); !vocab.Terminal(s) {
			t.Fatalf("o-%d status %s after the broker restart, want terminal", i, s)
		}
	}
}
