package api_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/vouch"
)

// refItem is the part of a ReferenceItem the tests look at.
type refItem struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Title     string   `json:"title"`
	Seniority string   `json:"seniority"`
	Email     string   `json:"email"`
	Languages []string `json:"languages"`
	Account   struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"account"`
	Industry            *string  `json:"industry"`
	Region              *string  `json:"region"`
	Country             *string  `json:"country"`
	Segment             *string  `json:"segment"`
	CompanySize         *string  `json:"company_size"`
	Products            []string `json:"products"`
	UseCases            []string `json:"use_cases"`
	CompetitorsReplaced []string `json:"competitors_replaced"`
	Activities          []struct {
		Type        string  `json:"type"`
		ConsentedOn *string `json:"consented_on"`
	} `json:"activities"`
	GoLive *string `json:"go_live"`
	Owner  *struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
		Name  string `json:"name"`
	} `json:"owner"`
	LastVerified *string `json:"last_verified"`
	Stale        bool    `json:"stale"`
	Status       string  `json:"status"`
	StatusReason string  `json:"status_reason"`
	RestingUntil *string `json:"resting_until"`
	Capacity     struct {
		Max      int     `json:"max"`
		Used     int     `json:"used"`
		NextFree *string `json:"next_free"`
	} `json:"capacity"`
	CapacityOverride *int `json:"capacity_override"`
	Version          int  `json:"version"`
}

// refPage is a page of references with the facet counts.
type refPage struct {
	Items      []refItem `json:"items"`
	NextCursor string    `json:"next_cursor"`
	Total      int       `json:"total"`
	Facets     map[string][]struct {
		Name     string `json:"name"`
		Count    int    `json:"count"`
		Selected bool   `json:"selected"`
	} `json:"facets"`
}

func (p refPage) names() []string {
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it.Name)
	}
	return out
}

// facet returns a facet's counts as "name=count" for the values counted,
// with a * after selected ones.
func (p refPage) facet(name string) []string {
	var out []string
	for _, v := range p.Facets[name] {
		if v.Count == 0 && !v.Selected {
			continue
		}
		s := fmt.Sprintf("%s=%d", v.Name, v.Count)
		if v.Selected {
			s += "*"
		}
		out = append(out, s)
	}
	return out
}

var seedCtx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

// seed is a small program whose every search result is known.
type seed struct {
	accounts map[string]*vouch.Account   // by name
	refs     map[string]*vouch.Reference // by first name
}

func (s *seed) path(first string, suffix ...string) string {
	return fmt.Sprintf("/api/v1/references/%d", s.refs[first].ID) + strings.Join(suffix, "")
}

// seedReferences adds four accounts (and one without references) and six
// references across industries, regions, statuses and capacity.
func seedReferences(t *testing.T, f *fixture) *seed {
	t.Helper()
	db := f.srv.DB
	val := func(kind vouch.TaxonomyKind, name string) int64 { return findValue(t, db, kind, name).ID }
	today := db.Today()
	s := &seed{accounts: map[string]*vouch.Account{}, refs: map[string]*vouch.Reference{}}
	for _, a := range []*vouch.Account{
		{Name: "Acme Health", IndustryID: val(vouch.TaxIndustry, "Healthcare"), RegionID: val(vouch.TaxRegion, "EMEA"),
			CountryID: val(vouch.TaxCountry, "Germany"), SegmentID: val(vouch.TaxSegment, "Enterprise"),
			SizeID: val(vouch.TaxCompanySize, "1,001–5,000")},
		{Name: "Mercy Clinics", IndustryID: val(vouch.TaxIndustry, "Healthcare"), RegionID: val(vouch.TaxRegion, "North America"),
			SizeID: val(vouch.TaxCompanySize, "51–200")},
		{Name: "Globe Bank", IndustryID: val(vouch.TaxIndustry, "Financial Services"), RegionID: val(vouch.TaxRegion, "North America")},
		{Name: "Shopwell Stores", IndustryID: val(vouch.TaxIndustry, "Retail"), RegionID: val(vouch.TaxRegion, "EMEA")},
		{Name: "Quiet Corp"},
	} {
		if err := db.CreateAccount(seedCtx, a); err != nil {
			t.Fatal(err)
		}
		s.accounts[a.Name] = a
	}
	one := 1
	call, study := val(vouch.TaxActivityType, "Call"), val(vouch.TaxActivityType, "Case study")
	for _, r := range []*vouch.Reference{
		{AccountID: s.accounts["Acme Health"].ID, Name: "Maya Okafor", Title: "Chief Information Officer", Seniority: "executive",
			Status: vouch.StatusActive, Email: "maya@acme.example", Languages: []string{"German", "English"},
			ProductIDs: []int64{val(vouch.TaxProduct, "Analytics")}, OwnerID: f.users["program_manager"].ID,
			Activities: []vouch.AgreedActivity{{TypeID: call, ConsentedOn: vouch.NewDate(2026, 1, 5)}},
			Story:      "Moved the hospital group to the cloud; the zeppelin project.", LastVerified: today},
		{AccountID: s.accounts["Acme Health"].ID, Name: "Jonas Lindqvist", Title: "Data Engineer", Seniority: "practitioner",
			Status:     vouch.StatusActive,
			ProductIDs: []int64{val(vouch.TaxProduct, "Automation"), val(vouch.TaxProduct, "Analytics")},
			Activities: []vouch.AgreedActivity{{TypeID: call}, {TypeID: study}}, CapacityOverride: &one,
			LastVerified: today.AddDays(-730)},
		{AccountID: s.accounts["Mercy Clinics"].ID, Name: "Priya Raman", Title: "Director of IT", Seniority: "director",
			Status: vouch.StatusNominated, ProductIDs: []int64{val(vouch.TaxProduct, "Security")},
			Story: "Migrating clinics to the cloud.", LastVerified: today},
		{AccountID: s.accounts["Globe Bank"].ID, Name: "Diego Alvarez", Title: "VP of Engineering", Seniority: "executive",
			Status: vouch.StatusDoNotContact, StatusReason: "Asked not to be contacted",
			CompetitorIDs: []int64{val(vouch.TaxCompetitor, "Globex")}, LastVerified: today},
		{AccountID: s.accounts["Shopwell Stores"].ID, Name: "Aisha Haddad", Title: "Operations Manager", Seniority: "manager",
			Status: vouch.StatusResting, RestingUntil: today.AddDays(30), ProductIDs: []int64{val(vouch.TaxProduct, "Mobile")},
			LastVerified: today},
		{AccountID: s.accounts["Shopwell Stores"].ID, Name: "Tom Becker", Title: "IT Manager", Seniority: "manager",
			Status: vouch.StatusRetired, StatusReason: "Left the company"},
	} {
		if err := db.CreateReference(seedCtx, r); err != nil {
			t.Fatal(err)
		}
		s.refs[strings.Fields(r.Name)[0]] = r
	}
	// Jonas may do one activity per 90 days and did one today.
	if err := db.LogActivity(seedCtx, &vouch.Activity{ReferenceID: s.refs["Jonas"].ID, TypeID: call, OccurredOn: today}); err != nil {
		t.Fatal(err)
	}
	return s
}

// found checks a page lists exactly these references, in this order, and
// that total counts them.
func found(names ...string) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var p refPage
		r.decode(t, &p)
		if !slices.Equal(p.names(), names) || p.Total != len(names) {
			t.Errorf("found %v (total %d), want %v", p.names(), p.Total, names)
		}
	}
}

func refsPath(params ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		q.Add(params[i], params[i+1])
	}
	if len(q) == 0 {
		return "/api/v1/references"
	}
	return "/api/v1/references?" + q.Encode()
}

func TestReferenceSearch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		s := seedReferences(t, f)
		all := []string{"Aisha Haddad", "Diego Alvarez", "Jonas Lindqvist", "Maya Okafor", "Priya Raman", "Tom Becker"}
		acme := fmt.Sprint(s.accounts["Acme Health"].ID)

		// Searches as the program team, who see every reference; what a
		// seller sees is in TestSellerSight.
		f.run(t, []scenario{
			{name: "everything, by name", method: "GET", path: refsPath(), as: "team_member", status: 200, check: found(all...)},
			{name: "industry in lower case", method: "GET", path: refsPath("industry", "healthcare"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Maya Okafor", "Priya Raman")},
			{name: "industry repeated is either", method: "GET", path: refsPath("industry", "Healthcare", "industry", "RETAIL"),
				as: "team_member", status: 200, check: found("Aisha Haddad", "Jonas Lindqvist", "Maya Okafor", "Priya Raman", "Tom Becker")},
			{name: "industry comma-separated is either", method: "GET", path: refsPath("industry", "Healthcare, retail"),
				as: "team_member", status: 200, check: found("Aisha Haddad", "Jonas Lindqvist", "Maya Okafor", "Priya Raman", "Tom Becker")},
			{name: "a size with commas, typed with a hyphen", method: "GET", path: refsPath("company_size", "1,001-5,000"),
				as: "team_member", status: 200, check: found("Jonas Lindqvist", "Maya Okafor")},
			{name: "two sizes with commas", method: "GET", path: refsPath("company_size", "1,001–5,000,51–200"),
				as: "team_member", status: 200, check: found("Jonas Lindqvist", "Maya Okafor", "Priya Raman")},
			{name: "different filters all apply", method: "GET", path: refsPath("region", "emea", "product", "ANALYTICS"),
				as: "team_member", status: 200, check: found("Jonas Lindqvist", "Maya Okafor")},
			{name: "misspelt industry", method: "GET", path: refsPath("industry", "Heathcare"), as: "team_member", status: 400,
				fields: []string{"industry"}, want: []string{`"code":"invalid"`, `did you mean \"Healthcare\"?`}},
			{name: "unknown industry lists the values", method: "GET", path: refsPath("industry", "Astrology"), as: "team_member",
				status: 400, fields: []string{"industry"}, want: []string{`it is one of Financial Services, Healthcare, Life Sciences`}},
			{name: "one bad value among good ones", method: "GET", path: refsPath("industry", "Retail,Heathcare"), as: "team_member",
				status: 400, fields: []string{"industry"}, want: []string{`has no value \"Heathcare\"`}},
			{name: "every bad parameter is named", method: "GET", path: refsPath("region", "Mars", "product", "Teleport", "status", "asleep"),
				as: "team_member", status: 400, fields: []string{"region", "product", "status"}},
			{name: "status", method: "GET", path: refsPath("status", "active"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Maya Okafor")},
			{name: "status by label", method: "GET", path: refsPath("status", "Do not contact"), as: "team_member", status: 200,
				check: found("Diego Alvarez")},
			{name: "statuses", method: "GET", path: refsPath("status", "active,resting"), as: "team_member", status: 200,
				check: found("Aisha Haddad", "Jonas Lindqvist", "Maya Okafor")},
			{name: "unknown status", method: "GET", path: refsPath("status", "sleeping"), as: "team_member", status: 400,
				fields: []string{"status"}, want: []string{"nominated, qualifying, active"}},
			{name: "seniority", method: "GET", path: refsPath("seniority", "Executive"), as: "team_member", status: 200,
				check: found("Diego Alvarez", "Maya Okafor")},
			{name: "unknown seniority", method: "GET", path: refsPath("seniority", "chief"), as: "team_member", status: 400,
				fields: []string{"seniority"}},
			{name: "at capacity", method: "GET", path: refsPath("has_capacity", "false"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist")},
			{name: "with capacity", method: "GET", path: refsPath("has_capacity", "true", "industry", "healthcare"), as: "team_member",
				status: 200, check: found("Maya Okafor", "Priya Raman")},
			{name: "has_capacity not a boolean", method: "GET", path: refsPath("has_capacity", "maybe"), as: "team_member",
				offSpec: true, status: 400, fields: []string{"has_capacity"}},
			{name: "stale", method: "GET", path: refsPath("verified", "false"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Tom Becker")},
			{name: "one account", method: "GET", path: refsPath("account_id", acme), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Maya Okafor")},
			{name: "unknown account", method: "GET", path: refsPath("account_id", "999999"), as: "team_member", status: 400,
				fields: []string{"account_id"}},
			{name: "owner", method: "GET", path: refsPath("owner", "Program_Manager@example.com"), as: "team_member", status: 200,
				check: found("Maya Okafor")},
			{name: "unknown owner", method: "GET", path: refsPath("owner", "nobody@example.com"), as: "team_member", status: 400,
				fields: []string{"owner"}},
			{name: "text in the story", method: "GET", path: refsPath("q", "zeppelin"), as: "team_member", status: 200,
				check: found("Maya Okafor")},
			{name: "text with a typo", method: "GET", path: refsPath("q", "zepelin"), as: "team_member", status: 200,
				check: found("Maya Okafor")},
			{name: "text stemmed", method: "GET", path: refsPath("q", "migrated"), as: "team_member", status: 200,
				check: found("Priya Raman")},
			{name: "text finds the industry", method: "GET", path: refsPath("q", "healthcare"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Maya Okafor", "Priya Raman")},
			{name: "text finds the product", method: "GET", path: refsPath("q", "Analytics"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Maya Okafor")},
			{name: "text finds the competitor", method: "GET", path: refsPath("q", "globex"), as: "team_member", status: 200,
				check: found("Diego Alvarez")},
			{name: "text finds a language before a country it begins", method: "GET", path: refsPath("q", "german"), as: "team_member",
				status: 200, check: found("Maya Okafor", "Jonas Lindqvist")},
			{name: "an empty search suggests what to remove", method: "GET", path: refsPath("q", "zeppelin", "region", "North America"),
				as: "team_member", status: 200, want: []string{`"total":0`,
					`"suggestions":[{"remove":"q","values":["zeppelin"],"total":2},{"remove":"region","values":["North America"],"total":1}]`}},
			{name: "a search that finds something suggests nothing", method: "GET", path: refsPath("q", "zeppelin"), as: "team_member",
				status: 200, check: func(t *testing.T, r response) {
					if strings.Contains(string(r.body), "suggestions") {
						t.Errorf("suggestions in %s", r.body)
					}
				}},
			{name: "text in the account's name, with a filter", method: "GET", path: refsPath("q", "acme", "seniority", "practitioner"),
				as: "team_member", status: 200, check: found("Jonas Lindqvist")},
			{name: "sort by account", method: "GET", path: refsPath("sort", "account"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Maya Okafor", "Diego Alvarez", "Priya Raman", "Aisha Haddad", "Tom Becker")},
			{name: "unknown sort", method: "GET", path: refsPath("sort", "colour"), as: "team_member", offSpec: true, status: 400,
				fields: []string{"sort"}},
			{name: "sort reversed, as the list page reads it", method: "GET", path: refsPath("sort", "name-desc"), as: "team_member", status: 200,
				check: found("Tom Becker", "Priya Raman", "Maya Okafor", "Jonas Lindqvist", "Diego Alvarez", "Aisha Haddad")},
			{name: "a sort with an unknown direction", method: "GET", path: refsPath("sort", "name-sideways"), as: "team_member", offSpec: true,
				status: 400, fields: []string{"sort"}},
			{name: "unknown facet", method: "GET", path: refsPath("facets", "colour"), as: "team_member", offSpec: true, status: 400,
				fields: []string{"facets"}},
			{name: "parameters it does not know are left for others", method: "GET", path: refsPath("colour", "red"),
				as: "team_member", status: 200, check: found(all...)},
			{name: "bad cursor", method: "GET", path: refsPath("cursor", "nonsense!"), as: "team_member", status: 400,
				fields: []string{"cursor"}},
			{name: "limit too large", method: "GET", path: refsPath("limit", "501"), as: "team_member", offSpec: true, status: 400,
				fields: []string{"limit"}},
			{name: "facets count as if their own selection were not made", method: "GET",
				path: refsPath("industry", "Healthcare", "facets", "industry,region,status,has_capacity,verified,owner,product"),
				as:   "team_member", status: 200,
				check: func(t *testing.T, r response) {
					var p refPage
					r.decode(t, &p)
					want := map[string][]string{
						"industry":     {"Financial Services=1", "Healthcare=3*", "Retail=2"},
						"region":       {"North America=1", "EMEA=2"},
						"status":       {"nominated=1", "active=2"},
						"has_capacity": {"true=2", "false=1"},
						"verified":     {"true=2", "false=1"},
						"owner":        {"program_manager@example.com=1"},
						"product":      {"Analytics=2", "Automation=1", "Security=1"},
					}
					for facet, w := range want {
						if got := p.facet(facet); !slices.Equal(got, w) {
							t.Errorf("facet %s: %v, want %v", facet, got, w)
						}
					}
					if len(p.Facets) != len(want) {
						t.Errorf("%d facets, want %d", len(p.Facets), len(want))
					}
					if n := len(p.Facets["industry"]); n != len(vouch.DefaultTaxonomies[vouch.TaxIndustry]) {
						t.Errorf("industry facet has %d values, want every industry", n)
					}
				}},
			{name: "no facets unless asked", method: "GET", path: refsPath(), as: "team_member", status: 200,
				check: func(t *testing.T, r response) {
					if strings.Contains(string(r.body), `"facets"`) {
						t.Errorf("facets without asking: %s", r.body)
					}
				}},

			{name: "one reference", method: "GET", path: s.path("Maya"), as: "seller", status: 200,
				check: func(t *testing.T, r response) {
					var it refItem
					r.decode(t, &it)
					got := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%v|%v|%s|%s|%+v|%v|%s|%s",
						it.Name, it.Account.Name, *it.Industry, *it.Region, *it.Country, *it.CompanySize, it.Products,
						it.Languages, it.Activities[0].Type, *it.Activities[0].ConsentedOn, it.Capacity, it.Stale,
						it.Owner.Email, it.Status)
					want := "Maya Okafor|Acme Health|Healthcare|EMEA|Germany|1,001–5,000|[Analytics]|[German English]|Call|2026-01-05|" +
						"{Max:3 Used:0 NextFree:<nil>}|false|program_manager@example.com|active"
					if got != want || it.Account.ID != s.accounts["Acme Health"].ID || it.Owner.ID != f.users["program_manager"].ID {
						t.Errorf("reference\n got %s\nwant %s", got, want)
					}
				}},
			{name: "a reference at capacity", method: "GET", path: s.path("Jonas"), as: "team_member", status: 200,
				check: func(t *testing.T, r response) {
					var it refItem
					r.decode(t, &it)
					next := f.srv.DB.Today().AddDays(vouch.CapacityWindowDays).String()
					if it.Capacity.Max != 1 || it.Capacity.Used != 1 || it.Capacity.NextFree == nil || *it.Capacity.NextFree != next ||
						!it.Stale || it.Owner != nil || !slices.Equal(it.Products, []string{"Analytics", "Automation"}) {
						t.Errorf("Jonas: %+v, want at capacity (1 of 1, free on %s), stale, no owner, products in display order", it, next)
					}
					if len(it.Activities) != 2 || it.Activities[1].Type != "Case study" || it.Activities[1].ConsentedOn != nil {
						t.Errorf("activities %+v", it.Activities)
					}
				}},
			{name: "a resting reference", method: "GET", path: s.path("Aisha"), as: "seller", status: 200,
				want: []string{`"status":"resting"`, `"resting_until":"` + f.srv.DB.Today().AddDays(30).String() + `"`}},
			{name: "missing reference", method: "GET", path: "/api/v1/references/999999", as: "seller", status: 404,
				want: []string{`"code":"not_found"`}},
			{name: "not an id", method: "GET", path: "/api/v1/references/abc", as: "seller", offSpec: true, status: 404},
			{name: "history", method: "GET", path: s.path("Diego", "/history"), as: "team_member", status: 200,
				want: []string{`"from":null,"to":"do_not_contact","reason":"Asked not to be contacted"`, `"actor":"test"`}},
			{name: "activities", method: "GET", path: s.path("Jonas", "/activities"), as: "seller", status: 200,
				want: []string{`"type":"Call","occurred_on":"` + f.srv.DB.Today().String() + `"`, `"total":1`}},

			{name: "viewer may not search", method: "GET", path: refsPath(), as: "viewer", status: 403},
			{name: "viewer may not read one", method: "GET", path: s.path("Maya"), as: "viewer", status: 403},
			{name: "viewer may not read history", method: "GET", path: s.path("Maya", "/history"), as: "viewer", status: 403},
			{name: "no token", method: "GET", path: refsPath(), offSpec: true, status: 401},
		})
	})
}

// item decodes a ReferenceItem and hands it to check.
func item(check func(t *testing.T, it refItem)) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var it refItem
		r.decode(t, &it)
		check(t, it)
	}
}

func TestReferenceWrites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		s := seedReferences(t, f)
		today := f.srv.DB.Today()
		var grace refItem
		f.run(t, []scenario{
			{name: "seller may not create", method: "POST", path: "/api/v1/references", as: "seller",
				body: `{"account": "Acme Health", "name": "Grace Walsh"}`, status: 403},
			{name: "create, names in any case", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "acme  HEALTH", "name": " Grace  Walsh ", "title": "CTO", "seniority": "Executive",
					"email": "Grace@Acme.example", "languages": ["English"], "products": ["security", "ANALYTICS"],
					"use_cases": ["cloud migration"], "competitors_replaced": ["initech"],
					"activities": [{"type": "call", "consented_on": "2026-01-05"}, "Case study"],
					"owner_email": "Team_Member@example.com", "go_live": "2025-06-01", "time_zone": "Europe/Berlin",
					"deployment": "Cloud", "story": "Replaced Initech.", "crm_id": "CON-1"}`,
				status: 201, check: item(func(t *testing.T, it refItem) {
					grace = it
					got := fmt.Sprintf("%s|%s|%s|%s|%v|%v|%v|%s|%s|%v|%s|%s|%d",
						it.Name, it.Email, it.Seniority, it.Account.Name, it.Products, it.UseCases, it.CompetitorsReplaced,
						it.Activities[0].Type, *it.Activities[0].ConsentedOn, it.Activities[1].ConsentedOn, it.Owner.Email,
						it.Status, it.Version)
					want := "Grace Walsh|grace@acme.example|executive|Acme Health|[Analytics Security]|[Cloud migration]|[Initech]|" +
						"Call|2026-01-05|<nil>|team_member@example.com|nominated|1"
					if got != want || *it.GoLive != "2025-06-01" || it.Activities[1].Type != "Case study" {
						t.Errorf("created\n got %s\nwant %s", got, want)
					}
				})},
			{name: "unknown names", method: "POST", path: "/api/v1/references", as: "team_member",
				body:   `{"account": "Nope Inc", "name": "X", "products": ["Analitics"], "activities": ["Dancing"], "use_cases": ["Cost reduction"]}`,
				status: 400, fields: []string{"account", "products", "activities"},
				want: []string{`“Nope Inc” is not an account yet`, `did you mean \"Analytics\"?`, `has no value \"Dancing\"`}},
			{name: "no account", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"name": "X"}`, status: 400, fields: []string{"account_id"}},
			{name: "unknown account id", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account_id": 999999, "name": "X"}`, status: 400, fields: []string{"account_id"}},
			{name: "account twice", method: "POST", path: "/api/v1/references", as: "team_member",
				body:   fmt.Sprintf(`{"account_id": %d, "account": "Globe Bank", "name": "X"}`, s.accounts["Acme Health"].ID),
				status: 400, fields: []string{"account"}},
			{name: "no name", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank"}`, offSpec: true, status: 400, fields: []string{"name"}},
			{name: "every bad field at once", method: "POST", path: "/api/v1/references", as: "team_member",
				body:    `{"account": "Globe Bank", "name": "X", "email": "not-an-email", "seniority": "chief", "time_zone": "Mars/Olympus", "capacity_override": 500}`,
				offSpec: true, status: 400, fields: []string{"email", "seniority", "time_zone", "capacity_override"}},
			{name: "a new reference is not retired", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank", "name": "X", "status": "retired", "reason": "left"}`, status: 400, fields: []string{"status"},
				want: []string{"must be nominated, qualifying or active for a new reference"}},
			{name: "a new reference is not resting", method: "POST", path: "/api/v1/references", as: "team_member",
				body:   fmt.Sprintf(`{"account": "Globe Bank", "name": "X", "status": "resting", "until": %q}`, today.AddDays(10)),
				status: 400, fields: []string{"status"}},
			{name: "create active", method: "POST", path: "/api/v1/references", as: "team_member",
				body:   `{"account": "Globe Bank", "name": "Omar Farouk", "status": "Active"}`,
				status: 201, want: []string{`"status":"active"`}},
			{name: "duplicate email", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank", "name": "X", "email": "maya@acme.example"}`, status: 409, fields: []string{"email"}},
			{name: "version is the server's", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank", "name": "X", "version": 3}`, offSpec: true, status: 400, fields: []string{"version"}},
			{name: "unknown field", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank", "name": "X", "colour": "red"}`, offSpec: true, status: 400, fields: []string{"colour"}},
			{name: "bad date", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank", "name": "X", "go_live": "01/06/2025"}`, offSpec: true, status: 400, fields: []string{"go_live"}},
			{name: "wrong type", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank", "name": "X", "products": "Analytics"}`, offSpec: true, status: 400,
				fields: []string{"products"}, want: []string{"must be an array"}},
			{name: "bad activity", method: "POST", path: "/api/v1/references", as: "team_member",
				body: `{"account": "Globe Bank", "name": "X", "activities": [{"type": "Call", "when": "now"}]}`, offSpec: true,
				status: 400, fields: []string{"activities"}},
		})
		if grace.ID == 0 {
			t.Fatal("no reference created")
		}
		path := fmt.Sprintf("/api/v1/references/%d", grace.ID)
		unchanged := func(title string, version int) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				var it refItem
				f.get(t, "team_member", path, &it)
				if it.Title != title || it.Version != version {
					t.Errorf("after a refused change: title %q version %d, want %q %d", it.Title, it.Version, title, version)
				}
			}
		}
		f.run(t, []scenario{
			{name: "version is required", method: "PATCH", path: path, as: "team_member", body: `{"title": "CIO"}`,
				offSpec: true, status: 400, fields: []string{"version"}},
			{name: "seller may not change", method: "PATCH", path: path, as: "seller", body: `{"version": 1, "title": "CIO"}`, status: 403},
			{name: "change one field", method: "PATCH", path: path, as: "team_member", body: `{"version": 1, "title": "CIO"}`,
				status: 200, check: item(func(t *testing.T, it refItem) {
					if it.Title != "CIO" || it.Version != 2 || !slices.Equal(it.Products, grace.Products) || it.Owner == nil {
						t.Errorf("after the change: %+v", it)
					}
				})},
			{name: "the same version again is a conflict", method: "PATCH", path: path, as: "program_manager",
				body: `{"version": 1, "title": "CEO"}`, status: 409, fields: []string{"version"},
				want: []string{`"code":"conflict"`, "Someone else saved this reference"}, check: unchanged("CIO", 2)},
			{name: "a move the lifecycle does not allow changes nothing", method: "PATCH", path: path, as: "team_member",
				body: `{"version": 2, "title": "CEO", "status": "active"}`, status: 400, fields: []string{"status"},
				want:  []string{"A nominated reference cannot become active; it can become Qualifying, Retired, Do not contact."},
				check: unchanged("CIO", 2)},
			{name: "reason without status", method: "PATCH", path: path, as: "team_member",
				body: `{"version": 2, "reason": "why not"}`, status: 400, fields: []string{"reason"}},
			{name: "misspelt product", method: "PATCH", path: path, as: "team_member",
				body: `{"version": 2, "products": ["Secruity"]}`, status: 400, fields: []string{"products"}, //nolint:misspell // the typo is the input under test
				want: []string{`did you mean \"Security\"?`}},
			{name: "qualify", method: "PATCH", path: path, as: "team_member", body: `{"version": 2, "status": "qualifying"}`,
				status: 200, want: []string{`"status":"qualifying"`, `"version":3`}},
			{name: "retire without a reason", method: "PATCH", path: path, as: "team_member",
				body: `{"version": 3, "status": "retired"}`, status: 400, fields: []string{"reason"}, check: unchanged("CIO", 3)},
			{name: "activate and change fields together", method: "PATCH", path: path, as: "team_member",
				body:   `{"version": 3, "status": "active", "activities": ["Call"], "owner_email": null, "capacity_override": 1, "go_live": null}`,
				status: 200, check: item(func(t *testing.T, it refItem) {
					if it.Status != "active" || it.Version != 5 || it.Owner != nil || it.GoLive != nil || it.Capacity.Max != 1 ||
						len(it.Activities) != 1 || it.Activities[0].ConsentedOn == nil || *it.Activities[0].ConsentedOn != "2026-01-05" {
						t.Errorf("after the change: %+v (want active, version 5, no owner, no go-live, capacity 1, Call consented 2026-01-05)", it)
					}
				})},
			{name: "rest until a past day", method: "PATCH", path: path, as: "team_member",
				body: `{"version": 5, "status": "resting", "until": "2020-01-01"}`, status: 400, fields: []string{"until"}},
			{name: "rest", method: "PATCH", path: path, as: "team_member",
				body:   fmt.Sprintf(`{"version": 5, "status": "resting", "until": %q, "reason": "Busy quarter"}`, today.AddDays(14)),
				status: 200, want: []string{`"status":"resting"`, `"resting_until":"` + today.AddDays(14).String() + `"`}},
			{name: "history", method: "GET", path: path + "/history", as: "team_member", status: 200,
				check: func(t *testing.T, r response) {
					var p page[struct {
						From   *string `json:"from"`
						To     string  `json:"to"`
						Reason string  `json:"reason"`
						Actor  string  `json:"actor"`
					}]
					r.decode(t, &p)
					var got []string
					for _, e := range p.Items {
						from := "-"
						if e.From != nil {
							from = *e.From
						}
						got = append(got, from+">"+e.To+" "+e.Reason+" by "+e.Actor)
					}
					want := []string{"->nominated  by team_member@example.com",
						"nominated>qualifying  by team_member@example.com",
						"qualifying>active  by team_member@example.com",
						"active>resting Busy quarter by team_member@example.com"}
					if !slices.Equal(got, want) || p.Total != 4 {
						t.Errorf("history\n got %q\nwant %q", got, want)
					}
				}},

			{name: "seller may not log an activity", method: "POST", path: path + "/activities", as: "seller",
				body: `{"type": "Call", "occurred_on": "2026-01-10"}`, status: 403},
			{name: "log an activity", method: "POST", path: path + "/activities", as: "program_manager",
				body:   fmt.Sprintf(`{"type": "call", "occurred_on": %q, "notes": " Talked to Initech's CIO "}`, today.AddDays(-2)),
				status: 201, want: []string{`"type":"Call"`, `"notes":"Talked to Initech's CIO"`, fmt.Sprintf(`"reference_id":%d`, grace.ID)}},
			{name: "the activity uses the capacity", method: "GET", path: path, as: "team_member", status: 200,
				check: item(func(t *testing.T, it refItem) {
					next := today.AddDays(-2 + vouch.CapacityWindowDays).String()
					if it.Capacity.Used != 1 || it.Capacity.Max != 1 || it.Capacity.NextFree == nil || *it.Capacity.NextFree != next {
						t.Errorf("capacity %+v, want 1 of 1 used, next free %s", it.Capacity, next)
					}
				})},
			{name: "and searches see it", method: "GET", path: refsPath("has_capacity", "false"), as: "team_member", status: 200,
				check: found("Grace Walsh", "Jonas Lindqvist")},
			{name: "activities", method: "GET", path: path + "/activities", as: "team_member", status: 200,
				want: []string{`"total":1`, `"type":"Call"`}},
			{name: "unknown activity type", method: "POST", path: path + "/activities", as: "program_manager",
				body: `{"type": "Dancing", "occurred_on": "2026-01-10"}`, status: 400, fields: []string{"type"}},
			{name: "activity without a day", method: "POST", path: path + "/activities", as: "program_manager",
				body: `{"type": "Call"}`, offSpec: true, status: 400, fields: []string{"occurred_on"}},
			{name: "activity of a missing reference", method: "POST", path: "/api/v1/references/999999/activities", as: "program_manager",
				body: `{"type": "Call", "occurred_on": "2026-01-10"}`, status: 404},

			{name: "bulk: seller may not", method: "POST", path: "/api/v1/references/bulk", as: "seller",
				body: fmt.Sprintf(`{"ids": [%d], "action": "verified"}`, s.refs["Jonas"].ID), status: 403},
			{name: "bulk status skips what the lifecycle does not allow", method: "POST", path: "/api/v1/references/bulk",
				as: "team_member", body: fmt.Sprintf(`{"ids": [%d, %d, 999999], "action": "status", "status": "qualifying"}`,
					s.refs["Priya"].ID, s.refs["Maya"].ID),
				status: 200, check: func(t *testing.T, r response) {
					var res struct {
						Changed []int64 `json:"changed"`
						Skipped []struct {
							ID     int64  `json:"id"`
							Reason string `json:"reason"`
						} `json:"skipped"`
					}
					r.decode(t, &res)
					if !slices.Equal(res.Changed, []int64{s.refs["Priya"].ID}) || len(res.Skipped) != 2 ||
						res.Skipped[0].ID != s.refs["Maya"].ID || !strings.Contains(res.Skipped[0].Reason, "cannot become qualifying") ||
						res.Skipped[1].ID != 999999 || !strings.Contains(res.Skipped[1].Reason, "not found") {
						t.Errorf("bulk result %+v", res)
					}
				}},
			{name: "bulk: the moved one moved, the skipped one did not", method: "GET", path: refsPath("status", "qualifying"),
				as: "team_member", status: 200, check: found("Priya Raman")},
			{name: "bulk retire without a reason refuses all", method: "POST", path: "/api/v1/references/bulk", as: "team_member",
				body:   fmt.Sprintf(`{"ids": [%d], "action": "status", "status": "retired"}`, s.refs["Maya"].ID),
				status: 400, fields: []string{"reason"}},
			{name: "bulk owner", method: "POST", path: "/api/v1/references/bulk", as: "team_member",
				body:   fmt.Sprintf(`{"ids": [%d, %d], "action": "owner", "owner_email": "seller@example.com"}`, s.refs["Maya"].ID, s.refs["Jonas"].ID),
				status: 200, want: []string{fmt.Sprintf(`"changed":[%d,%d]`, s.refs["Maya"].ID, s.refs["Jonas"].ID), `"skipped":[]`}},
			{name: "bulk: owner set", method: "GET", path: refsPath("owner", "seller@example.com"), as: "team_member", status: 200,
				check: found("Jonas Lindqvist", "Maya Okafor")},
			{name: "bulk verified", method: "POST", path: "/api/v1/references/bulk", as: "team_member",
				body: fmt.Sprintf(`{"ids": [%d], "action": "verified"}`, s.refs["Jonas"].ID), status: 200},
			{name: "bulk: verified today", method: "GET", path: s.path("Jonas"), as: "team_member", status: 200,
				want: []string{`"last_verified":"` + today.String() + `"`, `"stale":false`}},
			{name: "bulk unknown owner", method: "POST", path: "/api/v1/references/bulk", as: "team_member",
				body:   fmt.Sprintf(`{"ids": [%d], "action": "owner", "owner_email": "nobody@example.com"}`, s.refs["Jonas"].ID),
				status: 400, fields: []string{"owner_email"}},
			{name: "bulk field of another action", method: "POST", path: "/api/v1/references/bulk", as: "team_member",
				body:   fmt.Sprintf(`{"ids": [%d], "action": "verified", "status": "active"}`, s.refs["Jonas"].ID),
				status: 400, fields: []string{"status"}},
			{name: "bulk unknown action", method: "POST", path: "/api/v1/references/bulk", as: "team_member",
				body: fmt.Sprintf(`{"ids": [%d], "action": "paint"}`, s.refs["Jonas"].ID), offSpec: true, status: 400, fields: []string{"action"}},
			{name: "bulk without ids", method: "POST", path: "/api/v1/references/bulk", as: "team_member",
				body: `{"ids": [], "action": "verified"}`, offSpec: true, status: 400, fields: []string{"ids"}},

			{name: "seller may not delete", method: "DELETE", path: path, as: "seller", status: 403},
			{name: "delete", method: "DELETE", path: path, as: "team_member", status: 204},
			{name: "gone", method: "GET", path: path, as: "team_member", status: 404},
			{name: "gone from searches", method: "GET", path: refsPath("q", "grace"), as: "team_member", status: 200, check: found()},
			{name: "its history is gone", method: "GET", path: path + "/history", as: "seller", status: 404},
			{name: "delete again", method: "DELETE", path: path, as: "team_member", status: 404},
		})
	})
}

// TestReferencePaging pages through a demo program: the pages together are
// the whole result in order, each reference once, and facet counts agree
// with the data and with the filters they stand for.
func TestReferencePaging(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		db := f.srv.DB
		if _, err := demo.Load(seedCtx, db, demo.Options{Seed: 7, References: 150, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		for _, search := range [][]string{
			{},
			{"sort", "account"},
			{"sort", "updated", "status", "active,resting"},
			{"q", "cloud", "industry", "Healthcare,Financial Services,Technology,Retail"},
			{"sort", "verified", "has_capacity", "true"},
			{"sort", "name-desc"},
			{"sort", "status"},
			{"sort", "asked-asc"},
		} {
			t.Run(strings.Join(search, "="), func(t *testing.T) {
				var whole refPage
				f.get(t, "team_member", refsPath(append(search, "limit", "500")...), &whole)
				if whole.Total == 0 || whole.Total != len(whole.Items) || whole.NextCursor != "" {
					t.Fatalf("one page: total %d, %d items, next %q", whole.Total, len(whole.Items), whole.NextCursor)
				}
				var ids []int64
				cursor, pages := "", 0
				for {
					var p refPage
					f.get(t, "team_member", refsPath(append(search, "limit", "13", "cursor", cursor)...), &p)
					pages++
					if p.Total != whole.Total {
						t.Fatalf("page %d: total %d, want %d", pages, p.Total, whole.Total)
					}
					for _, it := range p.Items {
						ids = append(ids, it.ID)
					}
					if p.NextCursor == "" {
						if len(p.Items) == 0 {
							t.Errorf("page %d is empty: the page before should have been the last", pages)
						}
						break
					}
					if len(p.Items) != 13 || pages > 100 {
						t.Fatalf("page %d has %d items and a next cursor", pages, len(p.Items))
					}
					cursor = p.NextCursor
				}
				var want []int64
				for _, it := range whole.Items {
					want = append(want, it.ID)
				}
				if !slices.Equal(ids, want) {
					t.Errorf("pages of 13 give %v,\nwant %v", ids, want)
				}
				if pages != (whole.Total+12)/13 {
					t.Errorf("%d pages for %d references", pages, whole.Total)
				}
			})
		}

		// Count what the facets should say, from the database.
		today := f.srv.DB.Today()
		recs, err := db.LoadReferenceRecords(seedCtx, nil, today)
		if err != nil {
			t.Fatal(err)
		}
		names := map[int64]string{}
		values, err := db.ListTaxonomy(seedCtx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			names[v.ID] = v.Name
		}
		capDefault, err := db.CapacityDefault(seedCtx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]int{"industry": {}, "region": {}, "status": {}, "has_capacity": {}}
		total := 0
		for _, rec := range recs {
			r, a := rec.Reference, rec.Account
			max := capDefault
			if r.CapacityOverride != nil {
				max = *r.CapacityOverride
			}
			emea := names[a.RegionID] == "EMEA"
			want["region"][names[a.RegionID]]++ // the region facet ignores the region filter
			if !emea {
				continue
			}
			total++
			want["industry"][names[a.IndustryID]]++
			want["status"][string(r.EffectiveStatus(today))]++
			want["has_capacity"][fmt.Sprint(vouch.ComputeCapacity(max, rec.Activities, today).Free())]++
		}
		var p refPage
		f.get(t, "team_member", refsPath("region", "emea", "facets", "industry,region,status,has_capacity,owner,activity_type"), &p)
		if p.Total != total || total == 0 {
			t.Fatalf("EMEA: total %d, want %d", p.Total, total)
		}
		for facet, counts := range want {
			got := map[string]int{}
			for _, v := range p.Facets[facet] {
				if v.Count > 0 {
					got[v.Name] = v.Count
				}
				if v.Selected != (facet == "region" && v.Name == "EMEA") {
					t.Errorf("%s %s: selected %v", facet, v.Name, v.Selected)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(counts) {
				t.Errorf("facet %s: %v, want %v", facet, got, counts)
			}
		}
		// Every counted value's name selects as many references as it counts.
		for _, facet := range []string{"industry", "status", "has_capacity", "owner", "activity_type"} {
			for _, v := range p.Facets[facet] {
				if v.Count == 0 {
					continue
				}
				var sel refPage
				f.get(t, "team_member", refsPath("region", "emea", facet, v.Name, "limit", "1"), &sel)
				if sel.Total != v.Count {
					t.Errorf("%s=%s counts %d but selects %d", facet, v.Name, v.Count, sel.Total)
				}
			}
		}
	})
}

// TestConcurrentSaves sends several saves of one version at the same time:
// exactly one wins and the others get a conflict, on both engines (on
// PostgreSQL, checking the version before the UPDATE is not enough).
func TestConcurrentSaves(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		s := seedReferences(t, f)
		for _, target := range []struct{ path, body string }{
			{s.path("Maya"), `{"version": %d, "title": "Title %d"}`},
			{s.path("Priya"), `{"version": %d, "status": "qualifying", "reason": "try %d"}`},
			{fmt.Sprintf("/api/v1/accounts/%d", s.accounts["Globe Bank"].ID), `{"version": %d, "notes": "Note %d"}`},
		} {
			var before struct {
				Version int `json:"version"`
			}
			f.get(t, "team_member", target.path, &before)
			const n = 8
			statuses := make(chan int, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := f.c.do(t, "PATCH", target.path, f.tokens["team_member"], fmt.Sprintf(target.body, before.Version, i), false)
					statuses <- r.status
				}()
			}
			wg.Wait()
			close(statuses)
			count := map[int]int{}
			for st := range statuses {
				count[st]++
			}
			if count[200] != 1 || count[409] != n-1 {
				t.Errorf("PATCH %s: statuses %v, want one 200 and %d 409", target.path, count, n-1)
			}
			var after struct {
				Version int `json:"version"`
			}
			f.get(t, "team_member", target.path, &after)
			if after.Version != before.Version+1 {
				t.Errorf("PATCH %s: version %d after, want %d", target.path, after.Version, before.Version+1)
			}
		}
	})
}
