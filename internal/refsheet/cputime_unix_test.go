//go:build unix

package refsheet_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used so far. On a shared
// machine it varies much less with other load than the wall clock does.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
