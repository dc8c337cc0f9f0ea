package web_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestMeasurementSettingsChangeHowTheScorecardCounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		db := s.DB
		testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, db, "sam@example.com", vouch.RoleSeller)
		pm, seller := testutil.Login(t, s, "pm@example.com"), testutil.Login(t, s, "sam@example.com")
		f := testutil.AddScorecardDeals(t, db)
		// A deal the CRM calls "Signed": open until the program says that stage is won.
		signed := &vouch.Opportunity{Name: "Signed deal", Prospect: "Umbrella Health", AmountCents: 4000000, Currency: "USD",
			Stage: "Signed", Status: vouch.OpportunityOpen, CloseDate: vouch.NewDate(2026, 8, 14), IndustryID: f.Healthcare,
			CreatedOn: vouch.NewDate(2026, 3, 1)}
		if err := db.CreateOpportunity(ctx, signed); err != nil {
			t.Fatal(err)
		}

		if resp, _ := seller.Get("/admin/settings/measurement"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller opened the measurement settings: %d", resp.StatusCode)
		}
		if resp, _ := seller.PostForm("/admin/settings/measurement", url.Values{"won_stages": {"Signed"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller saved the measurement settings: %d", resp.StatusCode)
		}
		_, body := pm.Get("/admin/settings")
		mustContain(t, "settings page", body, `href="/admin/settings/measurement"`)
		resp, body := pm.Get("/admin/settings/measurement")
		expect(t, "measurement page", resp, http.StatusOK, "/admin/settings/measurement")
		mustContain(t, "defaults", body, `<option value="1" selected>January</option>`, ">Closed Won</textarea>", ">Closed Lost</textarea>")
		_, body = pm.Get("/scorecard?period=2026-Q3&industry=Healthcare")
		mustContain(t, "before", body, "50% (6 won, 6 lost)")

		form := func(won, lost, currency, rates string) url.Values {
			return url.Values{"fiscal_year_start_month": {"2"}, "won_stages": {won}, "lost_stages": {lost},
				"report_currency": {currency}, "currency_rates": {rates}}
		}
		// Forged, bad or contradicting: refused with each field's problem, nothing saved.
		if resp := postWithoutCSRF(t, pm, "/admin/settings/measurement", form("Closed Won\nSigned", "Closed Lost", "", "")); resp.StatusCode != http.StatusForbidden {
			t.Errorf("without CSRF: %d", resp.StatusCode)
		}
		resp, body = pm.PostForm("/admin/settings/measurement", form("Closed Won\nSigned", "Closed Lost\nsigned", "UDS", "EUR 1.08\nGBP one"))
		expect(t, "refused", resp, http.StatusBadRequest, "/admin/settings/measurement")
		mustContain(t, "refused", body, "Nothing was saved: correct the fields below.",
			`id="currency_rates-error">Exchange rates: line 2: the rate of GBP must be a positive number, like 1.08</p>`,
			"Closed Lost\nsigned</textarea>")
		resp, body = pm.PostForm("/admin/settings/measurement", form("Closed Won\nSigned", "Closed Lost\nsigned", "UDS", "EUR 1.08"))
		expect(t, "refused", resp, http.StatusBadRequest, "/admin/settings/measurement")
		mustContain(t, "refused", body, `id="lost_stages-error">Lost stages must not name a won stage (Signed).</p>`,
			`id="report_currency-error">Report currency must be an ISO 4217 code such as USD or EUR.</p>`)
		resp, body = pm.PostForm("/admin/settings/measurement", form("", "Closed Lost", "", ""))
		expect(t, "no won stage", resp, http.StatusBadRequest, "/admin/settings/measurement")
		mustContain(t, "no won stage", body, `id="won_stages-error">Won stages must name at least one stage, like Closed Won.</p>`)
		if ps, _ := db.ProgramSettings(ctx); !reflect.DeepEqual(ps.WonStages, vouch.DefaultWonStages) || ps.FiscalYearStart != 1 {
			t.Fatalf("a refused form saved %+v", ps)
		}

		resp, body = pm.PostForm("/admin/settings/measurement", form(" Closed Won \n\nSigned\n", "Closed Lost", "usd", "EUR 1,08\n"))
		expect(t, "saved", resp, http.StatusOK, "/admin/settings/measurement")
		mustContain(t, "saved", body, "Measurement settings saved.", `<option value="2" selected>February</option>`,
			">Closed Won\nSigned</textarea>", `value="USD"`, ">EUR 1.08</textarea>")
		ps, err := db.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ps.FiscalYearStart != 2 || strings.Join(ps.WonStages, "|") != "Closed Won|Signed" || ps.ReportCurrency != "USD" ||
			ps.CurrencyRates["EUR"] != 1.08 || ps.CapacityDefault != vouch.DefaultCapacity {
			t.Errorf("saved %+v", ps)
		}
		// Each change is in the audit log, by whom.
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: string(vouch.SettingKind("won_stages"))})
		if err != nil || len(entries) != 1 || entries[0].Changes[0].After != "Closed Won\nSigned" || !strings.Contains(entries[0].Actor, "pm@example.com") {
			t.Errorf("audit of the won stages: %+v %v", entries, err)
		}

		// The scorecard counts the Signed deal as won now, and the deal is
		// won wherever it is shown, its change audited.
		_, body = pm.Get("/scorecard?period=2026-Q3&industry=Healthcare")
		mustContain(t, "after", body, "(7 won, 6 lost)")
		stored, err := db.Opportunity(ctx, signed.ID)
		if err != nil || stored.Status != vouch.OpportunityWon {
			t.Fatalf("the Signed deal is %v after the stage became a won one (%v)", stored.Status, err)
		}
		entries, _, err = db.ListAudit(ctx, vouch.AuditFilter{EntityType: "opportunity", EntityID: signed.ID})
		if err != nil || len(entries) == 0 || entries[0].Changes[0].Field != "status" || entries[0].Changes[0].After != "won" {
			t.Errorf("audit of the deal's new status: %+v %v", entries, err)
		}
	})
}
