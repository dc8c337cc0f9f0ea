package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// "Scorecard published this month" counts a share link made since the
// month began, and not one made the month before.
func TestScorecardSentSince(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
		march := time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)
		db.Clock.Set(march.Add(-time.Hour))
		if err := db.CreateScorecardShare(ctx, &vouch.ScorecardShare{ExpiresAt: march.AddDate(0, 1, 0)}, "hash-february"); err != nil {
			t.Fatal(err)
		}
		if sent, err := db.ScorecardSentSince(ctx, march); err != nil || sent {
			t.Fatalf("a February link counted for March: %v %v", sent, err)
		}
		db.Clock.Set(march.Add(36 * time.Hour))
		if err := db.CreateScorecardShare(ctx, &vouch.ScorecardShare{ExpiresAt: march.AddDate(0, 1, 0)}, "hash-march"); err != nil {
			t.Fatal(err)
		}
		if sent, err := db.ScorecardSentSince(ctx, march); err != nil || !sent {
			t.Fatalf("a March link not counted: %v %v", sent, err)
		}
	})
}
