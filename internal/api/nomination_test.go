package api_test

import (
	"fmt"
	"testing"
)

type nominationAPIItem struct {
	ID          int64  `json:"id"`
	State       string `json:"state"`
	Version     int    `json:"version"`
	ReferenceID int64  `json:"reference_id"`
	Duplicates  []struct {
		Kind    string   `json:"kind"`
		ID      int64    `json:"id"`
		Label   string   `json:"label"`
		Reasons []string `json:"reasons"`
	} `json:"duplicates"`
}

// TestNominationsAPI nominates through the API and sees the duplicates in
// the answer, then checks who may qualify, accept and reject.
func TestNominationsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		var saved struct {
			ID int64 `json:"id"`
		}
		f.run(t, []scenario{{name: "a reference", method: "POST", path: "/api/v1/references", as: "program_manager",
			body:   `{"account": "Acme", "create_account": true, "name": "Robert Smith", "email": "robert.smith@acme.com", "status": "active"}`,
			status: 201, check: func(t *testing.T, r response) { r.decode(t, &saved) }}})
		robert := saved.ID
		var n nominationAPIItem
		f.run(t, []scenario{
			{name: "every problem named", method: "POST", path: "/api/v1/nominations", as: "seller",
				body: `{"email": "nope"}`, status: 400, fields: []string{"account_name", "name", "email", "reason"}},
			{name: "unknown field", method: "POST", path: "/api/v1/nominations", as: "seller",
				body: `{"name": "x", "colour": "red"}`, offSpec: true, status: 400, fields: []string{"colour"}},
			{name: "a viewer nominates too, and sees no reference", method: "POST", path: "/api/v1/nominations", as: "viewer",
				body: `{"account_name": "ACME", "name": "Bob Smith", "email": "bob@acme.com", "reason": "Loves it"}`, status: 201,
				check: func(t *testing.T, r response) {
					var v nominationAPIItem
					r.decode(t, &v)
					if len(v.Duplicates) == 0 {
						t.Fatalf("no duplicates: %s", r.body)
					}
					for _, d := range v.Duplicates {
						if d.ID != 0 {
							t.Errorf("a viewer is shown %s %d", d.Kind, d.ID)
						}
					}
				}},
			{name: "a seller nominates and sees the reference", method: "POST", path: "/api/v1/nominations", as: "seller",
				body: `{"account_name": "Acme", "name": "Bob Smith", "email": "bob.smith@acme.com", "reason": "Great call"}`, status: 201,
				want:  []string{`"kind":"reference"`, fmt.Sprintf(`"id":%d`, robert), "nickname: Bob is Robert"},
				check: func(t *testing.T, r response) { r.decode(t, &n) }},
			{name: "duplicates while typing", method: "GET", path: "/api/v1/nominations/duplicates?account_name=acme&name=Robret+Smith", as: "seller",
				status: 200, want: []string{"one letter apart"}},
			{name: "a seller may not qualify", method: "POST", path: "/api/v1/nominations/1/qualify", as: "seller",
				body: `{"version": 1, "checklist": []}`, status: 403},
			{name: "the seller lists their own", method: "GET", path: "/api/v1/nominations?state=waiting", as: "seller",
				status: 200, want: []string{`"total":1`, `"age_days":0`, `"stale":false`}},
			{name: "the team lists all", method: "GET", path: "/api/v1/nominations", as: "team_member",
				status: 200, want: []string{`"total":2`}},
			{name: "bad state", method: "GET", path: "/api/v1/nominations?state=done", as: "team_member", offSpec: true,
				status: 400, fields: []string{"state"}},
		})
		if n.ID == 0 {
			t.Fatal("not nominated")
		}
		one := fmt.Sprintf("/api/v1/nominations/%d", n.ID)
		f.run(t, []scenario{
			{name: "another seller may not read it", method: "GET", path: fmt.Sprintf("/api/v1/nominations/%d", n.ID-1), as: "seller", status: 404},
			{name: "the team reads it with its checklist", method: "GET", path: one, as: "team_member", status: 200,
				want: []string{`"checklist_items"`, "no_escalation", `"nominator":`}},
			{name: "accepting an open one is refused", method: "POST", path: one + "/accept", as: "team_member",
				body: `{"version": 1}`, status: 400},
			{name: "half a checklist", method: "POST", path: one + "/qualify", as: "team_member",
				body: `{"version": 1, "checklist": ["live_6_months"]}`, status: 400, fields: []string{"checklist"}},
			{name: "qualify", method: "POST", path: one + "/qualify", as: "team_member",
				body:   `{"version": 1, "checklist": ["live_6_months", "satisfaction_8", "sponsor_agreed", "no_escalation"]}`,
				status: 200, want: []string{`"state":"qualified"`, `"version":2`}},
			{name: "a stale version", method: "POST", path: one + "/accept", as: "team_member",
				body: `{"version": 1}`, status: 409},
			{name: "accept", method: "POST", path: one + "/accept", as: "team_member",
				body: `{"version": 2}`, status: 200, want: []string{`"state":"accepted"`, `"reference_status":"active"`, `"reactivated":false`}},
			{name: "the reference's nomination, with who nominated it", method: "GET", path: "/api/v1/nominations?state=accepted", as: "team_member",
				status: 200, want: []string{`"total":1`, `"reference_id":`, `"nominator_id":`, `"decided_by":`}},
			{name: "reject without a reason", method: "POST", path: fmt.Sprintf("/api/v1/nominations/%d/reject", n.ID-1), as: "program_manager",
				body: `{"version": 1, "reason": " "}`, status: 400, fields: []string{"reason"}},
			{name: "reject", method: "POST", path: fmt.Sprintf("/api/v1/nominations/%d/reject", n.ID-1), as: "program_manager",
				body: `{"version": 1, "reason": "Already a reference"}`, status: 200, want: []string{`"state":"rejected"`}},
		})
	})
}
