package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// What a seller sees of references through the API: only those they may
// request (Maya, Jonas and Aisha, resting; never Priya, nominated, Diego,
// do not contact, or Tom, retired), no status reasons, and email and phone
// as the program setting says. The program team sees everything.
func TestSellerSight(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		s, oppID := seedFulfillment(t, f)
		diego := s.path("Diego")
		noEmail := func(t *testing.T, r response) {
			if strings.Contains(string(r.body), "maya@acme.example") || strings.Contains(string(r.body), "Asked not to be contacted") ||
				strings.Contains(string(r.body), "Left the company") {
				t.Errorf("a seller sees an email or a status reason: %s", r.body)
			}
		}
		f.run(t, []scenario{
			{name: "a seller's list holds only references they may request", method: "GET", path: refsPath("facets", "status"),
				as: "seller", status: 200, check: func(t *testing.T, r response) {
					found("Aisha Haddad", "Jonas Lindqvist", "Maya Okafor", "Sam Ortiz")(t, r)
					noEmail(t, r)
					if strings.Contains(string(r.body), `"name":"do_not_contact","count":1`) || !strings.Contains(string(r.body), `"name":"do_not_contact","count":0`) {
						t.Errorf("a seller's status counts include the do-not-contact reference: %s", r.body)
					}
				}},
			{name: "the team's list holds every reference", method: "GET", path: refsPath("facets", "status"), as: "program_manager", status: 200,
				check: func(t *testing.T, r response) {
					found("Aisha Haddad", "Diego Alvarez", "Jonas Lindqvist", "Maya Okafor", "Priya Raman", "Sam Ortiz", "Tom Becker")(t, r)
					if !strings.Contains(string(r.body), `"name":"do_not_contact","count":1`) || !strings.Contains(string(r.body), "maya@acme.example") {
						t.Errorf("the team's list: %s", r.body)
					}
				}},
			{name: "a seller filtering on do not contact finds nobody", method: "GET", path: refsPath("status", "do_not_contact"),
				as: "seller", status: 200, check: found()},
			{name: "a seller searching for Diego finds nobody", method: "GET", path: refsPath("q", "Diego"), as: "seller", status: 200, check: found()},
			{name: "a do-not-contact reference is not found for a seller", method: "GET", path: diego, as: "seller", status: 404,
				want: []string{`"code":"not_found"`, fmt.Sprintf("Reference %d not found.", s.refs["Diego"].ID)}},
			{name: "nor its history", method: "GET", path: diego + "/history", as: "seller", status: 404},
			{name: "nor its activities", method: "GET", path: diego + "/activities", as: "seller", status: 404},
			{name: "nor a nominated one", method: "GET", path: s.path("Priya"), as: "seller", status: 404},
			{name: "nor a retired one", method: "GET", path: s.path("Tom"), as: "seller", status: 404},
			{name: "the team reads it with its reason", method: "GET", path: diego, as: "team_member", status: 200,
				want: []string{`"status":"do_not_contact"`, `"status_reason":"Asked not to be contacted"`}},
			{name: "a seller reads an active one without its email", method: "GET", path: s.path("Maya"), as: "seller", status: 200,
				want: []string{`"email":""`, `"phone":""`}, check: noEmail},
			{name: "the team reads its email", method: "GET", path: s.path("Maya"), as: "program_manager", status: 200,
				want: []string{`"email":"maya@acme.example"`}},
			{name: "a seller's export leaves out what they may not see", method: "GET", path: refsPath("format", "csv"), as: "seller",
				status: 200, check: func(t *testing.T, r response) {
					noEmail(t, r)
					if strings.Contains(string(r.body), "Diego") || !strings.Contains(string(r.body), "Maya Okafor") {
						t.Errorf("a seller's export:\n%s", r.body)
					}
				}},
			{name: "the team's export holds everything", method: "GET", path: refsPath("format", "csv"), as: "program_manager",
				status: 200, want: []string{"Diego Alvarez", "maya@acme.example", "Asked not to be contacted"}},
			{name: "accounts count what a seller may request", method: "GET", path: fmt.Sprintf("/api/v1/accounts/%d", s.accounts["Globe Bank"].ID),
				as: "seller", status: 200, want: []string{`"references":0`}},
			{name: "and all for the team", method: "GET", path: fmt.Sprintf("/api/v1/accounts/%d", s.accounts["Globe Bank"].ID),
				as: "team_member", status: 200, want: []string{`"references":1`}},
			{name: "sellers always see contact details", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"seller_contact": "always"}`, status: 200, want: []string{`"seller_contact":"always"`}},
			{name: "then a seller reads the email", method: "GET", path: s.path("Maya"), as: "seller", status: 200,
				want: []string{`"email":"maya@acme.example"`}},
			{name: "but still not a do-not-contact reference", method: "GET", path: diego, as: "seller", status: 404},
			{name: "back to the default", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"seller_contact": null}`, status: 200, want: []string{`"seller_contact":"once_accepted"`}},
		})

		// Once Maya accepted an ask on the seller's request, the seller sees
		// her email; another seller still does not.
		due := f.srv.DB.Today().AddDays(30).String()
		var req struct {
			ID int64 `json:"id"`
		}
		f.call(t, "seller", "POST", "/api/v1/requests",
			fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q}`, oppID, due), 201).decode(t, &req)
		f.call(t, "team_member", "POST", fmt.Sprintf("/api/v1/requests/%d/asks", req.ID), fmt.Sprintf(`{"reference_id": %d}`, s.refs["Maya"].ID), 201)
		f.run(t, []scenario{
			{name: "asked, not yet accepted: no email", method: "GET", path: s.path("Maya"), as: "seller", status: 200, want: []string{`"email":""`}},
		})
		answer(t, f, "maya@acme.example", vouch.AnswerAccept)
		f.run(t, []scenario{
			{name: "accepted: the requester reads the email", method: "GET", path: s.path("Maya"), as: "seller", status: 200,
				want: []string{`"email":"maya@acme.example"`}},
			{name: "in the list too", method: "GET", path: refsPath("q", "Maya"), as: "seller", status: 200,
				want: []string{`"email":"maya@acme.example"`}},
			{name: "another seller does not", method: "GET", path: s.path("Maya"), as: "other_seller", status: 200, want: []string{`"email":""`}},
			{name: "never: not even the requester", method: "PATCH", path: "/api/v1/settings", as: "program_manager",
				body: `{"seller_contact": "never"}`, status: 200},
			{name: "the requester reads no email", method: "GET", path: s.path("Maya"), as: "seller", status: 200, want: []string{`"email":""`}},
		})
		if entries, _, _ := f.srv.DB.ListAudit(context.Background(), vouch.AuditFilter{EntityType: "setting:seller_contact"}); len(entries) != 3 {
			t.Errorf("the contact setting changed 3 times; the audit log has %d entries", len(entries))
		}
	})
}

// A request may propose a reference the caller may request, and records it;
// a hidden one is refused on the field, like an unknown one.
func TestRequestProposesAReference(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		s, oppID := seedFulfillment(t, f)
		due := f.srv.DB.Today().AddDays(30).String()
		body := func(ref int64) string {
			return fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "proposed_reference_id": %d}`, oppID, due, ref)
		}
		f.run(t, []scenario{
			{name: "a do-not-contact reference cannot be proposed", method: "POST", path: "/api/v1/requests", as: "seller",
				body: body(s.refs["Diego"].ID), status: 400, fields: []string{"proposed_reference_id"},
				want: []string{vouch.NotARequestableReference}},
			{name: "nor an unknown one", method: "POST", path: "/api/v1/requests", as: "seller",
				body: body(999999), status: 400, fields: []string{"proposed_reference_id"}, want: []string{vouch.NotARequestableReference}},
			{name: "nor by the team", method: "POST", path: "/api/v1/requests", as: "program_manager",
				body: body(s.refs["Diego"].ID), status: 400, fields: []string{"proposed_reference_id"},
				want: []string{"is do not contact and cannot be requested"}},
			{name: "an active one is recorded", method: "POST", path: "/api/v1/requests", as: "seller",
				body: body(s.refs["Maya"].ID), status: 201, want: []string{fmt.Sprintf(`"proposed_reference_id":%d`, s.refs["Maya"].ID)}},
			{name: "a request without one says null", method: "POST", path: "/api/v1/requests", as: "seller",
				body: fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q}`, oppID, due), status: 201,
				want: []string{`"proposed_reference_id":null`}},
		})
	})
}
