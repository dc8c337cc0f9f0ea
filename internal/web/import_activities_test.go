package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestActivityImportWizard walks a reference history through the import
// wizard: upload, mapping, the dry run's report naming the unknown deal,
// the refused import, the valid rows in the background, and the history on
// the reference's page.
func TestActivityImportWizard(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		maya := p.refs["Maya Okafor"]
		maya.Email = "maya@acme.example"
		if err := s.DB.UpdateReference(ctx, maya); err != nil {
			t.Fatal(err)
		}
		opp := &vouch.Opportunity{Name: "Globex expansion", Stage: "Negotiation", AmountCents: 10_000_00, CRMID: "OPP-5"}
		if err := s.DB.CreateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		seller := testutil.Login(t, s, "sam@example.com")
		if resp, _ := seller.Get("/activities/import"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller opens the history import: %d", resp.StatusCode)
		}

		pm := testutil.Login(t, s, p.pmEmail)
		_, body := pm.Get("/references")
		mustContain(t, "references list", body, `href="/activities/import">Import history</a>`)
		resp, body := pm.Get("/activities/import")
		expect(t, "history import page", resp, http.StatusOK, "/activities/import")
		mustContain(t, "history import page", body, "Import reference history (activities)", `action="/activities/import"`,
			`href="/activities/import/template.csv"`, "Stage at Activity", "importing the same file twice adds nothing")
		if strings.Contains(body, "Add unknown picklist values") {
			t.Error("the history import offers to add picklist values")
		}
		resp, tmpl := pm.Get("/activities/import/template.csv")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimPrefix(tmpl, "\uFEFF"), "Reference,Activity Type,Date,Opportunity,Stage at Activity,Notes,Points,Thank-you") {
			t.Errorf("template: %d %q", resp.StatusCode, tmpl)
		}

		file := "Email,Type,Date,Deal,Comments\n" +
			"maya@acme.example,Call,2026-03-14,OPP-5,CIO to CIO\n" +
			"maya@acme.example,Call,2026-04-02,Initech renewal,\n"
		resp, body = uploadTo(t, pm, "/activities/import", "history.csv", []byte(file), nil)
		id := importID(t, resp, "mapping")
		mustContain(t, "mapping step", body, "2 rows below the headers in row 1", `<option value="reference" selected>`,
			`<option value="activity_type" selected>`, `<option value="occurred_on" selected>`, `<option value="opportunity" selected>`,
			`<option value="notes" selected>`, `action="/activities/import/`+id+`/check"`)
		resp, body = pm.PostForm("/activities/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "report", body, `<span class="count-n">1</span> new activity`, `<code class="cell-value">Initech renewal</code>`,
			"no opportunity in Vouch has this CRM id or name")
		if strings.Contains(body, "new accounts") {
			t.Error("the history report counts accounts")
		}

		resp, _ = pm.PostForm("/activities/import/"+id+"/apply", url.Values{})
		importID(t, resp, "status")
		body = waitForImportAt(t, pm, "/activities/import", id)
		mustContain(t, "refused import", body, "Nothing was written")
		if acts, _ := s.DB.Activities(ctx, maya.ID); len(acts) != 0 {
			t.Fatalf("a refused import logged %d activities", len(acts))
		}
		resp, _ = pm.PostForm("/activities/import/"+id+"/apply", url.Values{"valid_only": {"1"}})
		importID(t, resp, "status")
		body = waitForImportAt(t, pm, "/activities/import", id)
		mustContain(t, "valid rows imported", body, "Done: 1 new activity")
		acts, err := s.DB.Activities(ctx, maya.ID)
		if err != nil || len(acts) != 1 || acts[0].OpportunityID != opp.ID || acts[0].OppStage != "Negotiation" {
			t.Fatalf("Maya's history: %+v (%v)", acts, err)
		}
		_, body = pm.Get("/references/" + idOf(maya.ID))
		mustContain(t, "the reference page", body, "CIO to CIO", "for Globex expansion", "stage then: Negotiation")
	})
}
