package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestLogActivityForAnOpportunity: the reference page's log form offers the
// deals, logging one against a deal keeps the deal's stage then, the
// history names the deal, and an unknown CRM id is a field error that logs
// nothing.
func TestLogActivityForAnOpportunity(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		maya := p.refs["Maya Okafor"]
		opp := &vouch.Opportunity{Name: "Globex expansion", Prospect: "Globex", Stage: "Proposal", AmountCents: 90_000_00, CRMID: "OPP-77"}
		if err := s.DB.CreateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		pm := testutil.Login(t, s, p.pmEmail)
		path := fmt.Sprintf("/references/%d", maya.ID)
		_, body := pm.Get(path)
		mustContain(t, "the form", body, `<label for="opportunity_id">Opportunity</label>`,
			fmt.Sprintf(`<option value="%d">Globex expansion — Globex (Proposal)</option>`, opp.ID), `name="opportunity_crm_id"`)

		resp, body := pm.PostForm(path+"/activities", url.Values{"activity_type": {idOf(p.call)},
			"occurred_on": {s.DB.Today().String()}, "opportunity_crm_id": {"OPP-404"}})
		expect(t, "unknown CRM id", resp, http.StatusBadRequest, "")
		mustContain(t, "unknown CRM id", body, `id="opportunity-error">Opportunity is unknown: no opportunity has the CRM id OPP-404.</p>`, "Nothing was logged.")

		resp, body = pm.PostForm(path+"/activities", url.Values{"activity_type": {idOf(p.call)},
			"occurred_on": {s.DB.Today().String()}, "opportunity_id": {idOf(opp.ID)}})
		expect(t, "logged", resp, http.StatusOK, path)
		mustContain(t, "logged", body, "Call logged for", "for Globex expansion", "stage then: Proposal")

		acts, err := s.DB.Activities(ctx, maya.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 1 || acts[0].OpportunityID != opp.ID || acts[0].OppStage != "Proposal" || acts[0].OppAmountCents != 90_000_00 {
			t.Errorf("activities: %+v", acts)
		}
		// By CRM id, too.
		resp, _ = pm.PostForm(path+"/activities", url.Values{"activity_type": {idOf(p.call)},
			"occurred_on": {s.DB.Today().AddDays(-1).String()}, "opportunity_crm_id": {"OPP-77"}})
		expect(t, "by CRM id", resp, http.StatusOK, path)
		if acts, _ := s.DB.Activities(ctx, maya.ID); len(acts) != 2 || acts[1].OpportunityID != opp.ID {
			t.Errorf("by CRM id: %+v", acts)
		}
	})
}
