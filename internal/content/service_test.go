package content_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func str(s string) *string { return &s }
func num(n int) *int       { return &n }

func newServices(t *testing.T, db *store.DB) (*content.Service, *references.Service) {
	t.Helper()
	_, cat, _ := testutil.ReadModels(t, db)
	return content.New(db, cat), references.New(db, cat)
}

func TestCreateResolvesNamesAndReportsEveryProblem(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s, refs := newServices(t, db)
		saved, err := refs.CreateReference(ctx, vouch.ReferenceInput{Account: str("Nimbus Air"), CreateAccount: true,
			Name: str("Ana Lima"), Email: str("ana@nimbus.example")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Create(ctx, vouch.ContentInput{Type: str("Case stdy"), Title: str(""), URL: str("javascript:alert(1)"),
			Accounts: &[]string{"Nobody Inc"}, References: &[]string{"ghost@example.com"},
			Tags: map[vouch.TaxonomyKind][]string{vouch.TaxIndustry: {"Helthcare"}}})
		got := vouch.ErrorFields(err)
		for _, f := range []string{"type", "title", "url", "accounts", "references", "industry"} {
			if got[f] == "" {
				t.Errorf("no problem named for %s: %v", f, got)
			}
		}
		if !strings.Contains(got["industry"], "Healthcare") {
			t.Errorf("industry: %q", got["industry"])
		}
		item, err := s.Create(ctx, vouch.ContentInput{Type: str("case study"), Title: str("Nimbus  Air cuts reporting time by 80%"),
			URL: str("https://example.com/nimbus"), Accounts: &[]string{"nimbus air"}, References: &[]string{"ANA@nimbus.example"},
			Tags: map[vouch.TaxonomyKind][]string{vouch.TaxIndustry: {"Healthcare"}, vouch.TaxProduct: {"Analytics", "Security"}}})
		if err != nil {
			t.Fatal(err)
		}
		if item.State != vouch.ContentDraft || item.Title != "Nimbus Air cuts reporting time by 80%" ||
			len(item.AccountIDs) != 1 || item.AccountIDs[0] != saved.Account.ID ||
			len(item.ReferenceIDs) != 1 || item.ReferenceIDs[0] != saved.Reference.ID || len(item.ProductIDs) != 2 {
			t.Fatalf("saved %+v", item)
		}
		featuring, err := db.ContentFeaturing(ctx, vouch.ContentFilter{ReferenceID: saved.Reference.ID})
		if err != nil || len(featuring) != 1 || featuring[0] != item.ID {
			t.Fatalf("content featuring the reference: %v, %v", featuring, err)
		}
		// A save from an old version is refused and changes nothing.
		if _, err := s.Update(ctx, item.ID, vouch.ContentInput{Title: str("New"), Version: num(item.Version)}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Update(ctx, item.ID, vouch.ContentInput{Title: str("Stale"), Version: num(item.Version)})
		if vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Fatalf("stale save: %v", err)
		}
	})
}

func TestApprovalLifecycleAndExpiry(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		db.Clock.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
		s, _ := newServices(t, db)
		item, err := s.Create(ctx, vouch.ContentInput{Type: str("Quote"), Title: str("“It just works”"), Body: str("It just works.")})
		if err != nil {
			t.Fatal(err)
		}
		// An approval needs who and how.
		_, err = s.ChangeState(ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal})
		if f := vouch.ErrorFields(err); f["method"] == "" || f["approved_by"] == "" {
			t.Fatalf("approval without who and how: %v", err)
		}
		// Withdrawn content cannot be approved straight away.
		if _, err := s.ChangeState(ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentAwaitingApproval}); err != nil {
			t.Fatal(err)
		}
		item, err = s.ChangeState(ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
			ApprovedBy: "Dana Park, VP Marketing", Method: "mail", Note: "Approved by mail on 9 March"})
		if err != nil {
			t.Fatal(err)
		}
		if item.ExpiresOn.String() != "2028-03-10" || item.ApprovedOn.String() != "2026-03-10" || item.ApprovedBy != "Dana Park, VP Marketing" {
			t.Fatalf("approved: expires %s, on %s, by %q", item.ExpiresOn, item.ApprovedOn, item.ApprovedBy)
		}
		expiring, _, err := db.ContentExpiring(ctx, db.Today().AddDays(30))
		if err != nil || len(expiring) != 0 {
			t.Fatalf("expiring within 30 days right after approval: %d, %v", len(expiring), err)
		}
		db.Clock.Set(time.Date(2028, 2, 20, 9, 0, 0, 0, time.UTC))
		expiring, _, err = db.ContentExpiring(ctx, db.Today().AddDays(30))
		if err != nil || len(expiring) != 1 {
			t.Fatalf("expiring within 30 days, 19 days before: %d, %v", len(expiring), err)
		}
		db.Clock.Set(time.Date(2028, 3, 10, 0, 30, 0, 0, time.UTC))
		if got, _ := s.Item(ctx, item.ID); got.EffectiveState(db.Today()) != vouch.ContentExpired {
			t.Fatalf("on the expiry day the item is %s", got.EffectiveState(db.Today()))
		}
		n, err := db.ExpireContent(ctx)
		if err != nil || n != 1 {
			t.Fatalf("expired %d, %v", n, err)
		}
		got, _ := s.Item(ctx, item.ID)
		if got.State != vouch.ContentExpired || got.ExpiresOn.String() != "2028-03-10" {
			t.Fatalf("after the expiry job: %s until %s", got.State, got.ExpiresOn)
		}
		hist, err := s.History(ctx, item.ID)
		if err != nil || len(hist) != 4 || hist[2].ApprovedBy != "Dana Park, VP Marketing" || hist[3].To != vouch.ContentExpired {
			t.Fatalf("history %+v, %v", hist, err)
		}
		// Withdrawing needs a reason; a withdrawn item only goes back to draft.
		if _, err := s.ChangeState(ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentWithdrawn}); vouch.ErrorFields(err)["note"] == "" {
			t.Fatalf("withdrawn without a reason: %v", err)
		}
		if _, err := s.ChangeState(ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentWithdrawn, Note: "Customer left"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.ChangeState(ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedInternal, Method: "internal"})
		if vouch.ErrorCode(err) != vouch.EINVALID {
			t.Fatalf("withdrawn → approved: %v", err)
		}
	})
}
