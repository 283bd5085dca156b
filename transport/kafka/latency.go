package kafka

import (
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Shopify/toxiproxy/v2/toxics"
)

// The delay faults slow a proxy with a toxic of our own, added once when the
// proxy is made and never removed during the run: a window only changes the
// latency it reads. toxiproxy's RemoveToxic waits for every link's toxic
// goroutine to take an interrupt, and one blocked handing data to a
// connection nobody reads never does, which hung a run (the nemesis calls
// it on the loop goroutine).

// latencyToxicType is the toxic's type name in toxiproxy's registry.
const latencyToxicType = "jepsen-lite-latency"

// latencies holds each proxy's current latency (ns) by toxic key.
var latencies sync.Map // string -> *atomic.Int64

func init() { toxics.Register(latencyToxicType, new(dynamicLatency)) }

// dynamicLatency delays the data through a link by the latency stored
// under Key, ± a quarter (toxiproxy's latency toxic, with its latency
// read per chunk).
type dynamicLatency struct {
	Key string `json:"key"`
}

// GetBufferSize makes the toxic buffered, as toxiproxy's latency toxic is.
func (t *dynamicLatency) GetBufferSize() int { return 1024 }

func (t *dynamicLatency) Pipe(stub *toxics.ToxicStub) {
	v, _ := latencies.Load(t.Key)
	d, _ := v.(*atomic.Int64)
	h := fnv.New64a()
	h.Write([]byte(t.Key))
	rng := rand.New(rand.NewPCG(h.Sum64(), uint64(time.Now().UnixNano()))) // jitter only
	for {
		select {
		case <-stub.Interrupt:
			return
		case c := <-stub.Input:
			if c == nil {
				stub.Close()
				return
			}
			if lat := latencyOf(d, rng); lat > 0 {
				select {
				case <-time.After(lat - time.Since(c.Timestamp)):
				case <-stub.Interrupt:
					stub.Output <- c // never drop data
					return
				}
			}
			stub.Output <- c
		}
	}
}

// latencyOf draws a latency around the stored one (0 when none).
func latencyOf(d *atomic.Int64, rng *rand.Rand) time.Duration {
	if d == nil {
		return 0
	}
	lat := time.Duration(d.Load())
	if q := int64(lat / 4); q > 0 {
		lat += time.Duration(rng.Int64N(2*q+1) - q)
	}
	return lat
}
