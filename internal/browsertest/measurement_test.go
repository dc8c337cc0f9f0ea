package browsertest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A program manager sets how the scorecard counts on Settings →
// Measurement, and an account's ARR and renewal on its form — at 1280 and
// at 375 px.
func TestMeasurementSettingsAndAccountARR(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		acct := &vouch.Account{Name: "Acme Hospitals"}
		if err := s.DB.CreateAccount(asTest(), acct); err != nil {
			t.Fatal(err)
		}

		c.Desktop()
		c.LoginAs(s, "pam@example.com")
		c.Open(s.URL + "/admin/settings")
		c.Submit(`a[href="/admin/settings/measurement"]`)
		c.Select("#fiscal_year_start_month", "February")
		c.Paste("#won_stages", "Closed Won\nSigned")
		c.Paste("#lost_stages", "Closed Lost\nSigned")
		c.Submit("form button.primary")
		c.WaitText("#lost_stages-error", "Lost stages must not name a won stage (Signed).")
		c.Paste("#lost_stages", "Closed Lost")
		c.Fill("#report_currency", "usd")
		c.Paste("#currency_rates", "EUR 1.08")
		c.Submit("form button.primary")
		c.WaitText(".flash", "Measurement settings saved.")
		checkNoHorizontalScroll(t, c, "measurement settings at 1280 px")
		c.Screenshot("measurement-settings-1280")
		c.Phone()
		checkNoHorizontalScroll(t, c, "measurement settings at 375 px")
		c.Screenshot("measurement-settings-375")
		if ps, _ := s.DB.ProgramSettings(asTest()); ps.FiscalYearStart != 2 || strings.Join(ps.WonStages, "|") != "Closed Won|Signed" ||
			ps.ReportCurrency != "USD" || ps.CurrencyRates["EUR"] != 1.08 {
			t.Errorf("saved %+v", ps)
		}

		c.Desktop()
		c.Open(s.URL + "/accounts/" + strconv.FormatInt(acct.ID, 10) + "/edit")
		c.Fill("#arr", "1.200.000 €")
		c.Fill("#renewal_date", "03312027")
		c.Submit("form.record-form button.primary")
		c.WaitText(".flash", "Saved Acme Hospitals.")
		c.WaitText(".facts", "EUR 1,200,000")
		c.Phone()
		checkNoHorizontalScroll(t, c, "account page at 375 px")
		c.Screenshot("account-arr-375")
		if a, _ := s.DB.Account(asTest(), acct.ID); a.ARR() != "EUR 1,200,000" || a.RenewalDate.String() != "2027-03-31" {
			t.Errorf("account ARR %q, renewal %q", a.ARR(), a.RenewalDate)
		}
	})
}
