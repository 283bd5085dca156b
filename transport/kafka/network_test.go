package kafka

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/system/node"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Every service reaches the brokers through its own toxiproxy proxies: its
// clients dialed them (not the brokers), a latency toxic on them slows a
// publish by at least its latency, and a partition stops them (a dial of
// the proxy is refused) until the heal, with the window in the trace.
func TestTrafficGoesThroughProxies(t *testing.T) {
	tc := newTestCluster(t, false, node.Bugs{})
	tc.setup()
	if r := tc.call(node.Command{Op: 1, F: vocab.FPlace, Key: "o-1", Customer: "c-0", SKU: "s-0", Qty: 1, Amount: 10}); !r.OK {
		t.Fatalf("place: %+v", r)
	}
	tc.settle()
	broker := tc.emb.Addrs()[0]
	for _, svc := range vocab.Services {
		via := tc.c.net.proxyOf(svc, broker)
		if tc.c.net.Dials(svc) == 0 || via == "" || via == broker {
			t.Fatalf("%s: %d dials, proxy of %s is %q: want its connections through its own proxy", svc, tc.c.net.Dials(svc), broker, via)
		}
	}

	// Latency: a publish by payment waits for the broker's reply through the toxic.
	const lat = 80 * time.Millisecond
	tc.c.net.setLatency(vocab.ServicePayment, lat)
	inc := tc.c.members[vocab.ServicePayment].cur.Load()
	publish := func(id string) time.Duration {
		start := time.Now()
		var err error
		done := make(chan struct{})
		inc.post(func() {
			err = inc.Publish(vocab.TopicPayments, trace.Envelope{ID: id, Aggregate: "acct-c-9"})
			close(done)
		})
		<-done
		if err != nil {
			t.Fatalf("publish %s: %v", id, err)
		}
		return time.Since(start)
	}
	if d := publish("ev-slow"); d < lat*3/4 { // the toxic's jitter is lat/4
		t.Fatalf("publish through a %v (±%v) latency toxic took %v", lat, lat/4, d)
	}
	tc.c.net.setLatency(vocab.ServicePayment, 0)
	if d := publish("ev-fast"); d >= lat*3/4 {
		t.Fatalf("publish after the toxic was removed took %v", d)
	}

	// Partition: the proxy refuses connections, then accepts them again.
	via := tc.c.net.proxyOf(vocab.ServiceShipping, broker)
	tc.fault(vocab.FaultPartition, vocab.ServiceShipping, true)
	if c, err := net.DialTimeout("tcp", via, time.Second); err == nil {
		c.Close()
		t.Fatalf("dial of shipping's proxy %s during the partition succeeded", via)
	}
	tc.fault(vocab.FaultPartition, vocab.ServiceShipping, false)
	c, err := net.DialTimeout("tcp", tc.c.net.proxyOf(vocab.ServiceShipping, broker), time.Second)
	if err != nil {
		t.Fatalf("dial of shipping's proxy after the heal: %v", err)
	}
	c.Close()
	edges := 0
	for _, e := range tc.trace() {
		if e.Kind == trace.KindFault && e.Fault == vocab.FaultPartition && e.Target == vocab.ServiceShipping {
			edges++
		}
	}
	if edges != 2 {
		t.Fatalf("%d partition edges in the trace, want start and stop", edges)
	}
}

// echoServer accepts connections on 127.0.0.1 and echoes what it reads,
// until the test ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); io.Copy(c, c) }()
		}
	}()
	return ln.Addr().String()
}

// A proxy is down while its service or its broker is cut off, and up only
// when neither is; latency is the larger of the two; each round trip goes
// through the proxy.
func TestNetworkFaultsCombine(t *testing.T) {
	up := echoServer(t)
	n := newNetwork(false)
	t.Cleanup(n.close)
	dial := n.dialer("svc")
	roundTrip := func() (time.Duration, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		c, err := dial(ctx, "tcp", up)
		if err != nil {
			return 0, err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(time.Second))
		if _, err := c.Write([]byte("x")); err != nil {
			return 0, err
		}
		b := make([]byte, 1)
		if _, err := io.ReadFull(c, b); err != nil {
			return 0, err
		}
		return time.Since(start), nil
	}
	mustUp := func(what string) time.Duration {
		t.Helper()
		d, err := roundTrip()
		if err != nil {
			t.Fatalf("%s: %v, want a round trip through the proxy", what, err)
		}
		return d
	}
	mustDown := func(what string) {
		t.Helper()
		if _, err := roundTrip(); err == nil {
			t.Fatalf("%s: a round trip went through", what)
		}
	}
	mustUp("no fault")
	if n.Dials("svc") != 1 || n.proxyOf("svc", up) == "" || n.proxyOf("svc", up) == up {
		t.Fatalf("dials %d, proxy %q of %s", n.Dials("svc"), n.proxyOf("svc", up), up)
	}
	n.partition("svc", true)
	mustDown("service partitioned")
	n.partitionBroker(up, true)
	n.partition("svc", false)
	mustDown("service healed, broker still cut off")
	n.partitionBroker(up, false)
	mustUp("both healed")

	const lat = 60 * time.Millisecond
	n.setBrokerLatency(up, lat)
	n.setLatency("svc", lat/3)
	if d := mustUp("latency"); d < lat*3/4 {
		t.Fatalf("round trip %v with a %v broker latency", d, lat)
	}
	n.setBrokerLatency(up, 0)
	n.setLatency("svc", 0)
	if d := mustUp("latency removed"); d >= lat/3 {
		t.Fatalf("round trip %v after the latency was removed", d)
	}
}

// A delay window opens and closes promptly even when a link through the
// proxy is stalled (its client reads nothing while the broker side keeps
// sending): toxiproxy's RemoveToxic waited forever on such a link and hung
// a whole run; the latency toxic now stays and only its latency changes.
func TestLatencyChangesDoNotWaitForStalledLinks(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // an upstream that floods every connection
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 64<<10)
				for {
					select {
					case <-stop:
						return
					default:
					}
					c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
					c.Write(buf)
				}
			}()
		}
	}()
	n := newNetwork(false)
	defer n.close()
	c, err := n.dialer("svc")(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close() // never read: the link backs up
	time.Sleep(100 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		for range 5 {
			n.setLatency("svc", 20*time.Millisecond)
			time.Sleep(20 * time.Millisecond)
			n.setLatency("svc", 0)
		}
		n.partition("svc", true)
		n.partition("svc", false)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("latency and partition changes blocked for 5s on a stalled link")
	}
}
