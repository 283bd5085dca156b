package kafka

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ErrPartitioned is what a service cut from the bus gets for every dial and
// every read or write on a connection it had.
var ErrPartitioned = errors.New("kafka: service partitioned from the brokers (nemesis)")

// gate is the network between one service and the brokers: every
// connection the service's producer, readers and offset client make goes
// through it, so a partition can refuse new dials and close live
// connections, and a delay can slow the fetch connections. (toxiproxy
// proxies would do the same out of process; this needs no advertised
// listener changes.)
type gate struct {
	blocked atomic.Bool
	latency atomic.Int64 // ns added before each write on fetch connections

	mu    sync.Mutex
	conns map[*gatedConn]struct{}
}

func newGate() *gate { return &gate{conns: map[*gatedConn]struct{}{}} }

// dialer returns a dial function; fetch marks the connections of readers,
// the only ones a delay slows (a slow producer would stall the whole node).
func (g *gate) dialer(fetch bool) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if g.blocked.Load() {
			return nil, ErrPartitioned
		}
		d := net.Dialer{Timeout: time.Second}
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		gc := &gatedConn{Conn: c, g: g, fetch: fetch}
		g.mu.Lock()
		g.conns[gc] = struct{}{}
		g.mu.Unlock()
		if g.blocked.Load() { // blocked while dialing
			gc.Close()
			return nil, ErrPartitioned
		}
		return gc, nil
	}
}

// block cuts the service off: new dials fail and live connections close,
// so requests in flight fail as on a real network partition.
func (g *gate) block() {
	g.blocked.Store(true)
	g.mu.Lock()
	live := make([]*gatedConn, 0, len(g.conns))
	for c := range g.conns {
		live = append(live, c)
	}
	g.mu.Unlock()
	for _, c := range live {
		c.Close()
	}
}

func (g *gate) unblock() { g.blocked.Store(false) }

// setLatency sets the delay of fetch-connection writes (0 = none).
func (g *gate) setLatency(d time.Duration) { g.latency.Store(int64(d)) }

type gatedConn struct {
	net.Conn
	g     *gate
	fetch bool
	once  sync.Once
}

func (c *gatedConn) Read(b []byte) (int, error) {
	if c.g.blocked.Load() {
		return 0, ErrPartitioned
	}
	return c.Conn.Read(b)
}

func (c *gatedConn) Write(b []byte) (int, error) {
	if c.fetch {
		if d := time.Duration(c.g.latency.Load()); d > 0 {
			time.Sleep(d)
		}
	}
	if c.g.blocked.Load() {
		return 0, ErrPartitioned
	}
	return c.Conn.Write(b)
}

func (c *gatedConn) Close() error {
	var err error
	c.once.Do(func() {
		c.g.mu.Lock()
		delete(c.g.conns, c)
		c.g.mu.Unlock()
		err = c.Conn.Close()
	})
	return err
}
