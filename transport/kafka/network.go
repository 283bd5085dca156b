package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
)

// ErrPartitioned is what a service cut from the bus gets for a publish or
// a commit while its proxies are down (it fails at once rather than wait
// out a timeout; its readers do see refused dials and reset connections).
var ErrPartitioned = errors.New("kafka: service partitioned from the brokers (nemesis)")

// network is the path between the services and the brokers: an in-process
// toxiproxy server with one proxy per (service, broker), listening on
// 127.0.0.1. Every connection a service's producer, readers and offset
// client make is dialed through its proxy for that broker: the brokers
// keep advertising their own addresses, and the service's dial function
// maps each broker address to the service's proxy of it (created on the
// first dial, so brokers learned from metadata later, or added to the
// cluster, get proxies too). A partition stops proxies (dials refused,
// live connections closed); a delay sets the latency of their toxic. A fault
// on a service acts on its proxies to every broker; a fault on a broker
// acts on every service's proxy to it. The harness's own admin connections
// and the final polls do not go through the proxies.
type network struct {
	srv *toxiproxy.ApiServer
	// direct: dial the brokers without proxies (a run with no network
	// fault: the proxies' copying costs CPU and nothing would use them).
	direct bool

	mu      sync.Mutex
	proxies map[string]map[string]*toxiproxy.Proxy // service -> broker address -> proxy
	// Faults, per service and per broker address: a proxy is down when
	// either end is cut off, and slowed by the larger latency.
	down, brokerDown       map[string]bool
	latency, brokerLatency map[string]time.Duration
	dials                  map[string]*atomic.Int64           // service -> dials through its proxies
	lat                    map[*toxiproxy.Proxy]*atomic.Int64 // each proxy's latency (latency.go)
}

func newNetwork(direct bool) *network {
	return &network{direct: direct, srv: toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop()),
		proxies: map[string]map[string]*toxiproxy.Proxy{}, down: map[string]bool{}, brokerDown: map[string]bool{},
		latency: map[string]time.Duration{}, brokerLatency: map[string]time.Duration{}, dials: map[string]*atomic.Int64{},
		lat: map[*toxiproxy.Proxy]*atomic.Int64{}}
}

// dialer returns the dial function of a service's clients.
func (n *network) dialer(svc string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	count := n.dials[svc]
	if count == nil {
		count = &atomic.Int64{}
		n.dials[svc] = count
	}
	n.mu.Unlock()
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		via := addr
		if !n.direct {
			var err error
			if via, err = n.proxyAddr(svc, addr); err != nil {
				return nil, err
			}
		}
		d := net.Dialer{Timeout: time.Second}
		c, err := d.DialContext(ctx, network, via)
		if err == nil {
			count.Add(1)
		}
		return c, err
	}
}

// proxyAddr is the listen address of svc's proxy to broker addr, creating
// the proxy (with the current faults) on first use.
func (n *network) proxyAddr(svc, addr string) (string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if p := n.proxies[svc][addr]; p != nil {
		return p.Listen, nil
	}
	name := svc + ">" + addr
	p := toxiproxy.NewProxy(n.srv, name, "127.0.0.1:0", addr)
	if err := n.srv.Collection.Add(p, true); err != nil {
		return "", fmt.Errorf("kafka: proxy %s: %w", name, err)
	}
	if n.proxies[svc] == nil {
		n.proxies[svc] = map[string]*toxiproxy.Proxy{}
	}
	n.proxies[svc][addr] = p
	key := fmt.Sprintf("%p/%s", n, name)
	lat := &atomic.Int64{}
	latencies.Store(key, lat)
	n.lat[p] = lat
	spec := fmt.Sprintf(`{"name":%q,"type":%q,"stream":"downstream","toxicity":1,"attributes":{"key":%q}}`,
		latencyToxic, latencyToxicType, key)
	if _, err := p.Toxics.AddToxicJson(strings.NewReader(spec)); err != nil {
		return "", fmt.Errorf("kafka: proxy %s: latency toxic: %w", name, err) // no link yet: cannot fail but on a bug
	}
	n.apply(svc, addr)
	return p.Listen, nil
}

// apply gives svc's proxy to addr the state the faults ask for; n.mu is held.
func (n *network) apply(svc, addr string) {
	p := n.proxies[svc][addr]
	if p == nil {
		return
	}
	n.lat[p].Store(int64(max(n.latency[svc], n.brokerLatency[addr])))
	if n.down[svc] || n.brokerDown[addr] {
		p.Stop()
		return
	}
	if err := p.Start(); err != nil && !errors.Is(err, toxiproxy.ErrProxyAlreadyStarted) {
		// Its port was taken meanwhile: a fresh proxy on a new port
		// replaces it at the next dial.
		slog.Warn("kafka: proxy restart failed; replacing it", "proxy", p.Name, "err", err)
		n.srv.Collection.Remove(p.Name)
		delete(n.proxies[svc], addr)
	}
}

// partition cuts svc off from every broker (down) or heals it.
func (n *network) partition(svc string, down bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.down[svc] = down
	for addr := range n.proxies[svc] {
		n.apply(svc, addr)
	}
}

// setLatency sets the latency toxic of svc's proxies (0 removes it).
func (n *network) setLatency(svc string, d time.Duration) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.latency[svc] = d
	for addr := range n.proxies[svc] {
		n.apply(svc, addr)
	}
}

// partitionBroker cuts broker addr off from every service (down) or heals it.
func (n *network) partitionBroker(addr string, down bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.brokerDown[addr] = down
	for svc := range n.proxies {
		n.apply(svc, addr)
	}
}

// setBrokerLatency sets the latency toxic of every proxy to broker addr.
func (n *network) setBrokerLatency(addr string, d time.Duration) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.brokerLatency[addr] = d
	for svc := range n.proxies {
		n.apply(svc, addr)
	}
}

// latencyToxic names the delay faults' toxic on every proxy (latency.go).
const latencyToxic = "nemesis-latency"

// Dials is how many connections svc's clients made through its proxies.
func (n *network) Dials(svc string) int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if c := n.dials[svc]; c != nil {
		return c.Load()
	}
	return 0
}

// proxyOf returns svc's proxy listen address for broker addr ("" if none yet).
func (n *network) proxyOf(svc, addr string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if p := n.proxies[svc][addr]; p != nil {
		return p.Listen
	}
	return ""
}

// close stops every proxy and forgets their latencies.
func (n *network) close() {
	n.srv.Collection.Clear()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, svcProxies := range n.proxies {
		for _, p := range svcProxies {
			latencies.Delete(fmt.Sprintf("%p/%s", n, p.Name))
		}
	}
}
