package store_test

import (
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A user's time zone is stored, read back by every way a user is loaded
// (by id, by email, with a session), refused when unknown, and audited.
func TestUserTimeZone(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		u := &vouch.User{Email: "tess@example.com", Name: "Tess", Role: vouch.RoleTeamMember, TimeZone: "Europe/Berlin"}
		if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		plain := mustUser(t, db, "sam@example.com", vouch.RoleSeller)
		if got, _ := db.User(ctx, plain.ID); got.TimeZone != "" {
			t.Errorf("a user made without a zone has %q, want empty: the program's", got.TimeZone)
		}
		token, _, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		bySession, _, err := db.SessionUser(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		byEmail, err := db.UserByEmail(ctx, "tess@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if bySession.TimeZone != "Europe/Berlin" || byEmail.TimeZone != "Europe/Berlin" {
			t.Errorf("zone read back %q (session), %q (email); want Europe/Berlin", bySession.TimeZone, byEmail.TimeZone)
		}

		bad := "Europe/Atlantis"
		if _, err := db.UpdateUser(ctx, u.ID, vouch.UserUpdate{TimeZone: &bad}); vouch.ErrorFields(err)["time_zone"] == "" {
			t.Errorf("an unknown zone: %v, want it refused on time_zone", err)
		}
		if err := db.CreateUser(ctx, &vouch.User{Email: "kai@example.com", Name: "Kai", Role: vouch.RoleSeller, TimeZone: "Local"},
			"correct horse battery"); vouch.ErrorFields(err)["time_zone"] == "" {
			t.Errorf("the server's own zone: %v, want it refused on time_zone", err)
		}
		tokyo := "Asia/Tokyo"
		got, err := db.UpdateUser(ctx, u.ID, vouch.UserUpdate{TimeZone: &tokyo})
		if err != nil || got.TimeZone != "Asia/Tokyo" {
			t.Fatalf("update: %+v, %v", got, err)
		}
		if again, _ := db.User(ctx, u.ID); again.TimeZone != "Asia/Tokyo" {
			t.Errorf("stored zone %q, want Asia/Tokyo", again.TimeZone)
		}
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "user", EntityID: u.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var changes []vouch.Change
		for _, e := range entries {
			for _, c := range e.Changes {
				if c.Field == "time_zone" {
					changes = append(changes, c)
				}
			}
		}
		if len(changes) != 2 || changes[0].After != "Asia/Tokyo" || changes[0].Before != "Europe/Berlin" || changes[1].After != "Europe/Berlin" {
			t.Errorf("audited zone changes %+v, want the creation's and the change Europe/Berlin → Asia/Tokyo, newest first", changes)
		}
	})
}
