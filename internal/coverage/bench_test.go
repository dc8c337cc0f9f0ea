package coverage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/coverage"
	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// BenchmarkCoverage100k measures the whole matrix, by each dimension and
// for 6 and 12 months, over 100,000 references (the demo generator, as the
// reference index loads them) and 300,000 opportunities with 150,000
// requests (analytics.Generate). Budget: p95 ≤ 50 ms.
func BenchmarkCoverage100k(b *testing.B) {
	today := vouch.NewClock(nil).Today()
	var values []*vouch.TaxonomyValue
	id := int64(0)
	for _, kind := range vouch.TaxonomyKinds {
		for i, name := range vouch.DefaultTaxonomies[kind] {
			id++
			values = append(values, &vouch.TaxonomyValue{ID: id, Kind: kind, Name: name, Position: i})
		}
	}
	ix := refindex.New(nil, nil, nil)
	ix.Replace(values, 3, demo.Records(1, 100_000, values, []int64{1, 2, 3, 4, 5}, today))
	mx := analytics.Generate(300_000, 1_000_000, 100_000, today)
	ps := vouch.DefaultProgramSettings()
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, dim := range coverage.Dimensions {
			for _, months := range []int{6, 12} {
				start := time.Now()
				m, ok := coverage.Compute(ix, mx, ix.Catalog(), ps, coverage.Query{Dimension: dim, Months: months, Today: today})
				ds = append(ds, time.Since(start))
				if !ok || len(m.Cells) == 0 {
					b.Fatalf("%s: no matrix", dim)
				}
			}
		}
	}
	b.StopTimer()
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}
