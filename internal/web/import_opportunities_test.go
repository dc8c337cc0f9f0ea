package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestOpportunityImportWizard walks a Salesforce export through the deals
// import wizard on the real handler: upload, the mapping step, the dry run
// refused over ambiguous dates, the date order chosen, the import in the
// background, and the same export again changing nothing.
func TestOpportunityImportWizard(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		seller := testutil.Login(t, s, "sam@example.com")
		if resp, _ := seller.Get("/opportunities/import"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller opens the deals import: %d", resp.StatusCode)
		}
		_, body := seller.Get("/references")
		if strings.Contains(body, "/opportunities/import") {
			t.Error("a seller is shown a link to the deals import")
		}

		pm := testutil.Login(t, s, p.pmEmail)
		_, body = pm.Get("/references")
		mustContain(t, "references list", body, `href="/opportunities/import">Import deals</a>`)
		resp, body := pm.Get("/opportunities/import")
		expect(t, "deals import page", resp, http.StatusOK, "/opportunities/import")
		mustContain(t, "deals import page", body, "Import deals from your CRM", `action="/opportunities/import"`, "Grand Totals", "Opportunity ID")

		file := "\ufeff\"Opportunity ID\",\"Opportunity Name\",\"Amount\",\"Stage\",\"Close Date\",\"Next Step\"\n" +
			"\"006A1\",\"Acme expansion\",\"USD 12,500.00\",\"Closed Won\",\"11/05/2026\",\"Call the\nCFO\"\n" +
			"\"006A2\",\"Globex\",\"1.234,56 €\",\"Proposal\",\"03/04/2026\",\"\"\n\"\"\n\"Grand Totals (2 records)\"\n" +
			"\"Confidential Information - Do Not Distribute\"\n"
		resp, body = uploadTo(t, pm, "/opportunities/import", "report.csv", []byte(file), nil)
		id := importID(t, resp, "mapping")
		mustContain(t, "mapping step", body, "2 rows below the headers in row 1", `<option value="crm_id" selected>`,
			`<option value="amount" selected>`, `<option value="close_date" selected>`, `name="date_order"`)
		form := selectedColumns(t, body)
		resp, body = pm.PostForm("/opportunities/import/"+id+"/check", form)
		importID(t, resp, "report")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("ambiguous dates: status %d", resp.StatusCode)
		}
		mustContain(t, "ambiguous dates", body, "could be month/day/year or day/month/year", "“Date order” on the import page")

		form.Set("date_order", "dmy")
		resp, body = pm.PostForm("/opportunities/import/"+id+"/check", form)
		importID(t, resp, "report")
		mustContain(t, "report", body, `<span class="count-n">2</span> new opportunities`, "Skipped the report's footer below the records (2 lines")
		if strings.Contains(body, "new accounts") {
			t.Error("the deals report counts accounts")
		}
		resp, _ = pm.PostForm("/opportunities/import/"+id+"/apply", url.Values{})
		importID(t, resp, "status")
		body = waitForImportAt(t, pm, "/opportunities/import", id)
		mustContain(t, "imported", body, "Done: 2 new opportunities")
		o, err := s.DB.OpportunityByCRMID(ctx, "006A1")
		if err != nil || o.CloseDate.String() != "2026-05-11" || o.Status != vouch.OpportunityWon || o.AmountCents != 12_500_00 {
			t.Fatalf("006A1: %+v %v", o, err)
		}
		if g, _ := s.DB.OpportunityByCRMID(ctx, "006A2"); g == nil || g.AmountCents != 1234_56 || g.Currency != "EUR" {
			t.Errorf("006A2: %+v", g)
		}

		// The same export again: nothing to import.
		resp, body = uploadTo(t, pm, "/opportunities/import", "report.csv", []byte(file), nil)
		id = importID(t, resp, "mapping")
		form = selectedColumns(t, body)
		form.Set("date_order", "dmy")
		_, body = pm.PostForm("/opportunities/import/"+id+"/check", form)
		mustContain(t, "re-import", body, `<span class="count-n">2</span> unchanged`, "Vouch already has every row of the file exactly as it is")
	})
}

// TestCRMAccountImportWizard imports a CRM account report through the
// accounts import wizard: the account a row's website matches is updated,
// a new one created.
func TestCRMAccountImportWizard(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		acme := &vouch.Account{Name: "Acme Health", Domain: "acmehealth.example"}
		if err := s.DB.CreateAccount(ctx, acme); err != nil {
			t.Fatal(err)
		}
		pm := testutil.Login(t, s, p.pmEmail)
		_, body := pm.Get("/references")
		mustContain(t, "references list", body, `href="/accounts/import">Import accounts</a>`)
		resp, body := pm.Get("/accounts/import")
		expect(t, "accounts import page", resp, http.StatusOK, "/accounts/import")
		mustContain(t, "accounts import page", body, "Import accounts from your CRM", "then its website, then its name")

		file := "Account ID,Account Name,Website,Health,NPS\n001A,Acme Health Inc,https://acmehealth.example,green,50\n001B,Brand New Co,brandnew.example,,\n"
		resp, body = uploadTo(t, pm, "/accounts/import", "accounts.csv", []byte(file), nil)
		id := importID(t, resp, "mapping")
		resp, body = pm.PostForm("/accounts/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "report", body, `<span class="count-n">1</span> new account`, `<span class="count-n">1</span> updated`)
		resp, _ = pm.PostForm("/accounts/import/"+id+"/apply", url.Values{})
		importID(t, resp, "status")
		body = waitForImportAt(t, pm, "/accounts/import", id)
		mustContain(t, "imported", body, "Done: 1 new account, 1 updated")
		a, err := s.DB.Account(ctx, acme.ID)
		if err != nil || a.CRMID != "001A" || a.Health != "good" || a.NPS == nil || *a.NPS != 50 || a.Name != "Acme Health Inc" {
			t.Fatalf("Acme after the import: %+v %v", a, err)
		}
	})
}
