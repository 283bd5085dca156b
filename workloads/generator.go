package workloads

import (
	"fmt"
	"math/rand/v2"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Request is one operation to invoke.
type Request struct {
	Op    int // history index of the invoke
	F     string
	Key   string
	Value *history.Value
}

// Generator draws main-phase operations from a seeded source.
type Generator struct {
	cfg      Config
	rng      *rand.Rand
	zipfSKU  *rand.Zipf
	zipfCust *rand.Zipf
	orders   []string // order keys ever placed (invoked), in order
}

// NewGenerator returns a generator over cfg drawing from rng.
func NewGenerator(cfg Config, rng *rand.Rand) *Generator {
	g := &Generator{cfg: cfg, rng: rng}
	if cfg.Dist == "zipf" {
		g.zipfSKU = rand.NewZipf(rng, cfg.ZipfS, 1, uint64(cfg.SKUs-1))
		g.zipfCust = rand.NewZipf(rng, cfg.ZipfS, 1, uint64(cfg.Customers-1))
	}
	return g
}

func (g *Generator) pick(n int, z *rand.Zipf) int {
	if z != nil {
		return int(z.Uint64())
	}
	return g.rng.IntN(n)
}

// SKU and Customer name keys.
func SKU(i int) string      { return fmt.Sprintf("s-%d", i) }
func Customer(i int) string { return fmt.Sprintf("c-%d", i) }
func Order(i int) string    { return fmt.Sprintf("o-%d", i) }

// Orders returns every order key placed so far.
func (g *Generator) Orders() []string { return g.orders }

// Next draws the next main-phase operation.
func (g *Generator) Next() Request {
	m := g.cfg.Mix
	r := g.rng.IntN(m.Place + m.Cancel + m.ReadStrong + m.ReadProjection + m.Restock)
	switch {
	case r < m.Place || len(g.orders) == 0:
		return g.place()
	case r < m.Place+m.Cancel:
		return Request{F: vocab.FCancel, Key: g.recentOrder()}
	case r < m.Place+m.Cancel+m.ReadStrong:
		return Request{F: vocab.FReadStrong, Key: g.anyOrder()}
	case r < m.Place+m.Cancel+m.ReadStrong+m.ReadProjection:
		return Request{F: vocab.FReadProjection, Key: g.anyOrder()}
	}
	return Request{F: vocab.FRestock, Key: SKU(g.pick(g.cfg.SKUs, g.zipfSKU)), Value: &history.Value{Qty: 1 + g.rng.IntN(10)}}
}

func (g *Generator) place() Request {
	key := Order(len(g.orders) + 1)
	g.orders = append(g.orders, key)
	qty := 1 + g.rng.IntN(5)
	price := 5 + g.rng.IntN(20)
	return Request{F: vocab.FPlace, Key: key, Value: &history.Value{
		Customer: Customer(g.pick(g.cfg.Customers, g.zipfCust)),
		SKU:      SKU(g.pick(g.cfg.SKUs, g.zipfSKU)),
		Qty:      qty, Amount: qty * price,
	}}
}

// recentOrder picks among the most recent orders: they are mid-saga.
func (g *Generator) recentOrder() string {
	n := min(len(g.orders), max(g.cfg.CancelRecent, 1))
	return g.orders[len(g.orders)-1-g.rng.IntN(n)]
}

// anyOrder picks an order: recent ones are more interesting, old ones check
// that finished sagas stay finished.
func (g *Generator) anyOrder() string {
	if g.rng.IntN(2) == 0 {
		return g.recentOrder()
	}
	return g.orders[g.rng.IntN(len(g.orders))]
}
