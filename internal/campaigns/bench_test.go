package campaigns_test

import (
	"slices"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// BenchmarkRank100k ranks the candidates of a gap — every industry, region
// and product in turn — over 100,000 references from the demo generator and
// their accounts, with each account's recent wins read from a metrics
// engine holding 300,000 opportunities (the pass over them is timed with
// each ranking, as a campaign page makes it). Budget: p95 ≤ 50 ms.
func BenchmarkRank100k(b *testing.B) {
	today := vouch.NewClock(nil).Today()
	var values []*vouch.TaxonomyValue
	id := int64(0)
	for _, kind := range vouch.TaxonomyKinds {
		for i, name := range vouch.DefaultTaxonomies[kind] {
			id++
			values = append(values, &vouch.TaxonomyValue{ID: id, Kind: kind, Name: name, Position: i})
		}
	}
	recs := demo.Records(1, 100_000, values, []int64{1, 2, 3, 4, 5}, today)
	ix := refindex.New(nil, nil, nil)
	ix.Replace(values, 3, recs)
	seen := map[int64]bool{}
	var list []*vouch.Account
	for _, r := range recs {
		if !seen[r.Account.ID] {
			seen[r.Account.ID] = true
			list = append(list, r.Account)
		}
	}
	accts := refindex.NewAccounts(nil, ix)
	accts.Replace(list)
	var targets []campaigns.Target
	for _, v := range values {
		switch v.Kind {
		case vouch.TaxIndustry:
			targets = append(targets, campaigns.Target{Dimension: "industry", ValueID: v.ID})
		case vouch.TaxRegion:
			targets = append(targets, campaigns.Target{Dimension: "region", ValueID: v.ID})
		case vouch.TaxProduct:
			targets = append(targets, campaigns.Target{Dimension: "product", ValueID: v.ID})
		}
	}
	mx := analytics.Generate(300_000, 1, 1, today)
	var ds []time.Duration
	won := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range targets {
			start := time.Now()
			wins := mx.RecentWins(today.AddDays(-campaigns.RecentWinDays), today)
			campaigns.Rank(accts, ix, wins, t, today, 50)
			ds = append(ds, time.Since(start))
			won = len(wins)
		}
	}
	b.StopTimer()
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(float64(len(list)), "accounts")
	b.ReportMetric(float64(won), "accounts-with-recent-wins")
}
