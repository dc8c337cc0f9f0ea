package testutil

import (
	"context"
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// ScorecardDeals is a program with deals whose scorecard figures for
// 2026-Q3 (1 July – 30 September 2026) are known by hand, from the
// definitions in docs/metrics.md:
//
//   - 12 influenced deals closed in the quarter: 9 won, 3 lost (win rate
//     with references 0.75). The won ones are 8 in USD (10,000 … 80,000,
//     360,000 in all; one of them has two activities and counts once) and 1
//     in EUR (20,000), in segment Mid-Market; every other deal is Enterprise.
//   - 12 deals closed in the quarter without references: 6 won, 6 lost
//     (0.5), one of the won ones with an activity after its close date,
//     which does not count. Lift 0.25.
//   - 1 open deal (USD 50,000) with an activity in the quarter: pipeline influenced.
//
// Every deal is in Healthcare; Financial Services has none (not enough data).
type ScorecardDeals struct {
	Quarter        vouch.Period
	Maya           *vouch.Reference
	Call           int64
	Healthcare     int64
	RevenueUSD     float64 // 360,000
	RevenueUSDDeal int     // 8
	RevenueEUR     float64 // 20,000
	PipelineUSD    float64 // 50,000
	WonWith        int     // 9
	LostWith       int     // 3
	WonWithout     int     // 6
	LostWithout    int     // 6
	// InfluencedNames are the influenced won deals' names; LateName is the
	// won deal whose only activity came after it closed.
	InfluencedNames []string
	LateName        string
	OpenName        string
}

// AddScorecardDeals stores the deals of ScorecardDeals through db.
func AddScorecardDeals(t testing.TB, db *store.DB) *ScorecardDeals {
	t.Helper()
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
	val := func(kind vouch.TaxonomyKind, name string) int64 {
		vals, err := db.ListTaxonomy(ctx, kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if v.Name == name {
				return v.ID
			}
		}
		t.Fatalf("no %s %q", kind, name)
		return 0
	}
	f := &ScorecardDeals{Quarter: vouch.PeriodOf(vouch.PeriodQuarter, vouch.NewDate(2026, 7, 1)),
		Call: val(vouch.TaxActivityType, "Call"), Healthcare: val(vouch.TaxIndustry, "Healthcare"),
		RevenueUSD: 360000, RevenueUSDDeal: 8, RevenueEUR: 20000, PipelineUSD: 50000,
		WonWith: 9, LostWith: 3, WonWithout: 6, LostWithout: 6}
	enterprise, midMarket := val(vouch.TaxSegment, "Enterprise"), val(vouch.TaxSegment, "Mid-Market")
	acct := &vouch.Account{Name: "Acme Hospitals", IndustryID: f.Healthcare, SegmentID: enterprise}
	if err := db.CreateAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	f.Maya = &vouch.Reference{AccountID: acct.ID, Name: "Maya Okafor", Title: "CIO", Status: vouch.StatusActive,
		Email: "maya.okafor@example.org", LastVerified: db.Today(), Activities: []vouch.AgreedActivity{{TypeID: f.Call}}}
	if err := db.CreateReference(ctx, f.Maya); err != nil {
		t.Fatal(err)
	}
	n := 0
	deal := func(name string, cents int64, cur string, status vouch.OpportunityStatus, close vouch.Date, segment int64) *vouch.Opportunity {
		n++
		stage := map[vouch.OpportunityStatus]string{vouch.OpportunityWon: "Closed Won", vouch.OpportunityLost: "Closed Lost",
			vouch.OpportunityOpen: "Proposal"}[status]
		o := &vouch.Opportunity{Name: name, Prospect: "Prospect " + name, AmountCents: cents, Currency: cur, Stage: stage,
			Status: status, CloseDate: close, IndustryID: f.Healthcare, SegmentID: segment,
			CreatedOn: vouch.NewDate(2026, 3, 1), CRMID: fmt.Sprintf("CRM-%03d", n)}
		if err := db.CreateOpportunity(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	activity := func(o *vouch.Opportunity, on vouch.Date) {
		if err := db.LogActivity(ctx, &vouch.Activity{ReferenceID: f.Maya.ID, TypeID: f.Call, OccurredOn: on, OpportunityID: o.ID}); err != nil {
			t.Fatal(err)
		}
	}
	closeOn := vouch.NewDate(2026, 8, 20)
	for i := 1; i <= 8; i++ {
		name := fmt.Sprintf("Influenced win %d", i)
		o := deal(name, int64(i)*10000*100, "USD", vouch.OpportunityWon, closeOn, enterprise)
		activity(o, vouch.NewDate(2026, 7, 10))
		if i == 1 {
			activity(o, vouch.NewDate(2026, 7, 20)) // several activities: the deal counts once
		}
		f.InfluencedNames = append(f.InfluencedNames, name)
	}
	eur := deal("Influenced win in euros", 20000*100, "EUR", vouch.OpportunityWon, closeOn, midMarket)
	activity(eur, vouch.NewDate(2026, 7, 12))
	f.InfluencedNames = append(f.InfluencedNames, eur.Name)
	for i := 1; i <= 3; i++ {
		o := deal(fmt.Sprintf("Influenced loss %d", i), 15000*100, "USD", vouch.OpportunityLost, closeOn, enterprise)
		activity(o, vouch.NewDate(2026, 7, 15))
	}
	for i := 1; i <= 6; i++ {
		o := deal(fmt.Sprintf("Plain win %d", i), 30000*100, "USD", vouch.OpportunityWon, closeOn, enterprise)
		if i == 1 {
			f.LateName = o.Name
			activity(o, closeOn.AddDays(3)) // after the close: not influenced
		}
	}
	for i := 1; i <= 6; i++ {
		deal(fmt.Sprintf("Plain loss %d", i), 30000*100, "USD", vouch.OpportunityLost, closeOn, enterprise)
	}
	open := deal("Open influenced deal", 50000*100, "USD", vouch.OpportunityOpen, vouch.NewDate(2027, 3, 31), enterprise)
	activity(open, vouch.NewDate(2026, 9, 1))
	f.OpenName = open.Name
	return f
}
