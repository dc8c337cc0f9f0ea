package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The program's time zone decides what day it is for every rule the store
// checks, follows a save at once, is audited, and is read again at start.
func TestProgramTimeZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			cfg := testutil.DBConfig(t, e)
			db := openMigrated(t, cfg)
			ps, err := db.ProgramSettings(ctx)
			if err != nil || ps.TimeZone != "UTC" || db.Clock.Zone() != time.UTC {
				t.Fatalf("by default: %q, %v (clock in %v), want UTC", ps.TimeZone, err, db.Clock.Zone())
			}

			// 03:00 UTC on 1 July is still the evening of 30 June in California.
			f := newRQFixture(t, db)
			f.now = time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC)
			if got := db.Today().String(); got != "2026-07-01" {
				t.Fatalf("today in UTC = %s", got)
			}
			june30 := vouch.NewDate(2026, time.June, 30)
			// The rule is the request's (the fulfillment service checks it
			// before the store writes); its today is the store's.
			opp := f.opportunity(t)
			due := func() error {
				r := vouch.Request{RequesterID: f.seller.ID, OpportunityID: opp.ID, ActivityTypeID: f.call,
					ReferencesNeeded: 1, DueDate: june30}
				return r.Validate(db.Today())
			}
			if err := due(); vouch.ErrorFields(err)["due_date"] == "" {
				t.Fatalf("a request due yesterday (UTC): %v, want refused", err)
			}

			for _, bad := range []string{"Mars/Olympus", "Local", "america/los angeles"} {
				ps.TimeZone = bad
				err := db.SetProgramSettings(ctx, ps)
				if vouch.ErrorCode(err) != vouch.EINVALID || vouch.ErrorFields(err)["time_zone"] == "" {
					t.Errorf("time zone %q: %v, want invalid time_zone", bad, err)
				}
			}
			ps.TimeZone = "America/Los_Angeles"
			if err := db.SetProgramSettings(ctx, ps); err != nil {
				t.Fatal(err)
			}
			if db.Clock.Zone().String() != la.String() || db.Today() != june30 {
				t.Fatalf("after saving: clock in %v, today %s; want %v, %s", db.Clock.Zone(), db.Today(), la, june30)
			}
			if err := due(); err != nil {
				t.Errorf("a request due today in the program's zone: %v", err)
			}
			if got, _ := db.ProgramSettings(ctx); got.TimeZone != "America/Los_Angeles" {
				t.Errorf("read back %q", got.TimeZone)
			}
			entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "setting:" + store.SettingTimeZone})
			if err != nil || len(entries) != 1 || len(entries[0].Changes) != 1 ||
				entries[0].Changes[0].Before != "UTC" || entries[0].Changes[0].After != "America/Los_Angeles" {
				t.Errorf("audit of the change: %+v, %v", entries, err)
			}

			// Saving the other settings alone leaves the zone and writes no second entry.
			ps.CapacityDefault++
			if err := db.SetProgramSettings(ctx, ps); err != nil {
				t.Fatal(err)
			}
			if entries, _, _ := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "setting:" + store.SettingTimeZone}); len(entries) != 1 {
				t.Errorf("%d audit entries for the zone, want 1", len(entries))
			}

			// Another start of the program reads the zone back.
			again := openMigrated(t, cfg)
			if again.Clock.Zone().String() != la.String() {
				t.Errorf("after a restart the clock is in %v, want %v", again.Clock.Zone(), la)
			}
		})
	}
}

func openMigrated(t *testing.T, cfg store.Config) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
