package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// oppItem is an Opportunity as the API answers it.
type oppItem struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Prospect   string  `json:"prospect"`
	Amount     float64 `json:"amount"`
	Currency   string  `json:"currency"`
	Stage      string  `json:"stage"`
	CloseDate  *string `json:"close_date"`
	Status     string  `json:"status"`
	Owner      *struct{ Email string }
	Industry   *string `json:"industry"`
	Region     *string `json:"region"`
	Product    *string `json:"product"`
	Competitor *string `json:"competitor"`
	CRMID      string  `json:"crm_id"`
	Version    int     `json:"version"`
}

func opportunity(check func(t *testing.T, o oppItem)) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var o oppItem
		r.decode(t, &o)
		check(t, o)
	}
}

// str shows a nullable name, "-" for null.
func str(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// addSeller adds a second seller, "other_seller", who must not see the first one's requests.
func addSeller(t *testing.T, f *fixture) {
	t.Helper()
	u := testutil.CreateUser(t, f.srv.DB, "other_seller@example.com", vouch.RoleSeller)
	f.users["other_seller"] = u
	f.tokens["other_seller"] = testutil.Token(t, f.srv.DB, u)
}

// call sends a request meant to be valid as the role and fails unless it
// answers status; it returns the response for the test to read.
func (f *fixture) call(t *testing.T, as, method, path, body string, status int) response {
	t.Helper()
	r := f.c.do(t, method, path, f.tokens[as], body, false)
	if r.status != status {
		t.Fatalf("%s %s as %s: status %d, want %d\n%s", method, path, as, r.status, status, r.body)
	}
	return r
}

func TestOpportunities(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		var deal oppItem
		f.run(t, []scenario{
			{name: "viewer may not create", method: "POST", path: "/api/v1/opportunities", as: "viewer",
				body: `{"name": "Mercy Health renewal"}`, status: 403},
			{name: "seller creates, names in any case, and owns it", method: "POST", path: "/api/v1/opportunities", as: "seller",
				body: `{"name": " Mercy  Health renewal ", "prospect": "Mercy Health", "amount": 250000, "currency": "eur",
					"stage": "Negotiation", "close_date": "2026-12-15", "industry": "healthcare", "region": "emea",
					"product": "ANALYTICS", "competitor": "globex"}`,
				status: 201, check: opportunity(func(t *testing.T, o oppItem) {
					deal = o
					got := fmt.Sprintf("%s|%s|%v|%s|%s|%s|%s|%s|%s|%s|%s|%s|%d", o.Name, o.Prospect, o.Amount, o.Currency,
						o.Stage, str(o.CloseDate), o.Status, o.Owner.Email, str(o.Industry), str(o.Region), str(o.Product),
						str(o.Competitor), o.Version)
					want := "Mercy Health renewal|Mercy Health|250000|EUR|Negotiation|2026-12-15|open|seller@example.com|" +
						"Healthcare|EMEA|Analytics|Globex|1"
					if got != want {
						t.Errorf("created\n got %s\nwant %s", got, want)
					}
				})},
			{name: "misspelt names", method: "POST", path: "/api/v1/opportunities", as: "seller",
				body: `{"name": "X", "industry": "Helthcare", "region": "Mars"}`, status: 400,
				fields: []string{"industry", "region"}, want: []string{`did you mean \"Healthcare\"?`, `has no value \"Mars\"`}},
			{name: "every bad field at once", method: "POST", path: "/api/v1/opportunities", as: "seller",
				body:   `{"name": "X", "currency": "euro", "status": "pending", "close_date": "15/12/2026", "owner_email": "nobody@example.com"}`,
				status: 400, fields: []string{"currency", "status", "close_date", "owner_email"}, offSpec: true},
			{name: "no name", method: "POST", path: "/api/v1/opportunities", as: "seller",
				body: `{"prospect": "Mercy Health"}`, offSpec: true, status: 400, fields: []string{"name"}},
			{name: "unknown field", method: "POST", path: "/api/v1/opportunities", as: "seller",
				body: `{"name": "X", "probability": 0.5}`, offSpec: true, status: 400, fields: []string{"probability"}},
			{name: "a negative amount", method: "POST", path: "/api/v1/opportunities", as: "seller",
				body: `{"name": "X", "amount": -12.5}`, offSpec: true, status: 400, fields: []string{"amount"},
				want: []string{"must not be negative"}},
			{name: "someone else's deal, for a colleague", method: "POST", path: "/api/v1/opportunities", as: "program_manager",
				body:   `{"name": "Globe Bank expansion", "prospect": "Globe Bank", "owner_email": "Other_Seller@example.com", "status": "Won"}`,
				status: 201, want: []string{`"email":"other_seller@example.com"`, `"status":"won"`}},
		})
		if deal.ID == 0 {
			t.Fatal("no opportunity created")
		}
		path := fmt.Sprintf("/api/v1/opportunities/%d", deal.ID)
		f.run(t, []scenario{
			{name: "mine", method: "GET", path: "/api/v1/opportunities?owner=me", as: "seller", status: 200,
				want: []string{`"total":1`, `"name":"Mercy Health renewal"`}},
			{name: "by owner's email", method: "GET", path: "/api/v1/opportunities?owner=other_seller@example.com", as: "seller",
				status: 200, want: []string{`"total":1`, `"name":"Globe Bank expansion"`}},
			{name: "won", method: "GET", path: "/api/v1/opportunities?status=WON", as: "seller", status: 200,
				want: []string{`"total":1`, `"name":"Globe Bank expansion"`}},
			{name: "by words", method: "GET", path: "/api/v1/opportunities?q=mercy", as: "seller", status: 200,
				want: []string{`"total":1`}},
			{name: "everything, newest first", method: "GET", path: "/api/v1/opportunities", as: "seller", status: 200,
				check: func(t *testing.T, r response) {
					var p page[oppItem]
					r.decode(t, &p)
					if p.Total != 2 || len(p.Items) != 2 || p.Items[0].Name != "Globe Bank expansion" {
						t.Errorf("listed %+v", p)
					}
				}},
			{name: "bad filters", method: "GET", path: "/api/v1/opportunities?status=pending&owner=nobody@example.com", as: "seller",
				status: 400, fields: []string{"status", "owner"}},
			{name: "viewer may not list", method: "GET", path: "/api/v1/opportunities", as: "viewer", status: 403},
			{name: "one", method: "GET", path: path, as: "team_member", status: 200, want: []string{`"crm_id":""`}},
			{name: "missing", method: "GET", path: "/api/v1/opportunities/999999", as: "seller", status: 404},
			{name: "version is required", method: "PATCH", path: path, as: "seller", body: `{"stage": "Closed"}`,
				offSpec: true, status: 400, fields: []string{"version"}},
			{name: "another seller may not change it", method: "PATCH", path: path, as: "other_seller",
				body: `{"version": 1, "stage": "Closed"}`, status: 403, want: []string{"Only the opportunity's owner"}},
			{name: "its owner changes it", method: "PATCH", path: path, as: "seller",
				body:   `{"version": 1, "stage": "Closed won", "status": "won", "competitor": null, "amount": 260000}`,
				status: 200, check: opportunity(func(t *testing.T, o oppItem) {
					if o.Stage != "Closed won" || o.Status != "won" || o.Competitor != nil || o.Amount != 260000 ||
						str(o.Industry) != "Healthcare" || o.Version != 2 {
						t.Errorf("after the change: %+v", o)
					}
				})},
			{name: "a status against a won stage is refused", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 2, "status": "lost"}`, status: 400, fields: []string{"status"}, want: []string{"one of the program's won stages"}},
			{name: "the same version again is a conflict", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 1, "amount": 1}`, status: 409, fields: []string{"version"}},
			{name: "the first change stays", method: "GET", path: path, as: "seller", status: 200,
				want: []string{`"status":"won"`, `"version":2`}},
		})
	})
}

func TestOpportunityUpsert(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		var first oppItem
		f.run(t, []scenario{
			{name: "sellers do not sync the CRM", method: "PUT", path: "/api/v1/opportunities/crm/006-1", as: "seller",
				body: `{"name": "Mercy Health renewal"}`, status: 403},
			{name: "created", method: "PUT", path: "/api/v1/opportunities/crm/006-1", as: "program_manager",
				body: `{"name": "Mercy Health renewal", "amount": 250000, "stage": "Discovery", "industry": "Healthcare",
					"owner_email": "seller@example.com"}`,
				status: 201, check: opportunity(func(t *testing.T, o oppItem) {
					first = o
					if o.CRMID != "006-1" || o.Stage != "Discovery" || o.Owner == nil || o.Version != 1 {
						t.Errorf("created %+v", o)
					}
				})},
			{name: "updated, fields left out cleared", method: "PUT", path: "/api/v1/opportunities/crm/006-1", as: "admin",
				body:   `{"name": "Mercy Health renewal", "amount": 300000, "stage": "Negotiation", "owner_email": "seller@example.com"}`,
				status: 200, check: opportunity(func(t *testing.T, o oppItem) {
					if o.ID != first.ID || o.Amount != 300000 || o.Stage != "Negotiation" || o.Industry != nil || o.Version != 2 {
						t.Errorf("updated %+v, want the same opportunity %d at version 2 without an industry", o, first.ID)
					}
				})},
			{name: "unchanged is still 200", method: "PUT", path: "/api/v1/opportunities/crm/006-1", as: "admin",
				body:   `{"name": "Mercy Health renewal", "amount": 300000, "stage": "Negotiation", "owner_email": "seller@example.com"}`,
				status: 200, want: []string{`"version":2`}},
			{name: "the CRM id is the path's", method: "PUT", path: "/api/v1/opportunities/crm/006-2", as: "admin",
				body: `{"name": "X", "crm_id": "006-3"}`, offSpec: true, status: 400, fields: []string{"crm_id"}},
			{name: "a name is required", method: "PUT", path: "/api/v1/opportunities/crm/006-2", as: "admin",
				body: `{"amount": 5}`, offSpec: true, status: 400, fields: []string{"name"}},
			{name: "a bad name creates nothing", method: "PUT", path: "/api/v1/opportunities/crm/006-2", as: "admin",
				body: `{"name": "X", "product": "Analitics"}`, status: 400, fields: []string{"product"},
				want: []string{`did you mean \"Analytics\"?`}},
			{name: "one opportunity in all", method: "GET", path: "/api/v1/opportunities", as: "seller", status: 200,
				want: []string{`"total":1`, `"crm_id":"006-1"`}},
			{name: "a second deal with that CRM id is refused", method: "POST", path: "/api/v1/opportunities", as: "seller",
				body: `{"name": "Copy", "crm_id": "006-1"}`, status: 409, fields: []string{"crm_id"}},
		})
		// The same CRM id upserted by two syncs at once makes one opportunity.
		done := make(chan int, 2)
		for range 2 {
			go func() {
				r := f.c.do(t, http.MethodPut, "/api/v1/opportunities/crm/006-9", f.tokens["admin"], `{"name": "Race"}`, false)
				done <- r.status
			}()
		}
		statuses := []int{<-done, <-done}
		slices.Sort(statuses)
		var p page[oppItem]
		f.get(t, "seller", "/api/v1/opportunities?q=race", &p)
		if p.Total != 1 || !slices.Equal(statuses, []int{200, 201}) {
			t.Errorf("two concurrent upserts answered %v and made %d opportunities, want 200 and 201 and one", statuses, p.Total)
		}
	})
}
