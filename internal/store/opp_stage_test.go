package store_test

import (
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestStageAtRequest: a request, an activity logged by hand, an activity
// booked for a request and a content use each keep the deal's stage and
// amount from the moment they were tied to it; the deal moving on to
// Closed Won later changes none of them. Without a deal none is kept.
func TestStageAtRequest(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		opp := f.opportunity(t)
		opp.Stage, opp.AmountCents = "Proposal", 42_000_00
		if err := db.UpdateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		req := f.request(t, opp, nil)
		if req.OppStage != "Proposal" || req.OppAmountCents != 42_000_00 {
			t.Errorf("the new request: stage %q, amount %d", req.OppStage, req.OppAmountCents)
		}
		ref := f.ref(t, "Maya Okafor", nil)
		logged := &vouch.Activity{ReferenceID: ref.ID, TypeID: f.call, OccurredOn: f.today(), OpportunityID: opp.ID}
		if err := db.LogActivity(ctx, logged); err != nil {
			t.Fatal(err)
		}
		plain := &vouch.Activity{ReferenceID: ref.ID, TypeID: f.call, OccurredOn: f.today().AddDays(-1)}
		if err := db.LogActivity(ctx, plain); err != nil {
			t.Fatal(err)
		}
		if err := db.LogActivity(ctx, &vouch.Activity{ReferenceID: ref.ID, TypeID: f.call, OccurredOn: f.today(), OpportunityID: 424242}); vouch.ErrorFields(err)["opportunity"] != "is not a known opportunity" {
			t.Errorf("an unknown opportunity: %v", err)
		}
		it := &vouch.ContentItem{TypeID: valueID(t, db, vouch.TaxContentType, "Case study"), Title: "Northwind"}
		if err := db.CreateContent(ctx, it); err != nil {
			t.Fatal(err)
		}
		use := &vouch.ContentUse{ContentID: it.ID, Kind: vouch.UseCopyLink, UserID: f.seller.ID, OpportunityID: opp.ID}
		if err := db.RecordContentUse(ctx, use); err != nil {
			t.Fatal(err)
		}
		if use.OppStage != "Proposal" || use.OppAmountCents != 42_000_00 {
			t.Errorf("the new use: %+v", use)
		}

		// The deal is won, at a bigger amount.
		opp, _ = db.Opportunity(ctx, opp.ID)
		opp.Stage, opp.Status, opp.AmountCents = "Closed Won", vouch.OpportunityWon, 50_000_00
		if err := db.UpdateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		if r := f.mustRequest(t, req.ID); r.OppStage != "Proposal" || r.OppAmountCents != 42_000_00 {
			t.Errorf("the request after the win: stage %q, amount %d", r.OppStage, r.OppAmountCents)
		}
		acts, err := db.Activities(ctx, ref.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 2 || acts[0].ID != logged.ID || acts[0].OppStage != "Proposal" || acts[0].OppAmountCents != 42_000_00 ||
			acts[0].OpportunityID != opp.ID || acts[1].OppStage != "" || acts[1].OppAmountCents != 0 || acts[1].OpportunityID != 0 {
			t.Errorf("activities after the win: %+v", acts)
		}
		uses, err := db.ContentUses(ctx, it.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(uses) != 1 || uses[0].OppStage != "Proposal" || uses[0].OppAmountCents != 42_000_00 {
			t.Errorf("uses after the win: %+v", uses)
		}

		// A request made now, for the won deal, records where it is now.
		if late := f.request(t, opp, nil); late.OppStage != "Closed Won" || late.OppAmountCents != 50_000_00 {
			t.Errorf("a request after the win: %q %d", late.OppStage, late.OppAmountCents)
		}
	})
}
