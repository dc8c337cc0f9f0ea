package store_test

import (
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestContentUsesAndRatings: uses come back newest first with who used the
// item, a second rating by the same person replaces the first, the stats
// count both, and the audit names the content item (what the content index
// reloads).
func TestContentUsesAndRatings(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		u := testutil.CreateUser(t, db, "sam@example.com", vouch.RoleSeller)
		it := &vouch.ContentItem{TypeID: valueID(t, db, vouch.TaxContentType, "Case study"), Title: "Northwind"}
		if err := db.CreateContent(ctx, it); err != nil {
			t.Fatal(err)
		}
		db.Clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		for i, kind := range []string{vouch.UseCopyLink, vouch.UseDownload} {
			db.Clock.Set(time.Date(2026, 3, 1+i, 9, 0, 0, 0, time.UTC))
			if err := db.RecordContentUse(ctx, &vouch.ContentUse{ContentID: it.ID, Kind: kind, UserID: u.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RecordContentUse(ctx, &vouch.ContentUse{ContentID: it.ID, Kind: vouch.UseCopyLink, OpportunityID: 424242}); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("a use for an unknown opportunity: %v, want EINVALID", err)
		}
		uses, err := db.ContentUses(ctx, it.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(uses) != 2 || uses[0].Kind != vouch.UseDownload || uses[0].UserName != "Sam" {
			t.Fatalf("uses: %+v", uses)
		}
		for _, r := range []vouch.ContentRating{{Rating: 2, Comment: "meh"}, {Rating: 5, Comment: "won it"}} {
			r.ContentID, r.UserID = it.ID, u.ID
			if err := db.RateContent(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		ratings, err := db.ContentRatings(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ratings) != 1 || ratings[0].Rating != 5 || ratings[0].Comment != "won it" || ratings[0].UserName != "Sam" {
			t.Fatalf("ratings: %+v", ratings)
		}
		stats, err := db.ContentStats(ctx, []int64{it.ID})
		if err != nil {
			t.Fatal(err)
		}
		if s := stats[it.ID]; s.Uses != 2 || s.Ratings != 1 || s.AverageRating != 5 {
			t.Errorf("stats: %+v", s)
		}
		for _, kind := range []vouch.EntityKind{vouch.EntityContentUse, vouch.EntityContentRating} {
			entries, n, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: string(kind), EntityID: it.ID})
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 || len(entries) != 2 {
				t.Errorf("%s audit entries for the item: %d", kind, n)
			}
		}
	})
}
