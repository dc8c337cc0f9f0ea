package api_test

import (
	"slices"
	"strings"
	"testing"
)

// accountPage is a page of accounts with the facet counts.
type accountPage struct {
	Items []struct {
		Name       string `json:"name"`
		References int    `json:"references"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
	Total      int    `json:"total"`
	Facets     map[string][]struct {
		Name     string `json:"name"`
		Count    int    `json:"count"`
		Selected bool   `json:"selected"`
	} `json:"facets"`
}

// accountsFound checks a page lists exactly these accounts, in this order.
func accountsFound(names ...string) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var p accountPage
		r.decode(t, &p)
		var got []string
		for _, a := range p.Items {
			got = append(got, a.Name)
		}
		if !slices.Equal(got, names) || p.Total != len(names) {
			t.Errorf("accounts %v of %d, want %v", got, p.Total, names)
		}
	}
}

func TestAccountSearch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		seedReferences(t, f) // Acme Health, Mercy Clinics (Healthcare), Globe Bank, Shopwell Stores, Quiet Corp
		f.run(t, []scenario{
			{name: "industry", method: "GET", path: "/api/v1/accounts?industry=healthcare", as: "seller", status: 200,
				check: accountsFound("Acme Health", "Mercy Clinics")},
			{name: "industry and region", method: "GET", path: "/api/v1/accounts?industry=Healthcare&region=emea", as: "seller",
				status: 200, check: accountsFound("Acme Health")},
			{name: "by name", method: "GET", path: "/api/v1/accounts?sort=name", as: "seller", status: 200,
				check: accountsFound("Acme Health", "Globe Bank", "Mercy Clinics", "Quiet Corp", "Shopwell Stores")},
			{name: "most references first", method: "GET", path: "/api/v1/accounts?sort=references", as: "seller", status: 200,
				check: accountsFound("Acme Health", "Shopwell Stores", "Globe Bank", "Mercy Clinics", "Quiet Corp")},
			{name: "misspelt industry", method: "GET", path: "/api/v1/accounts?industry=Heathcare", as: "seller", status: 400,
				fields: []string{"industry"}, want: []string{`did you mean \"Healthcare\"?`}},
			{name: "unknown health", method: "GET", path: "/api/v1/accounts?health=great", as: "seller", status: 400,
				fields: []string{"health"}, want: []string{"good, fair, poor"}},
			{name: "unknown sort", method: "GET", path: "/api/v1/accounts?sort=colour", as: "seller", offSpec: true, status: 400,
				fields: []string{"sort"}},
			{name: "unknown facet", method: "GET", path: "/api/v1/accounts?facets=colour", as: "seller", offSpec: true, status: 400,
				fields: []string{"facets"}},
			{name: "facets ignore their own selection; sizes smallest first", method: "GET",
				path: "/api/v1/accounts?industry=Healthcare&facets=industry,company_size,region", as: "seller", status: 200,
				check: func(t *testing.T, r response) {
					var p accountPage
					r.decode(t, &p)
					got := map[string]string{}
					for facet, vals := range p.Facets {
						var s []string
						for _, v := range vals {
							s = append(s, v.Name)
							if v.Selected {
								s[len(s)-1] += "*"
							}
						}
						got[facet] = strings.Join(s, ", ")
					}
					want := map[string]string{"industry": "Financial Services, Healthcare*, Retail",
						"company_size": "51–200, 1,001–5,000", "region": "North America, EMEA"}
					for facet, w := range want {
						if got[facet] != w {
							t.Errorf("facet %s: %q, want %q", facet, got[facet], w)
						}
					}
				}},
		})
		// Pages of a sorted list read on without overlap.
		var names []string
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			var p accountPage
			f.get(t, "seller", "/api/v1/accounts?sort=name&limit=2&cursor="+cursor, &p)
			for _, a := range p.Items {
				names = append(names, a.Name)
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if want := []string{"Acme Health", "Globe Bank", "Mercy Clinics", "Quiet Corp", "Shopwell Stores"}; !slices.Equal(names, want) {
			t.Errorf("pages by name: %v, want %v", names, want)
		}
	})
}
