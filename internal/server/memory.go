package server

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	runtimemetrics "runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// MemoryLimit says how the Go runtime's soft memory limit is set.
type MemoryLimit struct {
	Auto  bool  // follow the live heap (the default)
	Bytes int64 // a fixed limit, when not Auto; 0 = none
}

// ParseMemoryLimit reads "auto", "off" or a size as GOMEMLIMIT takes it:
// bytes, or a number with B, KiB, MiB, GiB or TiB (e.g. 300MiB).
func ParseMemoryLimit(s string) (MemoryLimit, error) {
	switch t := strings.TrimSpace(s); strings.ToLower(t) {
	case "auto", "":
		return MemoryLimit{Auto: true}, nil
	case "off", "0":
		return MemoryLimit{}, nil
	default:
		num, unit := t, int64(1)
		for _, u := range []struct {
			suffix string
			size   int64
		}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}} {
			if strings.HasSuffix(t, u.suffix) {
				num, unit = strings.TrimSuffix(t, u.suffix), u.size
				break
			}
		}
		n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err != nil || n <= 0 || n > math.MaxInt64/unit {
			return MemoryLimit{}, fmt.Errorf("%q is not auto, off or a size such as 300MiB or 2GiB", s)
		}
		if n*unit < minMemoryLimit {
			return MemoryLimit{}, fmt.Errorf("%q is below the smallest limit Vouch runs in, 64MiB", s)
		}
		return MemoryLimit{Bytes: n * unit}, nil
	}
}

// minMemoryLimit is the least a limit may be: below it the collector would
// run without pause for the server's own start-up.
const minMemoryLimit = 64 << 20

// AutoMemoryLimit is the soft limit for a live heap of live bytes: a
// quarter more, and 24 MiB for what requests allocate between two
// collections. The reference index is most of the live heap and changes
// slowly, so this keeps resident memory near what the index really holds:
// without a limit the runtime keeps the pages freed after each burst of
// requests, and at 100,000 references resident memory grew from about
// 250 MB at rest to 350 MB under load (docs/performance.md).
func AutoMemoryLimit(live uint64) int64 {
	return max(int64(live)+int64(live)/4+24<<20, minMemoryLimit)
}

// followLiveHeap sets the soft memory limit from the live heap now, and
// again every interval until ctx ends, so the limit grows with the index
// (an import of thousands of references) instead of squeezing it.
func followLiveHeap(ctx context.Context, interval time.Duration) {
	sample := []runtimemetrics.Sample{{Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		runtimemetrics.Read(sample)
		if sample[0].Value.Kind() == runtimemetrics.KindUint64 {
			if live := sample[0].Value.Uint64(); live > 0 {
				debug.SetMemoryLimit(AutoMemoryLimit(live))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// memoryFollowInterval is how often the automatic memory limit follows the live heap.
const memoryFollowInterval = 15 * time.Second
