package content_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestConsentExpiry runs the daily consent work day by day with the clock
// set: the owner is told once, 30 days before consent ends (not before, not
// again the next day), the item expires on the day with an entry in its
// history, and a renewal brings a fresh reminder before its new end.
func TestConsentExpiry(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		db.Clock.Set(time.Date(2027, 1, 4, 12, 0, 0, 0, time.UTC))
		s, _ := newServices(t, db)
		owner := testutil.CreateUser(t, db, "tess@example.com", vouch.RoleTeamMember)
		asOwner := vouch.WithActor(ctx, vouch.UserActor(owner))
		newApproved := func(title string, expires vouch.Date) *vouch.ContentItem {
			t.Helper()
			it, err := s.Create(asOwner, vouch.ContentInput{Type: str("Case study"), Title: str(title)})
			if err != nil {
				t.Fatal(err)
			}
			it, err = s.ChangeState(asOwner, it.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
				Method: vouch.ApprovalByMail, ApprovedBy: "Dana Park", ExpiresOn: expires})
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		today := db.Today()
		soon := newApproved("Nimbus Air cuts reporting time", today.AddDays(40))
		later := newApproved("Globex in the cloud", today.AddDays(400))
		nobody := newApproved("An anonymous quote", today.AddDays(40))
		if _, err := s.Update(ctx, nobody.ID, vouch.ContentInput{Version: &nobody.Version, OwnerID: new(int64)}); err != nil {
			t.Fatal(err)
		}

		day := func(n int, wantExpired, wantReminded int) {
			t.Helper()
			db.Clock.Advance(time.Duration(n) * 24 * time.Hour)
			run, err := s.RunExpiry(ctx, "https://vouch.example")
			if err != nil {
				t.Fatal(err)
			}
			if run.Expired != wantExpired || run.Reminded != wantReminded {
				t.Fatalf("%s: %+v, want %d expired and %d reminded", db.Today(), run, wantExpired, wantReminded)
			}
		}
		mails := func() []vouch.OutboxMail {
			t.Helper()
			m, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return m
		}

		day(9, 0, 0) // 31 days left: not yet
		day(1, 0, 1) // 30 days left: the owner is told
		m := mails()
		if len(m) != 1 || m[0].To != "tess@example.com" || !strings.Contains(m[0].Subject, "Nimbus Air cuts reporting time") ||
			!strings.Contains(m[0].Body, "https://vouch.example/content/expiring") || !strings.Contains(m[0].Body, "13 Feb 2027") {
			t.Fatalf("reminder mail: %+v", m)
		}
		notes, _, err := db.Notifications(ctx, owner.ID, 10)
		if err != nil || len(notes) != 1 || !strings.Contains(notes[0].Body, "in 30 days") ||
			notes[0].Link != "/content/"+itoa(soon.ID) {
			t.Fatalf("notification: %+v %v", notes, err)
		}
		_, reminded, err := s.Expiring(ctx, db.Today(), 30)
		if err != nil || reminded[soon.ID] != db.Today() || !reminded[nobody.ID].IsZero() {
			t.Fatalf("reminded: %v %v", reminded, err)
		}
		day(1, 0, 0) // the next day: told already
		if len(mails()) != 1 {
			t.Fatalf("reminded twice: %+v", mails())
		}
		day(28, 0, 0) // the day before: still approved
		if it, _ := s.Item(ctx, soon.ID); it.State != vouch.ContentApprovedExternal {
			t.Fatalf("the day before its end: %s", it.State)
		}
		day(1, 2, 0) // the day consent ends: expired, the ownerless one too
		it, err := s.Item(ctx, soon.ID)
		if err != nil || it.State != vouch.ContentExpired || it.ExpiresOn != today.AddDays(40) {
			t.Fatalf("on the day: %+v %v", it, err)
		}
		hist, err := s.History(ctx, soon.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := hist[len(hist)-1]
		if last.From != vouch.ContentApprovedExternal || last.To != vouch.ContentExpired || last.Actor != "system" || last.Note != "Consent ended." {
			t.Fatalf("history: %+v", last)
		}
		if it, _ := s.Item(ctx, later.ID); it.State != vouch.ContentApprovedExternal {
			t.Fatalf("an item with consent left expired: %s", it.State)
		}

		// Renewed consent is reminded afresh before its new end.
		if _, err := s.ChangeState(asOwner, soon.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
			Method: vouch.ApprovalByDocument, ApprovedBy: "Dana Park", ExpiresOn: db.Today().AddDays(20)}); err != nil {
			t.Fatal(err)
		}
		day(1, 0, 1)
		if len(mails()) != 2 {
			t.Fatalf("renewed consent was not reminded: %+v", mails())
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
