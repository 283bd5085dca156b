package kafka

import (
	"time"

	kafkago "github.com/segmentio/kafka-go"
)

// BrokersEnv names the environment variable with a real cluster's brokers
// (host:port,...). Tests that need a real broker skip when it is unset.
const BrokersEnv = "JEPSEN_LITE_KAFKA_BROKERS"

// BrokerControlEnv names the environment variable with a command that
// stops and starts the real broker: "$JEPSEN_LITE_KAFKA_CONTROL stop" and
// "... start" (.ci/run sets it to .ci/kafka/control.sh and its work dir
// for the broker stop/start test only).
const BrokerControlEnv = "JEPSEN_LITE_KAFKA_CONTROL"

// Config tunes the Kafka driver. Durations are wall-clock.
type Config struct {
	// Brokers are bootstrap addresses host:port.
	Brokers []string
	// Prefix names this run's topics and groups: "<prefix><topic>",
	// "<prefix><service>". A real cluster may hold other runs' topics.
	Prefix string
	// Partitions per topic, when the driver creates the topics.
	Partitions int
	// ReplicationFactor of created topics; -1 = the broker's default.
	ReplicationFactor int
	// PublishTimeout bounds one Publish (the writer's retries included).
	PublishTimeout time.Duration
	// PublishAttempts is the writer's MaxAttempts (producer retries).
	PublishAttempts int
	// CommitEvery is the least time between two offset commits of a
	// service; they are sent off the node goroutine, one at a time. 0
	// sends each at once and makes the node wait for it (CommitSync).
	CommitEvery time.Duration
	// RequestTimeout bounds admin requests and offset commits and fetches.
	RequestTimeout time.Duration
	// FetchWait is the broker's long-poll wait of a fetch (MaxWait).
	FetchWait time.Duration
	// MailboxMax bounds a node's mailbox; fetch loops wait when it is full.
	MailboxMax int
	// ReorderJitter is the largest extra delay of a record during a reorder window.
	ReorderJitter time.Duration
	// DelayExtra is the latency added to a delayed service's fetch requests and replies.
	DelayExtra time.Duration
	// DupTimeoutFraction is the fraction of a producing service's produce
	// requests that the embedded broker applies and answers REQUEST_TIMED_OUT
	// during a duplicate window.
	DupTimeoutFraction float64
	// RewindEvery is how often a duplicate window rewinds the target's readers.
	RewindEvery time.Duration
	// Proxies routes every service's connections through its toxiproxy
	// proxies (network.go). Without them partitions and delays have no
	// effect on the sockets; a run whose nemesis has neither may save the
	// proxies' CPU.
	Proxies bool
}

// DefaultConfig returns the defaults of `run --bus kafka`.
func DefaultConfig(brokers []string, prefix string) Config {
	return Config{
		Brokers: brokers, Prefix: prefix, Partitions: 6, ReplicationFactor: -1,
		PublishTimeout: 300 * time.Millisecond, PublishAttempts: 4,
		CommitEvery:    20 * time.Millisecond,
		RequestTimeout: 2 * time.Second, FetchWait: 100 * time.Millisecond,
		MailboxMax:    4096,
		ReorderJitter: 30 * time.Millisecond, DelayExtra: 30 * time.Millisecond,
		DupTimeoutFraction: 0.3, RewindEvery: 40 * time.Millisecond,
		Proxies: true,
	}
}

// topic is the physical name of a logical topic (vocab.Topics).
func (c *Config) topic(logical string) string { return c.Prefix + logical }

// group is the consumer group of a service.
func (c *Config) group(service string) string { return c.Prefix + service }

// partitionOf is the partition the writers' balancer (kafka-go's Hash, as
// Sarama and the Java client's default for keyed records) gives a record.
func (c *Config) partitionOf(msg kafkago.Message) int {
	parts := make([]int, c.Partitions)
	for i := range parts {
		parts[i] = i
	}
	return (&kafkago.Hash{}).Balance(msg, parts...)
}
