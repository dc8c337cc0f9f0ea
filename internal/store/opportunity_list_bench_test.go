package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// BenchmarkListOpportunities300k times a page of the opportunities list
// (the page /opportunities and GET /api/v1/opportunities serve) over
// 300,000 deals in SQLite, with the filters a coverage cell sets (open
// deals of one industry), a search by name, and none. Each page also
// counts the deals that match, as the list shows the count.
func BenchmarkListOpportunities300k(b *testing.B) {
	db := testutil.OpenDB(b, store.SQLite)
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "bench"})
	industries, err := db.ListTaxonomy(ctx, vouch.TaxIndustry)
	if err != nil || len(industries) == 0 {
		b.Fatal("no industries", err)
	}
	regions, err := db.ListTaxonomy(ctx, vouch.TaxRegion)
	if err != nil || len(regions) == 0 {
		b.Fatal("no regions", err)
	}
	statuses := []vouch.OpportunityStatus{vouch.OpportunityOpen, vouch.OpportunityWon, vouch.OpportunityLost}
	today := vouch.NewDate(2026, 12, 1)
	const n, batch = 300_000, 20_000
	for from := 0; from < n; from += batch {
		opps := make([]*vouch.Opportunity, 0, batch)
		for i := from; i < from+batch; i++ {
			opps = append(opps, &vouch.Opportunity{Name: fmt.Sprintf("Deal %d", i), Prospect: fmt.Sprintf("Prospect %d", i%40_000),
				AmountCents: int64(1_000_000 + i%97*10_000), Currency: "USD", Stage: "Proposal", Status: statuses[i%3],
				CloseDate: today.AddDays(i % 365), CreatedOn: today.AddDays(-(i % 365)), CRMID: fmt.Sprintf("OPP-%d", i),
				IndustryID: industries[i%len(industries)].ID, RegionID: regions[i%len(regions)].ID})
		}
		if err := db.Batch(ctx, func(bt *store.Batch) error { return bt.CreateOpportunities(opps) }); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		f    vouch.OpportunityFilter
	}{
		{"all", vouch.OpportunityFilter{}},
		{"open-in-an-industry", vouch.OpportunityFilter{Status: vouch.OpportunityOpen, IndustryID: industries[3].ID}},
		{"open-in-an-industry-page-40", vouch.OpportunityFilter{Status: vouch.OpportunityOpen, IndustryID: industries[3].ID, Offset: 40 * 50}},
		{"name-search", vouch.OpportunityFilter{Text: "deal 12345"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t := time.Now()
				page, total, err := db.ListOpportunities(ctx, c.f)
				if err != nil {
					b.Fatal(err)
				}
				if total == 0 || len(page) == 0 {
					b.Fatalf("%s: nothing matched", c.name)
				}
				durations = append(durations, time.Since(t))
			}
			slices.Sort(durations)
			b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
