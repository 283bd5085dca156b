package tctest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tckafka "github.com/testcontainers/testcontainers-go/modules/kafka"

	"github.com/jepsen-lite/jepsen-lite/transport/kafka/kafkasuite"
)

// ImageEnv overrides the broker image (default defaultImage): any image
// testcontainers' kafka module runs in KRaft mode, e.g. apache/kafka-native.
const ImageEnv = "JEPSEN_LITE_KAFKA_IMAGE"

const defaultImage = "confluentinc/confluent-local:7.5.0"

// startMax bounds pulling and starting the broker container.
const startMax = 5 * time.Minute

// The Kafka suite (transport/kafka/kafkasuite: the all-faults run valid with
// the log checker, every bug switch caught) against a broker that
// testcontainers starts in Docker. Skipped when no Docker engine answers.
func TestKafkaSuiteOnTestcontainers(t *testing.T) {
	testcontainers.SkipIfProviderIsNotHealthy(t)
	image := os.Getenv(ImageEnv)
	if image == "" {
		image = defaultImage
	}
	ctx, cancel := context.WithTimeout(context.Background(), startMax)
	defer cancel()
	ctr, err := tckafka.Run(ctx, image, tckafka.WithClusterID("jepsen-lite"))
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatalf("start %s: %v", image, err)
	}
	brokers, err := ctr.Brokers(ctx)
	if err != nil {
		t.Fatalf("brokers of %s: %v", image, err)
	}
	t.Logf("%s on %v", image, brokers)
	kafkasuite.Run(t, brokers)
}
