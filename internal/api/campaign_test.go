package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestCampaignsAPI runs a gap campaign and a drive through the API: who
// may (a seller and an executive may not), bad input named by field, the
// candidates with their reasons and those held back, outreach through the
// outbox, nominating, and a drive's advocate to done.
func TestCampaignsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		p := testutil.AddCoverageProgram(t, f.srv.DB, f.users["program_manager"].ID)
		if _, err := f.srv.DB.SetAccountFlag(ctx, p.HealthcareAccount.ID, "escalation", f.srv.DB.Today().AddDays(5)); err != nil {
			t.Fatal(err)
		}
		var camp struct {
			ID int64 `json:"id"`
		}
		var contact struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		f.run(t, []scenario{
			{name: "a seller may not list", method: "GET", path: "/api/v1/campaigns", as: "seller", status: 403},
			{name: "an executive may not start", method: "POST", path: "/api/v1/campaigns", as: "viewer",
				body: `{"aim": "drive", "drive_what": "Review", "drive_target": 3, "due_on": "2027-03-31"}`, status: 403},
			{name: "a bad gap", method: "POST", path: "/api/v1/campaigns", as: "program_manager",
				body: `{"dimension": "colour"}`, offSpec: true, status: 400, fields: []string{"dimension", "value_id", "activity_type_id", "name"}},
			{name: "a bad drive", method: "POST", path: "/api/v1/campaigns", as: "program_manager",
				body: `{"aim": "drive", "drive_target": 0, "due_on": "soon"}`, offSpec: true, status: 400, fields: []string{"due_on"}},
			{name: "a drive without what", method: "POST", path: "/api/v1/campaigns", as: "program_manager",
				body: `{"aim": "drive", "drive_target": 0, "due_on": "2027-03-31"}`, status: 400, fields: []string{"drive_what", "drive_target", "name"}},
			{name: "an unknown goal", method: "POST", path: "/api/v1/campaigns", as: "program_manager",
				body: `{"aim": "goal", "goal_id": 999}`, status: 400, fields: []string{"goal_id", "name"}},
			{name: "a gap campaign", method: "POST", path: "/api/v1/campaigns", as: "team_member",
				body:   fmt.Sprintf(`{"dimension": "industry", "value_id": %d, "activity_type_id": %d, "outreach_subject": "A word, {{name}}?", "outreach_body": "Dear {{name}} at {{account}},\n\n{{sender}}"}`, p.Healthcare, p.Call),
				status: 201, want: []string{`"name":"Recruit for Healthcare × Call"`, `"aim":"gap"`},
				check: func(t *testing.T, r response) { r.decode(t, &camp) }},
		})
		path := fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
		f.run(t, []scenario{
			{name: "the campaign with candidates and held back", method: "GET", path: path, as: "program_manager", status: 200,
				want: []string{`"account_name":"St Olave Hospitals"`, `"reasons":["Health good"`, `"conversion_percent":0`}},
			{name: "a seller may not open it", method: "GET", path: path, as: "seller", status: 403},
			{name: "an unknown placeholder", method: "PUT", path: path + "/outreach", as: "program_manager",
				body: `{"subject": "Hi {{first}}", "body": "x"}`, status: 400, fields: []string{"subject"}},
			{name: "a viewer may not set the template", method: "PUT", path: path + "/outreach", as: "viewer",
				body: `{"subject": "Hi", "body": "x"}`, status: 403},
			{name: "the template", method: "PUT", path: path + "/outreach", as: "program_manager",
				body: `{"subject": "A word, {{name}}?", "body": "Dear {{name}} at {{account}},\n\n{{sender}}"}`, status: 200,
				want: []string{`"outreach_subject":"A word, {{name}}?"`}},
			{name: "a contact without a name", method: "POST", path: path + "/contacts", as: "program_manager",
				body: fmt.Sprintf(`{"account_id": %d, "name": "", "email": "x"}`, p.CandidateAccount.ID), status: 400, fields: []string{"name", "email"}},
			{name: "a contact", method: "POST", path: path + "/contacts", as: "program_manager",
				body:   fmt.Sprintf(`{"account_id": %d, "name": "Tomas Reyes", "email": "tomas@stolave.example"}`, p.CandidateAccount.ID),
				status: 201, want: []string{`"state":"to_contact"`}, check: func(t *testing.T, r response) { r.decode(t, &contact) }},
		})
		cpath := fmt.Sprintf("/api/v1/campaign-contacts/%d", contact.ID)
		f.run(t, []scenario{
			{name: "the draft", method: "GET", path: cpath + "/outreach", as: "program_manager", status: 200,
				want: []string{`"subject":"A word, Tomas Reyes?"`, "St Olave Hospitals", `"held_back":""`}},
			{name: "an outreach without a subject", method: "POST", path: cpath + "/outreach", as: "program_manager",
				body: `{"version": 1, "subject": "", "body": "Hi"}`, status: 400, fields: []string{"subject"}},
			{name: "a seller may not send", method: "POST", path: cpath + "/outreach", as: "seller",
				body: `{"version": 1, "subject": "Hi", "body": "Hi"}`, status: 403},
			{name: "outreach sent", method: "POST", path: cpath + "/outreach", as: "program_manager",
				body: `{"version": 1, "subject": "A word, Tomas?", "body": "Dear Tomas"}`, status: 200,
				want: []string{`"state":"contacted"`, `"version":2`}},
			{name: "a jump", method: "POST", path: cpath + "/move", as: "program_manager",
				body: `{"version": 2, "state": "nominated"}`, status: 400, fields: []string{"state"}},
			{name: "stale", method: "POST", path: cpath + "/move", as: "program_manager",
				body: `{"version": 1, "state": "interested"}`, status: 409},
			{name: "interested", method: "POST", path: cpath + "/move", as: "program_manager",
				body: `{"version": 2, "state": "interested", "note": "Keen"}`, status: 200},
			{name: "nominated", method: "POST", path: cpath + "/move", as: "program_manager",
				body: `{"version": 3, "state": "nominated"}`, status: 200, want: []string{`"state":"nominated"`, `"nomination_id":`}},
			{name: "the funnel", method: "GET", path: path, as: "program_manager", status: 200,
				want: []string{`"nominated":1`, `"nominated":1,"recruited":0`}},
			{name: "the account's ledger has the outreach", method: "GET", path: fmt.Sprintf("/api/v1/accounts/%d/ledger", p.CandidateAccount.ID),
				as: "program_manager", status: 200, want: []string{`"source":"campaign"`, `"team":"reference_program"`, `"reference_name":"Tomas Reyes"`}},
		})
		mails, _, _ := f.srv.DB.ListOutbox(ctx, vouch.OutboxFilter{})
		if len(mails) != 1 || mails[0].To != "tomas@stolave.example" || mails[0].Subject != "A word, Tomas?" {
			t.Errorf("outbox %+v", mails)
		}

		var drive struct {
			ID int64 `json:"id"`
		}
		var adv struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		f.run(t, []scenario{{name: "a drive", method: "POST", path: "/api/v1/campaigns", as: "program_manager",
			body: `{"aim": "drive", "drive_what": "Review on G2", "drive_target": 2, "due_on": "2027-03-31"}`, status: 201,
			want: []string{`"name":"2 × Review on G2 by 31 Mar 2027"`}, check: func(t *testing.T, r response) { r.decode(t, &drive) }}})
		dpath := fmt.Sprintf("/api/v1/campaigns/%d", drive.ID)
		f.run(t, []scenario{
			{name: "no reference", method: "POST", path: dpath + "/advocates", as: "program_manager", body: `{}`, offSpec: true, status: 400,
				fields: []string{"reference_id"}},
			{name: "a flagged reference is held back", method: "POST", path: dpath + "/advocates", as: "program_manager",
				body: fmt.Sprintf(`{"reference_id": %d}`, p.Nia.ID), status: 409, want: []string{"is flagged: escalation"}},
			{name: "Quinn invited", method: "POST", path: dpath + "/advocates", as: "program_manager",
				body: fmt.Sprintf(`{"reference_id": %d, "note": "Asked at the summit"}`, p.Quinn.ID), status: 201,
				want: []string{`"state":"invited"`}, check: func(t *testing.T, r response) { r.decode(t, &adv) }},
		})
		apath := fmt.Sprintf("/api/v1/drive-advocates/%d/move", adv.ID)
		f.run(t, []scenario{
			{name: "agreed", method: "POST", path: apath, as: "program_manager", body: `{"version": 1, "state": "agreed"}`, status: 200},
			{name: "done without evidence", method: "POST", path: apath, as: "program_manager", body: `{"version": 2, "state": "done"}`,
				status: 400, fields: []string{"evidence"}},
			{name: "done", method: "POST", path: apath, as: "program_manager",
				body: `{"version": 2, "state": "done", "evidence": "https://g2.example/reviews/9"}`, status: 200, want: []string{`"state":"done"`}},
			{name: "the drive's progress", method: "GET", path: dpath, as: "program_manager", status: 200,
				want: []string{`"progress":{"invited":0,"agreed":0,"done":1,"declined":0,"target":2,"percent":50}`}},
			{name: "the list", method: "GET", path: "/api/v1/campaigns", as: "admin", status: 200,
				check: func(t *testing.T, r response) {
					if !strings.Contains(string(r.body), `"aim":"drive"`) || !strings.Contains(string(r.body), `"total":2`) {
						t.Errorf("list %s", r.body)
					}
				}},
		})
		f.run(t, []scenario{
			{name: "a seller may not close", method: "PATCH", path: path, as: "seller", body: `{"version": 1, "state": "closed"}`, status: 403},
			{name: "no version", method: "PATCH", path: path, as: "program_manager", body: `{"name": "Healthcare calls"}`,
				offSpec: true, status: 400, fields: []string{"version"}},
			{name: "an empty name", method: "PATCH", path: path, as: "program_manager", body: `{"version": 1, "name": " "}`,
				status: 400, fields: []string{"name"}},
			{name: "an unknown state", method: "PATCH", path: path, as: "program_manager", body: `{"version": 1, "state": "done"}`,
				offSpec: true, status: 400, fields: []string{"state"}},
			{name: "renamed", method: "PATCH", path: path, as: "program_manager", body: `{"version": 1, "name": "Healthcare calls"}`,
				status: 200, want: []string{`"name":"Healthcare calls"`, `"state":"open"`, `"version":2`}},
			{name: "closing a stale version", method: "PATCH", path: path, as: "program_manager", body: `{"version": 1, "state": "closed"}`,
				status: 409, fields: []string{"version"}},
			{name: "closed", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 2, "state": "closed", "note": "One nominated."}`, status: 200,
				want: []string{`"state":"closed"`, `"outcome":"One nominated."`, `"closed_on":"` + f.srv.DB.Today().String() + `"`, `"version":3`}},
			{name: "no contact on a closed campaign", method: "POST", path: path + "/contacts", as: "program_manager",
				body: fmt.Sprintf(`{"account_id": %d, "name": "Ana Silva"}`, p.CandidateAccount.ID), status: 400, fields: []string{"campaign"}},
			{name: "a closed campaign keeps its funnel", method: "GET", path: path, as: "program_manager", status: 200,
				want: []string{`"state":"closed"`, `"nominated":1,"recruited":0`, `"candidates":[]`}},
			{name: "reopened", method: "PATCH", path: path, as: "program_manager", body: `{"version": 3, "state": "open"}`,
				status: 200, want: []string{`"state":"open"`, `"outcome":""`, `"closed_on":null`}},
			{name: "a contact on the reopened campaign", method: "POST", path: path + "/contacts", as: "program_manager",
				body: fmt.Sprintf(`{"account_id": %d, "name": "Ana Silva"}`, p.CandidateAccount.ID), status: 201},
			{name: "the drive closed", method: "PATCH", path: dpath, as: "program_manager", body: `{"version": 1, "state": "closed"}`, status: 200},
			{name: "no invitation to a closed drive", method: "POST", path: dpath + "/advocates", as: "program_manager",
				body: fmt.Sprintf(`{"reference_id": %d}`, p.Quinn.ID), status: 400, fields: []string{"campaign"}},
		})
	})
}
