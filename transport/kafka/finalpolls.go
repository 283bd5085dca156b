package kafka

import (
	"context"
	"fmt"
	"sync"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// FinalPolls reads every partition of every topic of the run from its first
// offset to its end and records what it read in the log history, one
// consumer process per partition (Jepsen's final polls). Call it after
// Close: nothing is sent any more, so an acknowledged send these polls do
// not return is lost (unseen), not merely late. It reports an error when
// some partition could not be read to its end within timeout; the log
// checker then does not judge unseen sends.
func (c *Cluster) FinalPolls(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ends, err := endOffsets(ctx, c.admin, &c.cfg)
	if err != nil {
		return fmt.Errorf("final polls: end offsets: %w", err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ends))
	for _, t := range vocab.Topics {
		for p := range c.cfg.Partitions {
			tp := topicPart{t, p}
			if ends[tp] == 0 {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := c.pollToEnd(ctx, tp, ends[tp]); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	return <-errs // the first error, or nil
}

// pollToEnd reads one partition from offset 0 to end (exclusive).
func (c *Cluster) pollToEnd(ctx context.Context, tp topicPart, end int64) error {
	r := kafkago.NewReader(kafkago.ReaderConfig{
		Brokers: c.cfg.Brokers, Topic: c.cfg.topic(tp.topic), Partition: tp.partition,
		Dialer:   &kafkago.Dialer{ClientID: c.cfg.Prefix + "final-polls", Timeout: time.Second},
		MinBytes: 1, MaxBytes: 4 << 20, MaxWait: c.cfg.FetchWait, ReadLagInterval: -1,
	})
	defer r.Close()
	polled := pollLog{l: c.log, proc: c.log.process(), key: logKey(tp)}
	defer polled.flush()
	c.log.assign(polled.proc)
	for next := int64(0); next < end; {
		msg, err := r.FetchMessage(ctx)
		if err != nil {
			return fmt.Errorf("final poll of %s/%d at offset %d of %d: %w", tp.topic, tp.partition, next, end, err)
		}
		polled.add(&msg)
		next = msg.Offset + 1
	}
	return nil
}

// LogHistory returns what producers sent and consumers polled so far.
func (c *Cluster) LogHistory() *logcheck.History { return c.log.history() }
