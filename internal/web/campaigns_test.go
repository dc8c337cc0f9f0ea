package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Campaigns are the program team's: executives read coverage without the
// button, sellers reach neither. Bad input is a message, never a 500, and
// outreach moves only forward.
func TestCampaignPagesByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		p := testutil.AddCoverageProgram(t, s.DB, pam.ID)
		vic := testutil.Login(t, s, "vic@example.com")
		_, body := vic.Get("/coverage")
		if strings.Contains(body, `action="/campaigns"`) || strings.Contains(body, `href="/campaigns"`) {
			t.Error("an executive is offered campaigns")
		}
		for _, who := range []string{"sam@example.com", "vic@example.com"} {
			if resp, _ := testutil.Login(t, s, who).Get("/campaigns"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: /campaigns answered %d", who, resp.StatusCode)
			}
		}
		pm := testutil.Login(t, s, "pam@example.com")
		resp, body := pm.PostForm("/campaigns", url.Values{"dimension": {"colour"}, "value_id": {"1"}, "activity_type_id": {"x"}})
		expect(t, "a bad gap", resp, http.StatusOK, "/coverage")
		mustContain(t, "refused", body, "The campaign could not start", "dimension must be one of")

		resp, body = pm.PostForm("/campaigns", url.Values{"dimension": {"industry"}, "value_id": {strconv.FormatInt(p.Healthcare, 10)},
			"activity_type_id": {strconv.FormatInt(p.Call, 10)}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Request.URL.Path, "/campaigns/") {
			t.Fatalf("start: %d %s", resp.StatusCode, resp.Request.URL)
		}
		mustContain(t, "started", body, "Campaign started", "Recruit for Healthcare × Call", "St Olave Hospitals")
		campaign := resp.Request.URL.Path
		resp, body = pm.PostForm(campaign+"/contacts", url.Values{"account_id": {strconv.FormatInt(p.CandidateAccount.ID, 10)}, "name": {""}, "email": {"not-mail"}})
		expect(t, "a contact without a name", resp, http.StatusOK, campaign)
		mustContain(t, "refused contact", body, "The contact was not added", "name must be", "email must be")
		resp, body = pm.PostForm(campaign+"/contacts", url.Values{"account_id": {strconv.FormatInt(p.CandidateAccount.ID, 10)}, "name": {"Tomas Reyes"}})
		expect(t, "a contact", resp, http.StatusOK, campaign)
		m := regexp.MustCompile(`action="/campaign-contacts/(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no move form:\n%s", body)
		}
		resp, body = pm.PostForm("/campaign-contacts/"+m[1], url.Values{"version": {"1"}, "state": {"nominated"},
			"campaign": {strings.TrimPrefix(campaign, "/campaigns/")}})
		expect(t, "a jump", resp, http.StatusOK, campaign)
		mustContain(t, "refused jump", body, "Not moved", "cannot move from To contact to Nominated")
		resp, body = pm.PostForm("/campaign-contacts/"+m[1], url.Values{"version": {"1"}, "state": {"declined"}, "note": {"Not this year"},
			"campaign": {strings.TrimPrefix(campaign, "/campaigns/")}})
		expect(t, "declined", resp, http.StatusOK, campaign)
		mustContain(t, "declined", body, "Tomas Reyes: Declined.", "Not this year", "Declined 1")
		resp, body = pm.PostForm("/campaign-contacts/"+m[1], url.Values{"version": {"1"}, "state": {"contacted"},
			"campaign": {strings.TrimPrefix(campaign, "/campaigns/")}})
		expect(t, "stale", resp, http.StatusOK, campaign)
		mustContain(t, "stale", body, "Someone moved this contact meanwhile")
		if resp, _ := pm.Get("/campaigns/999999"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown campaign answered %d", resp.StatusCode)
		}
	})
}
