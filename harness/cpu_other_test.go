//go:build !unix

package harness

import "time"

// processCPU is not measured here: the cpu-ms/order metric reads 0.
func processCPU() time.Duration { return 0 }
