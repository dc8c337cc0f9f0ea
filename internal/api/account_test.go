package api_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// accountItem is an Account as the API answers it.
type accountItem struct {
	ID            int64   `json:"id"`
	Name          string  `json:"name"`
	Domain        string  `json:"domain"`
	Industry      *string `json:"industry"`
	Region        *string `json:"region"`
	Country       *string `json:"country"`
	Segment       *string `json:"segment"`
	CompanySize   *string `json:"company_size"`
	CRMID         string  `json:"crm_id"`
	Owner         *struct{ Email string }
	CSM           string   `json:"csm"`
	Health        string   `json:"health"`
	NPS           *int     `json:"nps"`
	CustomerSince *string  `json:"customer_since"`
	Products      []string `json:"products"`
	Notes         string   `json:"notes"`
	Version       int      `json:"version"`
	References    int      `json:"references"`
}

func account(check func(t *testing.T, a accountItem)) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var a accountItem
		r.decode(t, &a)
		check(t, a)
	}
}

func TestAccounts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		var acme accountItem
		f.run(t, []scenario{
			{name: "seller may not create", method: "POST", path: "/api/v1/accounts", as: "seller",
				body: `{"name": "Acme Health"}`, status: 403},
			{name: "create, names in any case", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": " Acme   Health ", "domain": "https://www.Acme-Health.example/about", "industry": "healthcare",
					"region": "emea", "country": "germany", "segment": "ENTERPRISE", "company_size": "1,001-5,000",
					"products": ["analytics", "Mobile"], "owner_email": "program_manager@example.com", "health": "Good",
					"nps": 42, "customer_since": "2020-03-01", "crm_id": "ACC-1", "csm": "Ingrid Berg", "notes": "Flagship"}`,
				status: 201, check: account(func(t *testing.T, a accountItem) {
					acme = a
					got := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%v|%s|%s|%d|%s|%d|%d",
						a.Name, a.Domain, *a.Industry, *a.Region, *a.Country, *a.Segment, *a.CompanySize, a.Products,
						a.Owner.Email, a.Health, *a.NPS, *a.CustomerSince, a.Version, a.References)
					want := "Acme Health|acme-health.example|Healthcare|EMEA|Germany|Enterprise|1,001–5,000|[Analytics Mobile]|" +
						"program_manager@example.com|good|42|2020-03-01|1|0"
					if got != want {
						t.Errorf("created\n got %s\nwant %s", got, want)
					}
				})},
			{name: "misspelt industry", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Mercy Clinics", "industry": "Helthcare", "products": ["Teleport"]}`, status: 400,
				fields: []string{"industry", "products"}, want: []string{`did you mean \"Healthcare\"?`}},
			{name: "no name", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"domain": "mercy.example"}`, offSpec: true, status: 400, fields: []string{"name"}},
			{name: "bad fields", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body:   `{"name": "Mercy Clinics", "domain": "not a domain", "health": "great", "owner_email": "nobody@example.com"}`,
				status: 400, fields: []string{"domain", "health", "owner_email"}},
			{name: "nps out of range", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Mercy Clinics", "nps": 200}`, offSpec: true, status: 400, fields: []string{"nps"}},
			{name: "duplicate CRM id", method: "POST", path: "/api/v1/accounts", as: "program_manager",
				body: `{"name": "Mercy Clinics", "crm_id": "ACC-1"}`, status: 409, fields: []string{"crm_id"}},
		})
		if acme.ID == 0 {
			t.Fatal("no account created")
		}
		for i := 1; i <= 11; i++ {
			if err := f.srv.DB.CreateAccount(seedCtx, &vouch.Account{Name: fmt.Sprintf("Test Account %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		path := fmt.Sprintf("/api/v1/accounts/%d", acme.ID)
		maya := &vouch.Reference{AccountID: acme.ID, Name: "Maya Okafor"}
		if err := f.srv.DB.CreateReference(seedCtx, maya); err != nil {
			t.Fatal(err)
		}
		mayaPath := fmt.Sprintf("/api/v1/references/%d", maya.ID)

		t.Run("pages", func(t *testing.T) {
			var ids []int64
			cursor := ""
			for pages := 1; ; pages++ {
				var p page[accountItem]
				f.get(t, "seller", "/api/v1/accounts?limit=5&cursor="+cursor, &p)
				if p.Total != 12 {
					t.Fatalf("total %d, want 12", p.Total)
				}
				for _, a := range p.Items {
					ids = append(ids, a.ID)
				}
				if p.NextCursor == "" {
					break
				}
				if pages > 5 {
					t.Fatal("too many pages")
				}
				cursor = p.NextCursor
			}
			if len(ids) != 12 || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != 12 {
				t.Errorf("pages of 5 gave ids %v, want 12 in order", ids)
			}
		})

		f.run(t, []scenario{
			{name: "search by name", method: "GET", path: "/api/v1/accounts?q=ACME", as: "team_member", status: 200,
				want: []string{`"total":1`, `"name":"Acme Health"`, `"references":1`}},
			{name: "search by domain", method: "GET", path: "/api/v1/accounts?q=health.example", as: "team_member", status: 200,
				want: []string{`"total":1`}},
			{name: "one", method: "GET", path: path, as: "team_member", status: 200, want: []string{`"references":1`}},
			{name: "missing", method: "GET", path: "/api/v1/accounts/999999", as: "seller", status: 404},
			{name: "viewer may not list", method: "GET", path: "/api/v1/accounts", as: "viewer", status: 403},
			{name: "viewer may not read", method: "GET", path: path, as: "viewer", status: 403},
			{name: "version is required", method: "PATCH", path: path, as: "program_manager", body: `{"notes": "x"}`,
				offSpec: true, status: 400, fields: []string{"version"}},
			{name: "seller may not change", method: "PATCH", path: path, as: "seller", body: `{"version": 1, "notes": "x"}`, status: 403},
			{name: "change", method: "PATCH", path: path, as: "program_manager",
				body:   `{"version": 1, "name": "Acme Health Group", "industry": null, "nps": null, "notes": "Renewed"}`,
				status: 200, check: account(func(t *testing.T, a accountItem) {
					if a.Name != "Acme Health Group" || a.Industry != nil || a.NPS != nil || a.Notes != "Renewed" || a.Version != 2 ||
						*a.Region != "EMEA" || !slices.Equal(a.Products, []string{"Analytics", "Mobile"}) {
						t.Errorf("after the change: %+v", a)
					}
				})},
			{name: "the same version again is a conflict", method: "PATCH", path: path, as: "team_member",
				body: `{"version": 1, "notes": "Churned"}`, status: 409, fields: []string{"version"},
				want: []string{"Someone else saved this account"}},
			{name: "the first change stays", method: "GET", path: path, as: "team_member", status: 200,
				want: []string{`"notes":"Renewed"`, `"version":2`}},
			{name: "its references show the new name", method: "GET", path: mayaPath, as: "team_member", status: 200,
				want: []string{`"account":{"id":` + fmt.Sprint(acme.ID) + `,"name":"Acme Health Group"}`, `"industry":null`}},
			{name: "seller may not delete", method: "DELETE", path: path, as: "seller", status: 403},
			{name: "an account with references stays", method: "DELETE", path: path, as: "program_manager", status: 409,
				want: []string{`"code":"conflict"`, "still has 1 reference"}},
			{name: "delete its reference", method: "DELETE", path: mayaPath, as: "program_manager", status: 204},
			{name: "then the account", method: "DELETE", path: path, as: "program_manager", status: 204},
			{name: "gone", method: "GET", path: path, as: "seller", status: 404},
		})
	})
}
