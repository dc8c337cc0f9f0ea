package campaigns_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Candidates for the Healthcare gap of testutil.CoverageProgram: customers
// in Healthcare with no active reference, happiest and longest-standing
// first, each with its reasons; an account with an active reference, or in
// another industry, is not one.
func TestRankCandidates(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			db := testutil.OpenDB(t, e)
			feed, _, ix := testutil.ReadModels(t, db)
			accts := refindex.NewAccounts(db, ix)
			if _, err := feed.Subscribe(context.Background(), "accounts", refindex.AccountKinds, accts); err != nil {
				t.Fatal(err)
			}
			seller := testutil.CreateUser(t, db, "sam@example.com", vouch.RoleSeller)
			p := testutil.AddCoverageProgram(t, db, seller.ID)
			ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
			promoter, detractor := 70, -10
			add := func(a *vouch.Account) *vouch.Account {
				if err := db.CreateAccount(ctx, a); err != nil {
					t.Fatal(err)
				}
				return a
			}
			fair := add(&vouch.Account{Name: "Bayside Health", IndustryID: p.Healthcare, Health: "fair", NPS: &detractor,
				CustomerSince: vouch.NewDate(2026, 11, 1)})
			best := add(&vouch.Account{Name: "Northgate Medical", IndustryID: p.Healthcare, Health: "good", NPS: &promoter,
				CustomerSince: vouch.NewDate(2022, 1, 1), ProductIDs: []int64{testutil.ValueID(t, db, vouch.TaxProduct, "Analytics"),
					testutil.ValueID(t, db, vouch.TaxProduct, "Security")}})
			add(&vouch.Account{Name: "Harbour Savings", IndustryID: p.Financial, Health: "good", NPS: &promoter})

			got := campaigns.Rank(accts, ix, nil, campaigns.Target{Dimension: "industry", ValueID: p.Healthcare, ActivityTypeID: p.Call},
				db.Today(), 0)
			var names []string
			for _, c := range got {
				names = append(names, c.Account.Name)
			}
			// Northgate: good 30 + promoter 25 + 5 years 25 + 2 products 10 = 90.
			// St Olave: good 30 + 3 years 15 = 45. Bayside: fair 10 − detractor 25 − new 10 = −25.
			// Mercy Clinics has Nia, active: not a candidate.
			if want := []string{"Northgate Medical", "St Olave Hospitals", "Bayside Health"}; !slices.Equal(names, want) {
				t.Fatalf("candidates %v, want %v", names, want)
			}
			if got[0].Account.ID != best.ID || got[0].Score != 90 ||
				!slices.Equal(got[0].Reasons, []string{"Health good", "NPS 70 (promoter)", "Customer for 5 years", "Uses 2 products"}) {
				t.Errorf("best %+v", got[0])
			}
			if got[2].Account.ID != fair.ID || got[2].Score != -25 ||
				!slices.Equal(got[2].Reasons, []string{"Health fair", "NPS -10 (detractor)", "Customer for under 6 months"}) {
				t.Errorf("last %+v", got[2])
			}
			// The ask ledger's rules hold a flagged account back, saying why.
			if kept, held := campaigns.HoldBack(ix.Ledger(), got); len(kept) != 3 || len(held) != 0 {
				t.Errorf("held back %v with no account flagged", held)
			}
			until := db.Today().AddDays(30)
			if _, err := db.SetAccountFlag(ctx, best.ID, "renewal", until); err != nil {
				t.Fatal(err)
			}
			// The flag reaches the ledger's read model as it commits.
			kept, held := campaigns.HoldBack(ix.Ledger(), got)
			want := "Northgate Medical is flagged: renewal until " + until.Time().Format("2 Jan 2006")
			if len(kept) != 2 || len(held) != 1 || held[0].Candidate.Account.ID != best.ID || held[0].Reason != want {
				t.Errorf("with Northgate flagged: kept %d, held %+v; want %q", len(kept), held, want)
			}
			if top := campaigns.Rank(accts, ix, nil, campaigns.Target{Dimension: "industry", ValueID: p.Healthcare}, db.Today(), 1); len(top) != 1 || top[0].Account.ID != best.ID {
				t.Errorf("the first one: %+v", top)
			}
		})
	}
}
