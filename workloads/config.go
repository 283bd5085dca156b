package workloads

import (
	"fmt"
	"time"
)

// Config shapes a workload. Zero fields take the defaults of Default.
type Config struct {
	Ops         int // main-phase operations (invokes)
	Concurrency int // client processes
	SKUs        int
	Customers   int
	// Dist is the key distribution for SKUs, customers and existing orders:
	// "uniform" or "zipf".
	Dist  string
	ZipfS float64 // zipf exponent (> 1)
	// Mix weights of the main phase.
	Mix Mix
	// StockInitial per SKU and BalanceInitial per customer, set in the setup phase.
	StockInitial, BalanceInitial int
	Timeout                      time.Duration // a client op without reply by then is info
	ThinkMax                     time.Duration // pause between a process's ops
	// CancelRecent makes cancels pick among the most recent orders, which
	// are mid-saga: that is where a cancel races the saga.
	CancelRecent int
	// QuiesceMax bounds the wait for quiescence in the final phase.
	QuiesceMax time.Duration
	// QuietPeriod is how long nothing may move for a stalled system to count as quiet.
	QuietPeriod time.Duration
	// Script, when not empty, replaces the drawn main phase: one process
	// invokes these ops in order (script.go); Ops, Mix and Concurrency do
	// not shape the main phase then. ScriptUntil keeps the main phase (and
	// so the fault schedule) going until then after the last op completed.
	Script      []Scripted
	ScriptUntil time.Duration
}

// Mix is the relative weight of each main-phase operation.
type Mix struct {
	Place, Cancel, ReadStrong, ReadProjection, Restock int
}

// Default returns the defaults of `jepsen-lite run`.
func Default() Config {
	return Config{
		Ops: 2000, Concurrency: 10, SKUs: 8, Customers: 12, Dist: "uniform", ZipfS: 1.2,
		Mix:          Mix{Place: 40, Cancel: 15, ReadStrong: 25, ReadProjection: 10, Restock: 10},
		StockInitial: 40, BalanceInitial: 400,
		Timeout: 500 * time.Millisecond, ThinkMax: 2 * time.Millisecond,
		CancelRecent: 8, QuiesceMax: 30 * time.Second, QuietPeriod: time.Second,
	}
}

// Validate reports the first bad field.
func (c Config) Validate() error {
	switch {
	case c.Ops < 0:
		return fmt.Errorf("ops %d: must be >= 0", c.Ops)
	case c.Concurrency < 1 || c.Concurrency > 1000:
		return fmt.Errorf("concurrency %d: must be in 1..1000", c.Concurrency)
	case c.SKUs < 1 || c.Customers < 1:
		return fmt.Errorf("skus %d / customers %d: must be >= 1", c.SKUs, c.Customers)
	case c.Dist != "uniform" && c.Dist != "zipf":
		return fmt.Errorf("distribution %q: want uniform or zipf", c.Dist)
	case c.Dist == "zipf" && c.ZipfS <= 1:
		return fmt.Errorf("zipf exponent %v: must be > 1", c.ZipfS)
	case c.Mix.Place+c.Mix.Cancel+c.Mix.ReadStrong+c.Mix.ReadProjection+c.Mix.Restock <= 0:
		return fmt.Errorf("mix: weights sum to zero")
	case c.Timeout <= 0:
		return fmt.Errorf("timeout %v: must be > 0", c.Timeout)
	}
	if err := c.validateScript(); err != nil {
		return err
	}
	return nil
}
