package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// topicPart names a partition of a logical topic.
type topicPart struct {
	topic     string
	partition int
}

// groupPart names a service's (consumer group's) partition.
type groupPart struct {
	group string
	topicPart
}

// topicsReadyMax bounds the wait for created topics to show up with a
// leader for every partition.
const topicsReadyMax = 20 * time.Second

// createTopics creates this run's topics and waits until every partition
// has a leader: the writers and readers made next must find them.
func createTopics(ctx context.Context, admin *kafkago.Client, cfg *Config) error {
	req := &kafkago.CreateTopicsRequest{}
	for _, t := range vocab.Topics {
		req.Topics = append(req.Topics, kafkago.TopicConfig{Topic: cfg.topic(t),
			NumPartitions: cfg.Partitions, ReplicationFactor: cfg.ReplicationFactor})
	}
	resp, err := admin.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("create topics: %w", err)
	}
	for name, terr := range resp.Errors {
		if terr != nil && !errors.Is(terr, kafkago.TopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", name, terr)
		}
	}
	deadline := time.Now().Add(topicsReadyMax)
	for {
		ready, why := topicsReady(ctx, admin, cfg)
		if ready {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("topics not ready after %v: %s", topicsReadyMax, why)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// topicsReady reports whether every topic has all its partitions led.
func topicsReady(ctx context.Context, admin *kafkago.Client, cfg *Config) (bool, string) {
	names := make([]string, len(vocab.Topics))
	for i, t := range vocab.Topics {
		names[i] = cfg.topic(t)
	}
	md, err := admin.Metadata(ctx, &kafkago.MetadataRequest{Topics: names})
	if err != nil {
		return false, err.Error()
	}
	led := map[string]int{}
	for _, t := range md.Topics {
		if t.Error != nil {
			return false, fmt.Sprintf("%s: %v", t.Name, t.Error)
		}
		for _, p := range t.Partitions {
			if p.Leader.Host != "" {
				led[t.Name]++
			}
		}
	}
	for _, n := range names {
		if led[n] != cfg.Partitions {
			return false, fmt.Sprintf("%s: %d of %d partitions have a leader", n, led[n], cfg.Partitions)
		}
	}
	return true, ""
}

// fetchOffsets reads a group's committed offsets of the partitions of
// topics (logical names); a partition never committed starts at 0 (the
// topics are this run's own, so 0 is their first offset).
func fetchOffsets(ctx context.Context, cl *kafkago.Client, cfg *Config, group string, topics []string) (map[topicPart]int64, error) {
	req := &kafkago.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{}}
	for _, t := range topics {
		for p := range cfg.Partitions {
			req.Topics[cfg.topic(t)] = append(req.Topics[cfg.topic(t)], p)
		}
	}
	out := map[topicPart]int64{}
	for _, t := range topics {
		for p := range cfg.Partitions {
			out[topicPart{t, p}] = 0
		}
	}
	resp, err := cl.OffsetFetch(ctx, req)
	if err == nil {
		err = resp.Error
	}
	if errors.Is(err, kafkago.GroupIdNotFound) {
		// kfake answers so for a group that never committed; Kafka
		// answers offset -1 for each partition. Both mean "from 0".
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("offset fetch %s: %w", group, err)
	}
	for _, t := range topics {
		for _, po := range resp.Topics[cfg.topic(t)] {
			if po.Error != nil {
				return nil, fmt.Errorf("offset fetch %s %s/%d: %w", group, t, po.Partition, po.Error)
			}
			if po.CommittedOffset > 0 {
				out[topicPart{t, po.Partition}] = po.CommittedOffset
			}
		}
	}
	return out, nil
}

// endOffsets returns the next offset to be written of every partition.
func endOffsets(ctx context.Context, admin *kafkago.Client, cfg *Config) (map[topicPart]int64, error) {
	req := &kafkago.ListOffsetsRequest{Topics: map[string][]kafkago.OffsetRequest{}}
	for _, t := range vocab.Topics {
		for p := range cfg.Partitions {
			req.Topics[cfg.topic(t)] = append(req.Topics[cfg.topic(t)], kafkago.LastOffsetOf(p))
		}
	}
	resp, err := admin.ListOffsets(ctx, req)
	if err != nil {
		return nil, err
	}
	out := map[topicPart]int64{}
	for _, t := range vocab.Topics {
		for _, po := range resp.Topics[cfg.topic(t)] {
			if po.Error != nil {
				return nil, fmt.Errorf("list offsets %s/%d: %w", t, po.Partition, po.Error)
			}
			out[topicPart{t, po.Partition}] = po.LastOffset
		}
	}
	return out, nil
}
