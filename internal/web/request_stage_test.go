package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestRequestPageShowsStageAtRequest: a request made through the form for
// a deal at Proposal says so on its page, and still does once the deal is won.
func TestRequestPageShowsStageAtRequest(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		opp := &vouch.Opportunity{Name: "Globex expansion", Prospect: "Globex", Stage: "Proposal", AmountCents: 90_000_00, OwnerID: p.sam.ID}
		if err := s.DB.CreateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		sam := testutil.Login(t, s, "sam@example.com")
		sam.Get("/requests/new")
		resp, body := sam.PostForm("/requests/new", url.Values{"opportunity_id": {idOf(opp.ID)}, "activity_type": {idOf(p.call)},
			"due_date": {s.DB.Today().AddDays(10).String()}})
		expect(t, "submit", resp, http.StatusOK, "")
		id := pathID(t, resp)
		mustContain(t, "request page", body, `id="stage-at-request">Stage at request: <strong>Proposal</strong></p>`)

		opp, _ = s.DB.Opportunity(ctx, opp.ID)
		opp.Stage, opp.Status = "Closed Won", vouch.OpportunityWon
		if err := s.DB.UpdateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		_, body = sam.Get(fmt.Sprintf("/requests/%d", id))
		mustContain(t, "after the win", body, `id="stage-at-request">Stage at request: <strong>Proposal</strong> (now Closed Won)</p>`)
	})
}
