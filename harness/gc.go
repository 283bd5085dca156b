package harness

import (
	"os"
	"runtime/debug"
)

// GCPercent and GCMemoryLimit are what TuneGC sets.
const (
	GCPercent     = 400
	GCMemoryLimit = 2 << 30
)

// TuneGC trades memory for CPU the way a run needs it, unless the user set
// GOGC or GOMEMLIMIT. A run keeps its history and trace in memory until it
// is judged, and with the default GOGC of 100 every collection scans them
// again while the system under test allocates: over Kafka, GOGC 400
// measured 20-25% more orders/s (BenchmarkKafka, 64-SKU case), the same as
// no collection at all. The soft memory limit brings collections back
// before the heap passes 2 GiB. The jepsen-lite command and the Kafka
// benchmarks call it; a library user decides for their own process.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(GCMemoryLimit)
	}
}
