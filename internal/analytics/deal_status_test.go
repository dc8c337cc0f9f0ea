package analytics_test

import (
	"testing"

	"github.com/vouchhq/vouch/internal/deals"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestDealStatusAsStored: the engine counts a deal by the status it is
// stored with. A stage added to the won stages does not make the engine
// count a deal there as won by itself; the deals service writing the
// status the stage decides does, through the change feed.
func TestDealStatusAsStored(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		health := f.value(t, vouch.TaxIndustry, "Healthcare")
		signed := f.opportunity(t, &vouch.Opportunity{Name: "Umbrella Health", Stage: "Signed", Status: vouch.OpportunityOpen,
			IndustryID: health, CloseDate: vouch.NewDate(2026, 12, 1)})
		f.subscribe(t)
		open := func() int {
			t.Helper()
			c, ok := f.model.Coverage("industry", 6, f.db.Today())
			if !ok {
				t.Fatal("no coverage by industry")
			}
			return c.OpenOpps[health]
		}
		if n := open(); n != 1 {
			t.Fatalf("the deal at Signed, stored open: %d open deals in Healthcare, want 1", n)
		}
		ps, err := db.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps.WonStages = append(ps.WonStages, "Signed")
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		if n := open(); n != 1 {
			t.Errorf("won stages saved around the deals service: the engine counts %d open, want the stored 1", n)
		}
		if err := deals.New(db).FollowStages(ctx); err != nil {
			t.Fatal(err)
		}
		stored, err := db.Opportunity(ctx, signed.ID)
		if err != nil || stored.Status != vouch.OpportunityWon {
			t.Fatalf("the deals service follows the stage: %+v %v", stored, err)
		}
		if n := open(); n != 0 {
			t.Errorf("the deal stored as won: the engine counts %d open, want 0", n)
		}
	})
}
