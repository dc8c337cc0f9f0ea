package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// contentAPIItem is a ContentItem as the API answers it.
type contentAPIItem struct {
	ID       int64   `json:"id"`
	Type     *string `json:"type"`
	Title    string  `json:"title"`
	URL      string  `json:"url"`
	Accounts []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"accounts"`
	References []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"references"`
	Industry   []string `json:"industry"`
	Product    []string `json:"product"`
	Owner      *struct{ Email string }
	State      string `json:"state"`
	ApprovedBy string `json:"approved_by"`
	ExpiresOn  string `json:"expires_on"`
	Version    int    `json:"version"`
}

type contentAPIList struct {
	Items  []contentAPIItem `json:"items"`
	Total  int              `json:"total"`
	Facets map[string][]struct {
		Name     string `json:"name"`
		Count    int    `json:"count"`
		Selected bool   `json:"selected"`
	} `json:"facets"`
}

func contentItemIs(check func(t *testing.T, c contentAPIItem)) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var c contentAPIItem
		r.decode(t, &c)
		check(t, c)
	}
}

// TestContentAPI walks one case study from draft to approved and withdrawn
// through the API, as the program team writes it and a seller and a viewer
// find it, with every bad input named by its field.
func TestContentAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		f.run(t, []scenario{
			{name: "account", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Acme Health", "industry": "Healthcare"}`, status: 201},
			{name: "reference", method: "POST", path: "/api/v1/references", as: "program_manager",
				body: `{"account": "Acme Health", "name": "Dana Park", "email": "dana@acme.example"}`, status: 201},
		})
		var item contentAPIItem
		f.run(t, []scenario{
			{name: "seller may not create", method: "POST", path: "/api/v1/content", as: "seller",
				body: `{"type": "Case study", "title": "Acme"}`, status: 403},
			{name: "viewer may not create", method: "POST", path: "/api/v1/content", as: "viewer",
				body: `{"type": "Case study", "title": "Acme"}`, status: 403},
			{name: "every problem named", method: "POST", path: "/api/v1/content", as: "program_manager",
				body: `{"type": "Case studdy", "title": "Acme", "url": "javascript:alert(1)", "accounts": ["Nope Inc"],
					"references": ["nobody@acme.example"], "industry": ["Helthcare"], "published_on": "yesterday",
					"owner_email": "nobody@example.com"}`,
				offSpec: true, status: 400, fields: []string{"type", "url", "accounts", "references", "industry", "published_on", "owner_email"},
				want: []string{`did you mean \"Case study\"?`, `did you mean \"Healthcare\"?`}},
			{name: "ids named as ids", method: "POST", path: "/api/v1/content", as: "program_manager",
				body:   `{"type": "Video", "title": "Acme", "account_ids": [999], "reference_ids": [998], "owner_id": 997}`,
				status: 400, fields: []string{"account_ids", "reference_ids", "owner_id"}},
			{name: "wrong type names the field", method: "POST", path: "/api/v1/content", as: "program_manager",
				body: `{"type": "Video", "title": 5}`, offSpec: true, status: 400, fields: []string{"title"},
				want: []string{"must be a string"}},
			{name: "a list given as text", method: "POST", path: "/api/v1/content", as: "program_manager",
				body: `{"type": "Video", "title": "Acme", "accounts": "Acme Health"}`, offSpec: true, status: 400,
				fields: []string{"accounts"}, want: []string{"must be an array"}},
			{name: "unknown field", method: "POST", path: "/api/v1/content", as: "program_manager",
				body: `{"type": "Video", "title": "Acme", "colour": "red"}`, offSpec: true, status: 400, fields: []string{"colour"}},
			{name: "no title", method: "POST", path: "/api/v1/content", as: "program_manager",
				body: `{"type": "Video"}`, offSpec: true, status: 400, fields: []string{"title"}},
			{name: "create", method: "POST", path: "/api/v1/content", as: "program_manager",
				body: `{"type": "case study", "title": " Acme cuts   reporting time ", "summary": "Dashboards in a day",
					"url": "https://example.com/acme", "accounts": ["acme health"], "references": ["Dana@Acme.example"],
					"industry": ["healthcare"], "product": ["Analytics"], "language": "English", "published_on": "2026-01-15"}`,
				status: 201, check: contentItemIs(func(t *testing.T, c contentAPIItem) {
					item = c
					got := fmt.Sprintf("%s|%s|%s|%s|%v|%v|%s|%d", *c.Type, c.Title, c.State, c.Accounts[0].Name, c.Industry,
						c.Product, c.Owner.Email, c.Version)
					want := "Case study|Acme cuts reporting time|draft|Acme Health|[Healthcare]|[Analytics]|program_manager@example.com|1"
					if got != want || len(c.References) != 1 || c.References[0].Name != "Dana Park" {
						t.Errorf("created\n got %s %v\nwant %s", got, c.References, want)
					}
				})},
		})
		if item.ID == 0 {
			t.Fatal("no item created")
		}
		one := fmt.Sprintf("/api/v1/content/%d", item.ID)
		var seen contentAPIList
		f.get(t, "seller", "/api/v1/content?q=reporting", &seen)
		if seen.Total != 0 {
			t.Errorf("a seller finds a draft: %+v", seen.Items)
		}
		f.get(t, "team_member", "/api/v1/content?q=dashbords&state=draft", &seen)
		if seen.Total != 1 {
			t.Errorf("the team does not find its draft by a misspelt word: %+v", seen)
		}
		f.run(t, []scenario{
			{name: "a draft is hidden from a seller", method: "GET", path: one, as: "seller", status: 404},
			{name: "and its history", method: "GET", path: one + "/history", as: "viewer", status: 404},
			{name: "update needs the version", method: "PATCH", path: one, as: "program_manager",
				body: `{"title": "Acme cuts reporting time by 80%"}`, offSpec: true, status: 400, fields: []string{"version"}},
			{name: "a stale version", method: "PATCH", path: one, as: "program_manager",
				body: `{"version": 7, "title": "Acme cuts reporting time by 80%"}`, status: 409},
			{name: "update", method: "PATCH", path: one, as: "program_manager",
				body:   `{"version": 1, "title": "Acme cuts reporting time by 80%", "product": ["Analytics", "Mobile"]}`,
				status: 200, check: contentItemIs(func(t *testing.T, c contentAPIItem) {
					if c.Title != "Acme cuts reporting time by 80%" || len(c.Product) != 2 || c.Version != 2 || len(c.Accounts) != 1 {
						t.Errorf("updated: %+v", c)
					}
				})},
			{name: "a seller may not approve", method: "POST", path: one + "/state", as: "seller",
				body: `{"state": "approved_external", "method": "mail", "approved_by": "Dana Park"}`, status: 403},
			{name: "an approval says who and how", method: "POST", path: one + "/state", as: "program_manager",
				body: `{"state": "approved_external"}`, status: 400, fields: []string{"method", "approved_by"}},
			{name: "an unknown state", method: "POST", path: one + "/state", as: "program_manager",
				body: `{"state": "published"}`, status: 400, fields: []string{"state"}},
			{name: "a bad expiry", method: "POST", path: one + "/state", as: "program_manager",
				body: `{"state": "approved_external", "method": "mail", "approved_by": "Dana", "expires_on": 5}`, offSpec: true,
				status: 400, fields: []string{"expires_on"}},
			{name: "send for approval", method: "POST", path: one + "/state", as: "program_manager",
				body: `{"state": "awaiting_approval", "note": "Mailed to Dana"}`, status: 200,
				check: contentItemIs(func(t *testing.T, c contentAPIItem) {
					if c.State != "awaiting_approval" || c.ExpiresOn != "" {
						t.Errorf("sent for approval: %+v", c)
					}
				})},
			{name: "approve", method: "POST", path: one + "/state", as: "program_manager",
				body:   `{"state": "Approved for external use", "method": "mail", "approved_by": "Dana Park, VP Marketing", "note": "Her mail of 3 March"}`,
				status: 200, check: contentItemIs(func(t *testing.T, c contentAPIItem) {
					want := vouch.ConsentExpiry(f.srv.DB.Today(), vouch.DefaultConsentMonths).String()
					if c.State != "approved_external" || c.ApprovedBy != "Dana Park, VP Marketing" || c.ExpiresOn != want {
						t.Errorf("approved: %+v, want expiry %s", c, want)
					}
				})},
			{name: "no way back to draft", method: "POST", path: one + "/state", as: "program_manager",
				body: `{"state": "draft"}`, status: 400, fields: []string{"state"}, want: []string{"cannot become draft"}},
			{name: "a seller reads it", method: "GET", path: one, as: "seller", status: 200, want: []string{`"state":"approved_external"`}},
			{name: "a viewer reads the history without notes", method: "GET", path: one + "/history", as: "viewer", status: 200,
				want: []string{`"approved_by":"Dana Park, VP Marketing"`, `"note":""`}},
			{name: "the team reads the notes", method: "GET", path: one + "/history", as: "team_member", status: 200,
				want: []string{"Her mail of 3 March", "Mailed to Dana"}},
			{name: "facet by an unknown name", method: "GET", path: "/api/v1/content?industry=Helthcare", as: "seller",
				status: 400, fields: []string{"industry"}},
			{name: "bad parameters", method: "GET", path: "/api/v1/content?sort=best&include_expired=maybe&account_id=x",
				as: "seller", offSpec: true, status: 400, fields: []string{"sort", "include_expired", "account_id"}},
			{name: "the expiring list is the team's", method: "GET", path: "/api/v1/content/expiring", as: "seller", status: 403},
			{name: "nothing expires within 30 days", method: "GET", path: "/api/v1/content/expiring", as: "team_member",
				status: 200, want: []string{`"total":0`}},
			{name: "days out of range", method: "GET", path: "/api/v1/content/expiring?days=0", as: "team_member",
				offSpec: true, status: 400, fields: []string{"days"}},
		})
		var types page[struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}]
		f.get(t, "seller", "/api/v1/taxonomies/content_type", &types)
		typeID := int64(0)
		for _, v := range types.Items {
			if v.Name == "Case study" {
				typeID = v.ID
			}
		}
		f.get(t, "seller", fmt.Sprintf("/api/v1/content?q=reporting&industry=Healthcare&content_type=%d&account_id=%d",
			typeID, item.Accounts[0].ID), &seen)
		if seen.Total != 1 || seen.Items[0].ID != item.ID {
			t.Fatalf("a seller does not find the approved item by its words and facets: %+v", seen)
		}
		for _, fv := range seen.Facets["industry"] {
			if (fv.Name == "Healthcare") != (fv.Count == 1 && fv.Selected) {
				t.Errorf("industry facet: %+v", seen.Facets["industry"])
			}
		}
		var expiring page[struct {
			Item     contentAPIItem `json:"item"`
			DaysLeft int            `json:"days_left"`
		}]
		f.run(t, []scenario{{name: "renew with a near expiry", method: "POST", path: one + "/state", as: "program_manager",
			body:   fmt.Sprintf(`{"state": "approved_external", "method": "document", "approved_by": "Dana Park", "expires_on": %q}`, f.srv.DB.Today().AddDays(10)),
			status: http.StatusOK}})
		f.get(t, "program_manager", "/api/v1/content/expiring?days=30", &expiring)
		if expiring.Total != 1 || expiring.Items[0].DaysLeft != 10 || expiring.Items[0].Item.ID != item.ID {
			t.Errorf("expiring: %+v", expiring)
		}
		// Eleven days on, consent has ended: hidden from a seller's search
		// unless asked for, and marked expired wherever it shows.
		f.srv.DB.Clock.Set(time.Now().Add(11 * 24 * time.Hour))
		f.get(t, "seller", "/api/v1/content?q=reporting", &seen)
		if seen.Total != 0 {
			t.Errorf("a seller finds expired content by default: %+v", seen.Items)
		}
		f.get(t, "seller", "/api/v1/content?q=reporting&include_expired=true", &seen)
		if seen.Total != 1 || seen.Items[0].State != "expired" {
			t.Errorf("a seller asking for expired content: %+v", seen.Items)
		}
		f.run(t, []scenario{
			{name: "an expired item reads as expired", method: "GET", path: one, as: "seller", status: 200,
				want: []string{`"state":"expired"`}},
			{name: "withdrawing needs a reason", method: "POST", path: one + "/state", as: "program_manager",
				body: `{"state": "withdrawn"}`, status: 400, fields: []string{"note"}},
			{name: "withdraw", method: "POST", path: one + "/state", as: "program_manager",
				body: `{"state": "withdrawn", "note": "Dana left Acme"}`, status: 200},
			{name: "withdrawn is hidden from sellers", method: "GET", path: one, as: "seller", status: 404},
			{name: "a seller may not delete", method: "DELETE", path: one, as: "seller", status: 403},
			{name: "delete", method: "DELETE", path: one, as: "program_manager", status: 204},
			{name: "gone", method: "GET", path: one, as: "program_manager", status: 404},
		})
	})
}
