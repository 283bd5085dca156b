package kafka

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"
)

// kafka-go's consumer-group Reader ("subscribe" mode) works against the
// embedded brokers: it joins, reads, commits with CommitMessages, and a
// new member of the same group resumes after the commit. The driver uses
// assign mode instead (see doc.go); this test keeps subscribe mode known
// to work for when a consumer-mode option is added.
func TestKafkaGoGroupReaderOnEmbedded(t *testing.T) {
	emb, err := StartEmbedded(3, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	cfg := DefaultConfig(emb.Addrs(), "group-test.")
	tr := &kafkago.Transport{}
	defer tr.CloseIdleConnections()
	admin := &kafkago.Client{Addr: kafkago.TCP(cfg.Brokers...), Transport: tr, Timeout: cfg.RequestTimeout}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := createTopics(ctx, admin, &cfg); err != nil {
		t.Fatal(err)
	}
	topic := cfg.topic("orders")
	w := &kafkago.Writer{Addr: kafkago.TCP(cfg.Brokers...), Transport: tr, Topic: topic, Balancer: &kafkago.Hash{},
		RequiredAcks: kafkago.RequireAll, BatchTimeout: time.Millisecond}
	defer w.Close()
	for i := range 10 {
		if err := w.WriteMessages(ctx, kafkago.Message{Key: []byte(fmt.Sprint(i)), Value: []byte(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	read := func(n int) map[string]bool {
		r := kafkago.NewReader(kafkago.ReaderConfig{Brokers: cfg.Brokers, GroupID: "group-test.g", Topic: topic,
			MaxWait: 100 * time.Millisecond, HeartbeatInterval: 100 * time.Millisecond, SessionTimeout: 6 * time.Second})
		defer r.Close()
		got := map[string]bool{}
		for len(got) < n {
			m, err := r.FetchMessage(ctx)
			if err != nil {
				t.Fatalf("fetch after %d: %v", len(got), err)
			}
			got[string(m.Value)] = true
			if err := r.CommitMessages(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		return got
	}
	if got := read(10); len(got) != 10 {
		t.Fatalf("first member read %d, want 10", len(got))
	}
	for i := 10; i < 15; i++ {
		if err := w.WriteMessages(ctx, kafkago.Message{Key: []byte(fmt.Sprint(i)), Value: []byte(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	got := read(5)
	for v := range got {
		var i int
		fmt.Sscan(v, &i)
		if i < 10 {
			t.Fatalf("second member re-read %s, committed by the first", v)
		}
	}
}
