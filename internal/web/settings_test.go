package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestProgramSettings(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		db := s.DB
		testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, db, "sam@example.com", vouch.RoleSeller)
		pm := testutil.Login(t, s, "pm@example.com")
		seller := testutil.Login(t, s, "sam@example.com")
		acct := &vouch.Account{Name: "Northwind"}
		if err := db.CreateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
		ref := &vouch.Reference{AccountID: acct.ID, Name: "Maya Okafor", Status: vouch.StatusActive}
		if err := db.CreateReference(ctx, ref); err != nil {
			t.Fatal(err)
		}

		if resp, _ := seller.Get("/admin/settings"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller opened the settings: %d", resp.StatusCode)
		}
		resp, body := pm.Get("/admin/settings")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `value="3"`) || !strings.Contains(body, `value="14"`) {
			t.Fatalf("settings page %d shows no defaults: %s", resp.StatusCode, body)
		}
		// The ask ledger's fatigue rules are on by default (decision 0010).
		for field, v := range map[string]int{"ledger_account_cap": 6, "ledger_cooldown_days": 14, "ledger_reference_cap": 0} {
			if !regexp.MustCompile(`id="` + field + `"[^>]*value="` + strconv.Itoa(v) + `"`).MatchString(body) {
				t.Errorf("the settings page does not show %s %d", field, v)
			}
		}

		// A reminder later than the expiry is refused, and nothing is saved.
		resp, body = pm.PostForm("/admin/settings", url.Values{"capacity_default": {"5"}, "reminder_days": {"20"},
			"max_reminders": {"2"}, "ask_expiry_days": {"14"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "fewer than the days before an ask expires") ||
			!strings.Contains(body, `value="20"`) {
			t.Errorf("a reminder after expiry: %d %s", resp.StatusCode, body)
		}
		if ps, _ := db.ProgramSettings(ctx); !reflect.DeepEqual(ps, vouch.DefaultProgramSettings()) {
			t.Errorf("a refused form saved %+v", ps)
		}

		resp, body = pm.PostForm("/admin/settings", url.Values{"capacity_default": {"5"}, "reminder_days": {"4"},
			"max_reminders": {"1"}, "ask_expiry_days": {"21"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Settings saved.") {
			t.Fatalf("saving settings: %d %s", resp.StatusCode, body)
		}
		// A form without the content settings (one from before the content
		// library) leaves them as they are.
		want := vouch.ProgramSettings{CapacityDefault: 5, ReminderDays: 4, MaxReminders: 1, AskExpiryDays: 21, TimeZone: "UTC",
			SellerContact: vouch.ContactOnceAccepted, ConsentMonths: vouch.DefaultConsentMonths, MaxUploadMB: vouch.DefaultMaxUploadMB,
			FiscalYearStart: 1, WonStages: vouch.DefaultWonStages, LostStages: vouch.DefaultLostStages,
			CoverageSharePct: vouch.DefaultCoverageSharePct, CoverageRefsPerOpp: vouch.DefaultCoverageRefsPerOpp,
			LedgerPeriodDays: vouch.DefaultLedgerPeriodDays, LedgerAccountCap: vouch.DefaultLedgerAccountCap,
			LedgerCooldownDays: vouch.DefaultLedgerCooldownDays}
		if ps, _ := db.ProgramSettings(ctx); !reflect.DeepEqual(ps, want) {
			t.Errorf("saved %+v, want %+v", ps, want)
		}
		// The new capacity reaches the reference pages at once: a reference
		// with no override of its own now has five slots.
		_, body = pm.Get(fmt.Sprintf("/references/%d", ref.ID))
		mustContain(t, "profile after the capacity change", body, "0 of 5 used")
		if entries, _, _ := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "setting:" + store.SettingCapacityDefault}); len(entries) != 1 {
			t.Errorf("audit of the capacity change: %d entries", len(entries))
		}
	})
}

func TestProgramTimeZoneSetting(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pm@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pm@example.com")
		_, body := pm.Get("/admin/settings")
		mustContain(t, "settings page", body, `name="time_zone"`, `value="UTC"`, `<option value="Europe/Berlin">`)

		form := url.Values{"capacity_default": {"2"}, "reminder_days": {"3"}, "max_reminders": {"2"}, "ask_expiry_days": {"14"},
			"time_zone": {"Mars/Olympus"}}
		resp, body := pm.PostForm("/admin/settings", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Time zone must be a time zone like Europe/Berlin") ||
			!strings.Contains(body, `value="Mars/Olympus"`) {
			t.Errorf("an unknown time zone: %d %s", resp.StatusCode, body)
		}
		if ps, _ := s.DB.ProgramSettings(ctx); !reflect.DeepEqual(ps, vouch.DefaultProgramSettings()) {
			t.Errorf("a refused form saved %+v", ps)
		}

		form.Set("time_zone", " Europe/Berlin ")
		if resp, body := pm.PostForm("/admin/settings", form); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Settings saved.") {
			t.Fatalf("saving the time zone: %d %s", resp.StatusCode, body)
		}
		if ps, _ := s.DB.ProgramSettings(ctx); ps.TimeZone != "Europe/Berlin" || s.DB.Clock.Zone().String() != "Europe/Berlin" {
			t.Errorf("saved %q, clock in %v; want Europe/Berlin", ps.TimeZone, s.DB.Clock.Zone())
		}
		_, body = pm.Get("/admin/settings")
		mustContain(t, "settings page after the change", body, `value="Europe/Berlin"`)

		// A form without the field (from before it existed) keeps the zone.
		form.Del("time_zone")
		form.Set("capacity_default", "4")
		if resp, _ := pm.PostForm("/admin/settings", form); resp.StatusCode != http.StatusOK {
			t.Fatalf("saving without a time zone: %d", resp.StatusCode)
		}
		if ps, _ := s.DB.ProgramSettings(ctx); ps.TimeZone != "Europe/Berlin" || ps.CapacityDefault != 4 {
			t.Errorf("after a form without the zone: %+v", ps)
		}
	})
}

func TestContentSettingsSavedAndChecked(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		db := s.DB
		testutil.CreateUser(t, db, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		form := url.Values{"capacity_default": {"3"}, "reminder_days": {"3"}, "max_reminders": {"2"}, "ask_expiry_days": {"14"},
			"content_consent_months": {"0"}, "content_max_upload_mb": {"20"}}
		resp, body := pm.PostForm("/admin/settings", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "must be between 1 and 120 months") {
			t.Fatalf("a consent period of 0 months: %d %s", resp.StatusCode, body)
		}
		form.Set("content_consent_months", "36")
		if resp, body = pm.PostForm("/admin/settings", form); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Settings saved.") {
			t.Fatalf("saving content settings: %d %s", resp.StatusCode, body)
		}
		if ps, _ := db.ProgramSettings(context.Background()); ps.ConsentMonths != 36 || ps.MaxUploadMB != 20 || ps.MaxUploadBytes() != 20<<20 {
			t.Errorf("saved consent %d months, upload %d MB", ps.ConsentMonths, ps.MaxUploadMB)
		}
	})
}
