package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The opportunities list: a coverage cell's pipeline links to the value's
// open deals; filters by status, value, account and name, 50 a page; each
// row links to the account and the requests the viewer may open; an
// executive, who reads coverage, neither sees the list nor a link to it.
func TestOpportunitiesPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		p := testutil.AddCoverageProgram(t, s.DB, pam.ID)
		retail := testutil.ValueID(t, s.DB, vouch.TaxIndustry, "Retail")
		for i := range 52 {
			o := &vouch.Opportunity{Name: fmt.Sprintf("Retail deal %02d", i), Currency: "USD", AmountCents: 500000, Stage: "Proposal",
				Status: vouch.OpportunityOpen, IndustryID: retail}
			if err := s.DB.CreateOpportunity(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		mine := &vouch.Opportunity{Name: "Mercy Clinics expansion", Currency: "USD", AmountCents: 12000000, Stage: "Proposal",
			Status: vouch.OpportunityOpen, AccountID: p.HealthcareAccount.ID, OwnerID: sam.ID, IndustryID: p.Healthcare}
		if err := s.DB.CreateOpportunity(ctx, mine); err != nil {
			t.Fatal(err)
		}

		pm := testutil.Login(t, s, "pam@example.com")
		_, body := pm.Get("/coverage")
		link := `href="/opportunities?industry=Healthcare&amp;status=open"`
		mustContain(t, "coverage links to the deals behind a pipeline", body, link+`>11 open</a>`)
		resp, body := pm.Get("/opportunities?industry=Healthcare&status=open")
		expect(t, "the cell's deals", resp, http.StatusOK, "/opportunities")
		mustContain(t, "the cell's deals", body, "11 opportunities match", `<option value="Healthcare" selected>`,
			`<option value="open" selected>`, `<a href="/accounts/`+fmt.Sprint(p.HealthcareAccount.ID)+`">Mercy Clinics</a>`)
		// The requests on a deal, linked for the team.
		req := firstRequestOn(t, s, p.OpenHealthcare[0].ID)
		mustContain(t, "requests on a deal", body, fmt.Sprintf(`<a href="/requests/%d">#%d Call</a>`, req, req))
		if strings.Contains(body, "Next 50") {
			t.Error("11 deals on one page")
		}

		_, body = pm.Get("/opportunities?industry=retail")
		mustContain(t, "page 1", body, "52 opportunities match", "Showing 1–50", `href="/opportunities?industry=retail&amp;offset=50"`)
		_, body = pm.Get("/opportunities?industry=retail&offset=50")
		mustContain(t, "page 2", body, "Showing 51–52", `href="/opportunities?industry=retail"`, "Retail deal 00")
		_, body = pm.Get("/opportunities?q=EXPANSION")
		mustContain(t, "search by name", body, "1 opportunity matches “EXPANSION”", "Mercy Clinics expansion")
		_, body = pm.Get("/opportunities?status=won&industry=Financial+Services")
		mustContain(t, "won deals", body, "2 opportunities match")
		_, body = pm.Get(fmt.Sprintf("/opportunities?account=%d", p.HealthcareAccount.ID))
		mustContain(t, "an account's deals", body, "1 opportunity matches", "Account: <strong>Mercy Clinics</strong>")
		_, acct := pm.Get(fmt.Sprintf("/accounts/%d", p.HealthcareAccount.ID))
		mustContain(t, "the account links to its deals", acct, fmt.Sprintf(`href="/opportunities?account=%d"`, p.HealthcareAccount.ID))

		for _, c := range []struct{ url, want string }{
			{"/opportunities?industry=Helthcare", `Industry has no value &#34;Helthcare&#34;; did you mean &#34;Healthcare&#34;?`},
			{"/opportunities?status=pending", "Status must be open, won or lost."},
			{"/opportunities?account=mercy", "Account must be an account&#39;s id, a whole number."},
		} {
			resp, body := pm.Get(c.url)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.want) {
				t.Errorf("%s: %d, want 400 saying %s:\n%s", c.url, resp.StatusCode, c.want, body)
			}
		}

		// A seller sees the deals but only their own requests, and may ask
		// for a reference on their own open deal.
		seller := testutil.Login(t, s, "sam@example.com")
		resp, body = seller.Get("/opportunities?industry=Healthcare")
		expect(t, "a seller", resp, http.StatusOK, "/opportunities")
		mustContain(t, "a seller", body, `href="/opportunities"`, fmt.Sprintf(`href="/requests/new?opportunity_id=%d&amp;prefill=1"`, mine.ID))
		if strings.Contains(body, `href="/requests/`+fmt.Sprint(req)+`"`) {
			t.Errorf("a seller is linked to another's request:\n%s", body)
		}

		vic := testutil.Login(t, s, "vic@example.com")
		if resp, _ := vic.Get("/opportunities"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an executive: /opportunities answered %d", resp.StatusCode)
		}
		_, body = vic.Get("/coverage")
		if strings.Contains(body, `href="/opportunities`) {
			t.Errorf("an executive is linked to the opportunities list:\n%s", body)
		}
	})
}

// firstRequestOn is the id of the first request on deal opp.
func firstRequestOn(t *testing.T, s *testutil.Server, opp int64) int64 {
	t.Helper()
	reqs, _, err := s.DB.ListRequests(context.Background(), vouch.RequestFilter{OpportunityIDs: []int64{opp}})
	if err != nil || len(reqs) == 0 {
		t.Fatalf("no request on deal %d: %v", opp, err)
	}
	return reqs[0].ID
}
