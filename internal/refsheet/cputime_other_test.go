//go:build !unix

package refsheet_test

import "time"

// processCPU is not measured here; the benchmarks then report 0 CPU time.
func processCPU() time.Duration { return 0 }
