package web_test

import (
	"fmt"
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

// Outreach from the campaign page: "Send outreach" shows the mail filled in
// for the contact, sends it as edited through the outbox and the contact is
// contacted, the ask in the account's ledger; a flagged account is refused
// with the reason, keeping what was typed. The reply is recorded; the
// nomination made later says which campaign it came from, linked only for
// those who run campaigns.
func TestCampaignOutreachPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		p := testutil.AddCoverageProgram(t, s.DB, pam.ID)
		pm := testutil.Login(t, s, "pam@example.com")
		resp, _ := pm.PostForm("/campaigns", url.Values{"dimension": {"industry"}, "value_id": {strconv.FormatInt(p.Healthcare, 10)},
			"activity_type_id": {strconv.FormatInt(p.Call, 10)}})
		campaign := resp.Request.URL.Path
		campaignID := strings.TrimPrefix(campaign, "/campaigns/")
		resp, body := pm.PostForm(campaign+"/outreach", url.Values{"subject": {"Hello {{first_name}}"}, "body": {"x"}})
		expect(t, "a bad template", resp, http.StatusOK, campaign)
		mustContain(t, "bad template", body, "The outreach mail was not saved", "unknown placeholder {{first_name}}")
		resp, body = pm.PostForm(campaign+"/outreach", url.Values{"subject": {"A word, {{name}}?"},
			"body": {"Dear {{name}},\n\nWould {{account}} speak for us?\n\n{{sender}}"}})
		expect(t, "template", resp, http.StatusOK, campaign)
		mustContain(t, "template", body, "Outreach mail saved", "A word, {{name}}?")
		_, body = pm.PostForm(campaign+"/contacts", url.Values{"account_id": {strconv.FormatInt(p.CandidateAccount.ID, 10)},
			"name": {"Tomas Reyes"}, "email": {"tomas@stolave.example"}})
		m := regexp.MustCompile(`href="(/campaign-contacts/(\d+)/outreach)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no Send outreach link:\n%s", body)
		}
		if _, err := s.DB.SetAccountFlag(ctx, p.CandidateAccount.ID, "renewal", s.DB.Today().AddDays(5)); err != nil {
			t.Fatal(err)
		}
		resp, body = pm.Get(m[1])
		expect(t, "draft", resp, http.StatusOK, m[1])
		mustContain(t, "draft", body, "A word, Tomas Reyes?", "Would St Olave Hospitals speak for us?", "Held back by the ask ledger",
			"St Olave Hospitals is flagged: renewal")
		resp, body = pm.PostForm(m[1], url.Values{"version": {"1"}, "subject": {"A word, Tomas?"}, "body": {"Edited body"}})
		expect(t, "refused", resp, http.StatusOK, m[1])
		mustContain(t, "refused", body, "Not sent: St Olave Hospitals is flagged: renewal", "A word, Tomas?", "Edited body")
		if _, err := s.DB.SetAccountFlag(ctx, p.CandidateAccount.ID, "", vouch.Date{}); err != nil {
			t.Fatal(err)
		}
		_, body = pm.PostForm(m[1], url.Values{"version": {"1"}, "subject": {""}, "body": {"Edited body"}})
		mustContain(t, "no subject", body, "Not sent", "subject must be")
		resp, body = pm.PostForm(m[1], url.Values{"version": {"1"}, "subject": {"A word, Tomas?"}, "body": {"Edited body"}})
		expect(t, "sent", resp, http.StatusOK, campaign)
		mustContain(t, "sent", body, "Outreach to Tomas Reyes is in the outbox", "Contacted 1", "outreach mail “A word, Tomas?” sent by", "Record reply")
		if strings.Contains(body, `href="`+m[1]+`"`) {
			t.Error("Send outreach offered again after sending")
		}
		mails, _, _ := s.DB.ListOutbox(ctx, vouch.OutboxFilter{})
		if len(mails) != 1 || mails[0].To != "tomas@stolave.example" || !strings.Contains(mails[0].Body, "Edited body") {
			t.Fatalf("outbox %+v", mails)
		}
		_, body = pm.Get(fmt.Sprintf("/accounts/%d", p.CandidateAccount.ID))
		mustContain(t, "account ledger", body, "Tomas Reyes <span class=\"muted small\">(contact)</span>", "Reference program",
			"Become a reference (campaign")

		resp, body = pm.PostForm("/campaign-contacts/"+m[2]+"/reply", url.Values{"version": {"2"}, "note": {"Keen, call next week"}, "campaign": {campaignID}})
		expect(t, "reply", resp, http.StatusOK, campaign)
		mustContain(t, "reply", body, "Reply recorded for Tomas Reyes", "Reply: Keen, call next week")
		_, body = pm.PostForm("/campaign-contacts/"+m[2]+"/reply", url.Values{"version": {"3"}, "note": {""}, "campaign": {campaignID}})
		mustContain(t, "empty reply", body, "The reply was not recorded", "note must be")
		for v, to := range []string{"interested", "nominated"} {
			resp, body = pm.PostForm("/campaign-contacts/"+m[2], url.Values{"version": {strconv.Itoa(3 + v)}, "state": {to}, "campaign": {campaignID}})
			expect(t, to, resp, http.StatusOK, campaign)
		}
		n := regexp.MustCompile(`nomination #(\d+) waits`).FindStringSubmatch(body)
		if n == nil {
			t.Fatalf("not nominated:\n%s", body)
		}
		_, body = pm.Get("/nominations/" + n[1])
		mustContain(t, "nomination", body, `from campaign <a href="`+campaign+`">Recruit for Healthcare × Call</a>`)
	})
}

// A drive from the campaigns page: bad input names the fields; advocates
// are invited by email, move to done with the review's address, and the
// page shows done against the target. A goal campaign lists the goal's
// candidates.
func TestDriveAndGoalCampaignPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		p := testutil.AddCoverageProgram(t, s.DB, pam.ID)
		pm := testutil.Login(t, s, "pam@example.com")
		_, body := pm.Get("/campaigns")
		mustContain(t, "campaigns page", body, "Start a review-site or content drive", `name="drive_target"`, "No program goal yet")
		resp, body := pm.PostForm("/campaigns", url.Values{"aim": {"drive"}, "drive_what": {""}, "drive_target": {"lots"}, "due_on": {"soon"}})
		expect(t, "a bad drive", resp, http.StatusOK, "/campaigns")
		mustContain(t, "bad drive", body, "The campaign could not start", "drive what must say", "drive target must be", "due on must be")
		resp, body = pm.PostForm("/campaigns", url.Values{"aim": {"drive"}, "drive_what": {"Review on G2"}, "drive_target": {"4"},
			"due_on": {s.DB.Today().AddDays(60).String()}})
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.Path, "/campaigns/") {
			t.Fatalf("drive: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
		}
		drive := resp.Request.URL.Path
		mustContain(t, "drive", body, "Drive started", "4 × Review on G2 by", "0 of 4 done", "No advocate invited yet")
		_, body = pm.PostForm(drive+"/advocates", url.Values{"reference": {"nobody"}})
		mustContain(t, "unknown advocate", body, "Not invited", "reference id must name the reference")
		resp, body = pm.PostForm(drive+"/advocates", url.Values{"reference": {strconv.FormatInt(p.Nia.ID, 10)}})
		expect(t, "invite", resp, http.StatusOK, drive)
		mustContain(t, "invite", body, p.Nia.Name+" is invited.", "Invited 1")
		m := regexp.MustCompile(`action="/drive-advocates/(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no advocate form:\n%s", body)
		}
		id := strings.TrimPrefix(drive, "/campaigns/")
		resp, _ = pm.PostForm("/drive-advocates/"+m[1], url.Values{"version": {"1"}, "state": {"agreed"}, "campaign": {id}})
		expect(t, "agreed", resp, http.StatusOK, drive)
		_, body = pm.PostForm("/drive-advocates/"+m[1], url.Values{"version": {"2"}, "state": {"done"}, "campaign": {id}})
		mustContain(t, "done without evidence", body, "Not moved", "evidence must be")
		resp, body = pm.PostForm("/drive-advocates/"+m[1], url.Values{"version": {"2"}, "state": {"done"}, "campaign": {id},
			"evidence": {"https://g2.example/reviews/42"}})
		expect(t, "done", resp, http.StatusOK, drive)
		mustContain(t, "done", body, "1 of 4 done", "(25%)", `href="https://g2.example/reviews/42"`)
		_, body = pm.Get(fmt.Sprintf("/references/%d", p.Nia.ID))
		mustContain(t, "Nia's ledger", body, "Review campaign", "Review on G2")

		today := s.DB.Today()
		goal := &vouch.Goal{Kind: vouch.GoalProgram, Name: "Grow Healthcare", Metric: vouch.MetricReferencesAdded,
			Filter: vouch.MetricFilter{IndustryIDs: []int64{p.Healthcare}}, Target: 3, From: today, To: today.AddDays(90)}
		if err := s.DB.CreateGoal(ctx, goal); err != nil {
			t.Fatal(err)
		}
		resp, body = pm.PostForm("/campaigns", url.Values{"aim": {"goal"}, "goal_id": {strconv.FormatInt(goal.ID, 10)}})
		expect(t, "goal campaign", resp, http.StatusOK, "")
		mustContain(t, "goal campaign", body, "Recruit for goal “Grow Healthcare”", fmt.Sprintf(`href="/goals/%d"`, goal.ID),
			"Customers in the goal's filter", "St Olave Hospitals")
	})
}

// The program team renames and closes a campaign from its page: /campaigns
// lists it under Closed with its outcome, its page says closed and offers
// no outreach, and a move posted anyway is refused naming the campaign;
// reopened, the forms come back. The goal's page lists the campaigns aimed
// at it with their funnels, linked only for who runs campaigns.
func TestCloseCampaignPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		p := testutil.AddCoverageProgram(t, s.DB, pam.ID)
		pm := testutil.Login(t, s, "pam@example.com")
		today := s.DB.Today()
		goal := &vouch.Goal{Kind: vouch.GoalProgram, Name: "Grow Healthcare", Metric: vouch.MetricReferencesAdded,
			Filter: vouch.MetricFilter{IndustryIDs: []int64{p.Healthcare}}, Target: 3, From: today, To: today.AddDays(90)}
		if err := s.DB.CreateGoal(ctx, goal); err != nil {
			t.Fatal(err)
		}
		resp, _ := pm.PostForm("/campaigns", url.Values{"aim": {"goal"}, "goal_id": {strconv.FormatInt(goal.ID, 10)}})
		expect(t, "goal campaign", resp, http.StatusOK, "")
		campaign := resp.Request.URL.Path
		resp, body := pm.PostForm(campaign+"/contacts", url.Values{"account_id": {strconv.FormatInt(p.CandidateAccount.ID, 10)}, "name": {"Tomas Reyes"}})
		expect(t, "a contact", resp, http.StatusOK, campaign)
		m := regexp.MustCompile(`action="/campaign-contacts/(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no move form:\n%s", body)
		}
		mustContain(t, "open campaign", body, "Rename or close", "Close the campaign", "Add to outreach")

		_, body = pm.PostForm(campaign+"/change", url.Values{"version": {"1"}, "name": {""}})
		mustContain(t, "an empty name", body, "Not saved", "name must be 1–200 characters")
		resp, body = pm.PostForm(campaign+"/change", url.Values{"version": {"1"}, "name": {"Healthcare spring push"}})
		expect(t, "renamed", resp, http.StatusOK, campaign)
		mustContain(t, "renamed", body, "Campaign renamed “Healthcare spring push”", "<h1>Healthcare spring push</h1>")
		_, body = pm.PostForm(campaign+"/change", url.Values{"version": {"1"}, "state": {"closed"}, "note": {"x"}})
		mustContain(t, "a stale close", body, "Someone changed this campaign meanwhile")
		resp, body = pm.PostForm(campaign+"/change", url.Values{"version": {"2"}, "state": {"closed"}, "note": {"Tomas said not now."}})
		expect(t, "closed", resp, http.StatusOK, campaign)
		mustContain(t, "closed", body, "Campaign closed", "Closed</span> on", "by "+pam.Name, "Tomas said not now.",
			"Reopen the campaign", "1 contacts")
		for _, gone := range []string{`action="/campaign-contacts/`, "Add to outreach", "Close the campaign", "Save outreach mail"} {
			if strings.Contains(body, gone) {
				t.Errorf("a closed campaign offers %q", gone)
			}
		}
		resp, body = pm.PostForm("/campaign-contacts/"+m[1], url.Values{"version": {"1"}, "state": {"contacted"},
			"campaign": {strings.TrimPrefix(campaign, "/campaigns/")}})
		expect(t, "a move on a closed campaign", resp, http.StatusOK, campaign)
		mustContain(t, "refused move", body, "Not moved", "campaign is closed since "+today.String())

		_, body = pm.Get("/campaigns")
		open, closed, _ := strings.Cut(body, `id="closed-heading"`)
		if !strings.Contains(closed, "Healthcare spring push") || strings.Contains(open, "Healthcare spring push") ||
			!strings.Contains(closed, "Tomas said not now.") || !strings.Contains(open, "No open campaign.") {
			t.Errorf("campaigns page without the closed section:\n%s", body)
		}

		_, body = pm.Get(fmt.Sprintf("/goals/%d", goal.ID))
		mustContain(t, "the goal's campaigns for Pam", body, "Recruiting campaigns for this goal",
			`href="`+campaign+`">Healthcare spring push</a>`, "1 contacts, 0 nominated, 0 now references", "Closed</span>")
		_, body = testutil.Login(t, s, "vic@example.com").Get(fmt.Sprintf("/goals/%d", goal.ID))
		mustContain(t, "the goal's campaigns for an executive", body, "Healthcare spring push", "1 contacts, 0 nominated")
		if strings.Contains(body, `href="`+campaign+`"`) {
			t.Error("an executive is linked to a campaign they may not open")
		}

		resp, body = pm.PostForm(campaign+"/change", url.Values{"version": {"3"}, "state": {"open"}})
		expect(t, "reopened", resp, http.StatusOK, campaign)
		mustContain(t, "reopened", body, "Campaign reopened", "Close the campaign", `action="/campaign-contacts/`+m[1]+`"`)
	})
}
