package workloads

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func draw(cfg Config, seed uint64, n int) []Request {
	g := NewGenerator(cfg, rand.New(rand.NewPCG(seed, 1)))
	out := make([]Request, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

// The same seed draws the same operations; another seed others.
func TestGeneratorSeeded(t *testing.T) {
	a, b := draw(Default(), 5, 500), draw(Default(), 5, 500)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different operations")
	}
	if reflect.DeepEqual(a, draw(Default(), 6, 500)) {
		t.Fatal("seeds 5 and 6 drew the same operations")
	}
}

// The mix weights are honoured and every placed order has a fresh key and a
// valid value (amount a multiple of qty).
func TestGeneratorMix(t *testing.T) {
	reqs := draw(Default(), 1, 20000)
	count := map[string]int{}
	seen := map[string]bool{}
	for _, r := range reqs {
		count[r.F]++
		if r.F == vocab.FPlace {
			if seen[r.Key] {
				t.Fatalf("order %s placed twice", r.Key)
			}
			seen[r.Key] = true
			if v := r.Value; v.Qty < 1 || v.Amount%v.Qty != 0 || !strings.HasPrefix(v.SKU, "s-") || !strings.HasPrefix(v.Customer, "c-") {
				t.Fatalf("bad place value %+v", v)
			}
		}
	}
	m := Default().Mix
	total := float64(m.Place + m.Cancel + m.ReadStrong + m.ReadProjection + m.Restock)
	for f, w := range map[string]int{vocab.FPlace: m.Place, vocab.FCancel: m.Cancel, vocab.FReadStrong: m.ReadStrong,
		vocab.FReadProjection: m.ReadProjection, vocab.FRestock: m.Restock} {
		got, want := float64(count[f])/20000, float64(w)/total
		if got < want*0.9 || got > want*1.1 {
			t.Errorf("%s: share %.3f, want about %.3f", f, got, want)
		}
	}
}

// zipf concentrates places on the first SKUs; uniform spreads them.
func TestGeneratorZipf(t *testing.T) {
	share := func(dist string) float64 {
		cfg := Default()
		cfg.Dist, cfg.SKUs = dist, 50
		hot := 0
		places := 0
		for _, r := range draw(cfg, 3, 20000) {
			if r.F == vocab.FPlace {
				places++
				if r.Value.SKU == "s-0" {
					hot++
				}
			}
		}
		return float64(hot) / float64(places)
	}
	u, z := share("uniform"), share("zipf")
	if u > 0.05 || z < 0.2 {
		t.Fatalf("share of s-0: uniform %.3f (want ~0.02), zipf %.3f (want > 0.2)", u, z)
	}
}

func TestConfigValidate(t *testing.T) {
	for name, mut := range map[string]func(*Config){
		"concurrency":   func(c *Config) { c.Concurrency = 0 },
		"distribution":  func(c *Config) { c.Dist = "pareto" },
		"zipf exponent": func(c *Config) { c.Dist, c.ZipfS = "zipf", 1 },
		"mix":           func(c *Config) { c.Mix = Mix{} },
		"ops":           func(c *Config) { c.Ops = -1 },
		"skus":          func(c *Config) { c.SKUs = 0 },
		"timeout":       func(c *Config) { c.Timeout = 0 },
	} {
		c := Default()
		mut(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), strings.Fields(name)[0]) {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
}
