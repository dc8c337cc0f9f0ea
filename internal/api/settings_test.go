package api_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

func TestSettings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		f.run(t, []scenario{
			{name: "defaults", method: "GET", path: "/api/v1/settings", as: "seller", status: 200,
				want: []string{`"capacity_default":3`, `"reminder_days":3`, `"max_reminders":2`, `"ask_expiry_days":14`, `"time_zone":"UTC"`}},
			{name: "a seller may not change them", method: "PATCH", path: "/api/v1/settings", as: "seller",
				body: `{"capacity_default":5}`, status: 403},
			{name: "reminder after expiry", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"reminder_days":20}`, status: 400, fields: []string{"reminder_days"}},
			{name: "out of range", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"capacity_default":-1,"max_reminders":11}`, status: 400,
				fields: []string{"capacity_default", "max_reminders"}},
			{name: "unknown field", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"capacity":5}`, offSpec: true, status: 400},
			{name: "change two", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"capacity_default":5,"ask_expiry_days":21}`, status: 200,
				want: []string{`"capacity_default":5`, `"reminder_days":3`, `"ask_expiry_days":21`}},
			{name: "an unknown time zone", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"time_zone":"Mars/Olympus"}`, status: 400, fields: []string{"time_zone"}},
			{name: "the server's zone is not a program zone", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"time_zone":"Local"}`, status: 400, fields: []string{"time_zone"}},
			{name: "a time zone", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"time_zone":"America/New_York"}`, status: 200,
				want: []string{`"capacity_default":5`, `"time_zone":"America/New_York"`, `"seller_contact":"once_accepted"`}},
			{name: "an unknown contact choice", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"seller_contact":"sometimes"}`, status: 400, fields: []string{"seller_contact"}},
			{name: "a seller may not change who sees contact details", method: "PATCH", path: "/api/v1/settings", as: "seller",
				body: `{"seller_contact":"always"}`, status: 403},
			{name: "sellers always see contact details", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"seller_contact":"always"}`, status: 200, want: []string{`"seller_contact":"always"`, `"time_zone":"America/New_York"`}},
			{name: "sellers never see them", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"seller_contact":"never"}`, status: 200, want: []string{`"seller_contact":"never"`}},
			{name: "fatigue rules outside their bounds are refused by field", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"ledger_account_cap":-1,"ledger_period_days":0}`, status: 400, fields: []string{"ledger_account_cap", "ledger_period_days"}},
			{name: "the ask ledger caps an account at three asks per 90 days", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"ledger_account_cap":3,"ledger_cooldown_days":30}`, status: 200,
				want: []string{`"ledger_account_cap":3`, `"ledger_cooldown_days":30`, `"ledger_period_days":90`, `"ledger_reference_cap":0`}},
		})
		ps, err := f.srv.DB.ProgramSettings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := (vouch.ProgramSettings{CapacityDefault: 5, ReminderDays: 3, MaxReminders: 2, AskExpiryDays: 21,
			TimeZone: "America/New_York", SellerContact: vouch.ContactNever,
			ConsentMonths: vouch.DefaultConsentMonths, MaxUploadMB: vouch.DefaultMaxUploadMB, FiscalYearStart: 1,
			WonStages: vouch.DefaultWonStages, LostStages: vouch.DefaultLostStages,
			CoverageSharePct: vouch.DefaultCoverageSharePct, CoverageRefsPerOpp: vouch.DefaultCoverageRefsPerOpp,
			LedgerPeriodDays: vouch.DefaultLedgerPeriodDays, LedgerAccountCap: 3, LedgerCooldownDays: 30}); !reflect.DeepEqual(ps, want) {
			t.Errorf("stored %+v, want %+v", ps, want)
		}
		if zone := f.srv.DB.Clock.Zone().String(); zone != "America/New_York" {
			t.Errorf("the clock counts days in %s, want America/New_York", zone)
		}
	})
}
