package api_test

import (
	"fmt"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// TestLogActivityForAnOpportunity: the API logs an activity against a deal
// by id or CRM id and answers with the deal's stage then; an unknown CRM
// id is a field error; the listing keeps the stage after the deal is won.
func TestLogActivityForAnOpportunity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		s := seedReferences(t, f)
		db := f.srv.DB
		opp := &vouch.Opportunity{Name: "Globex expansion", Stage: "Negotiation", AmountCents: 12_500_00, CRMID: "OPP-9"}
		if err := db.CreateOpportunity(seedCtx, opp); err != nil {
			t.Fatal(err)
		}
		path := s.path("Maya", "/activities")
		today := db.Today()
		f.run(t, []scenario{
			{name: "by CRM id", method: "POST", path: path, as: "program_manager",
				body:   fmt.Sprintf(`{"type": "Call", "occurred_on": %q, "opportunity_crm_id": "OPP-9"}`, today),
				status: 201, want: []string{fmt.Sprintf(`"opportunity_id":%d`, opp.ID), `"stage_at_request":"Negotiation"`, `"amount_at_request_cents":1250000`}},
			{name: "by id", method: "POST", path: path, as: "program_manager",
				body:   fmt.Sprintf(`{"type": "Call", "occurred_on": %q, "opportunity_id": %d}`, today.AddDays(-1), opp.ID),
				status: 201, want: []string{`"stage_at_request":"Negotiation"`}},
			{name: "unknown CRM id", method: "POST", path: path, as: "program_manager",
				body:   fmt.Sprintf(`{"type": "Call", "occurred_on": %q, "opportunity_crm_id": "OPP-404"}`, today),
				status: 400, fields: []string{"opportunity_id"}, want: []string{"no opportunity has the CRM id OPP-404"}},
		})
		opp.Stage, opp.Status = "Closed Won", vouch.OpportunityWon
		if err := db.UpdateOpportunity(seedCtx, opp); err != nil {
			t.Fatal(err)
		}
		f.run(t, []scenario{
			{name: "the stage then stays", method: "GET", path: path, as: "team_member", status: 200,
				want: []string{`"stage_at_request":"Negotiation"`}},
		})
	})
}
