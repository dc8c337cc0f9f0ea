package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A seller's search finds references by their tags, and a search that finds
// nothing keeps its filters and offers, as links, the searches that would
// find something.
func TestSearchByTagAndSuggestionsWhenEmpty(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive, "Jonas Lindqvist": vouch.StatusActive})
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleTeamMember)
		seller := testutil.Login(t, s, "sam@example.com")

		resp, body := seller.Get("/references?q=healthcare")
		expect(t, "by industry", resp, http.StatusOK, "/references")
		mustContain(t, "by industry", body, "2 references match", "Maya Okafor", "Jonas Lindqvist")

		_, body = seller.Get("/references?q=maya&region=APAC&status=active")
		mustContain(t, "empty", body, "0 references match", "No reference matches these filters.", "These searches would find some:")
		// The filters stay on screen, ticked.
		if n, checked := facetCount(body, "region", "APAC"); n != 0 || !checked {
			t.Errorf("APAC facet: %d (checked %v), want 0 and ticked", n, checked)
		}
		links := map[string]string{}
		for _, m := range regexp.MustCompile(`<li><a href="([^"]+)">([^<]+)</a> — (\d+ references?)</li>`).FindAllStringSubmatch(body, -1) {
			links[html.UnescapeString(m[2])+" — "+m[3]] = html.UnescapeString(m[1])
		}
		// Without the text or the status, APAC still finds nothing: only
		// the region's removal is offered.
		if len(links) != 1 || links["Remove Region: APAC — 1 reference"] != "/references?q=maya&status=active" {
			t.Errorf("suggestions %v, want only Remove Region: APAC — 1 reference → /references?q=maya&status=active", links)
		}
		// Following it finds the reference.
		_, body = seller.Get(links["Remove Region: APAC — 1 reference"])
		mustContain(t, "followed", body, "1 reference matches", "Maya Okafor")
	})
}

// Company sizes are listed smallest first, as the taxonomy orders them,
// whatever their counts.
func TestCompanySizeFacetInSizeOrder(t *testing.T) {
	s := testutil.StartServer(t, store.SQLite)
	testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
	sizes := []string{"1–50", "51–200", "10,001+"}
	for i, size := range sizes {
		a := &vouch.Account{Name: "Company " + size, SizeID: valueID(t, s.DB, vouch.TaxCompanySize, size)}
		if err := s.DB.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		// More references the larger the company: by count it would be reversed.
		for j := 0; j <= i; j++ {
			if err := s.DB.CreateReference(ctx, &vouch.Reference{AccountID: a.ID, Name: fmt.Sprintf("Person %d-%d", i, j)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, body := testutil.Login(t, s, "ada@example.com").Get("/references")
	var listed []string
	for _, m := range regexp.MustCompile(`name="company_size" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		listed = append(listed, html.UnescapeString(m[1]))
	}
	if strings.Join(listed, " ") != strings.Join(sizes, " ") {
		t.Errorf("company sizes listed %v, want %v", listed, sizes)
	}
}

// The account list has facets with counts and orders, both kept in the
// URL; its rows count references from the index.
func TestAccountFacetsAndSort(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive, "Jonas Lindqvist": vouch.StatusNominated})
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleTeamMember)
		for _, a := range []*vouch.Account{
			{Name: "Birch Retail", IndustryID: valueID(t, s.DB, vouch.TaxIndustry, "Retail"), Health: "poor"},
			{Name: "Cedar Clinics", IndustryID: valueID(t, s.DB, vouch.TaxIndustry, "Healthcare"), Health: "good"},
		} {
			if err := s.DB.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		seller := testutil.Login(t, s, "sam@example.com")
		accountFacet := func(body, facet, value string) (int, bool) {
			re := regexp.MustCompile(`name="` + facet + `" value="` + regexp.QuoteMeta(value) +
				`" form="account-search"( checked)?> <span class="facet-label">[^<]*</span> <span class="count">(\d+)</span>`)
			m := re.FindStringSubmatch(body)
			if m == nil {
				return -1, false
			}
			n, _ := strconv.Atoi(m[2])
			return n, m[1] != ""
		}
		order := func(body string) string {
			var out []string
			for _, m := range regexp.MustCompile(`<td data-label="Name"><a href="/accounts/\d+"><strong>([^<]+)</strong>`).FindAllStringSubmatch(body, -1) {
				out = append(out, strings.Fields(m[1])[0])
			}
			return strings.Join(out, ",")
		}

		resp, body := seller.Get("/accounts")
		expect(t, "list", resp, http.StatusOK, "/accounts")
		if n, _ := accountFacet(body, "industry", "Healthcare"); n != 2 {
			t.Errorf("Healthcare: %d accounts, want 2", n)
		}
		if got := order(body); got != "Acme,Birch,Cedar" {
			t.Errorf("order added: %s", got)
		}
		mustContain(t, "counts", body, `<a href="/accounts/`+idOf(p.acme.ID)+`#references">2</a> <span class="muted small">(1 active)</span>`)

		_, body = seller.Get("/accounts?industry=healthcare&sort=name")
		mustContain(t, "filtered", body, "2 accounts match", `<option value="name" selected>`)
		if got := order(body); got != "Acme,Cedar" {
			t.Errorf("Healthcare by name: %s", got)
		}
		if n, checked := accountFacet(body, "industry", "Healthcare"); n != 2 || !checked {
			t.Errorf("Healthcare within itself: %d (checked %v), want 2 ticked", n, checked)
		}
		if n, _ := accountFacet(body, "industry", "Retail"); n != 1 {
			t.Errorf("Retail beside a Healthcare selection: %d, want 1 (a facet ignores its own selection)", n)
		}
		if n, _ := accountFacet(body, "health", "good"); n != 1 {
			t.Errorf("good health within Healthcare: %d, want 1", n)
		}

		_, body = seller.Get("/accounts?sort=references")
		if got := order(body); got != "Acme,Birch,Cedar" {
			t.Errorf("most references first: %s", got)
		}
		_, body = seller.Get("/accounts?health=poor&industry=Healthcare")
		mustContain(t, "none", body, "0 accounts match", "No account matches these filters.")
		_, body = seller.Get("/accounts?industry=Astrology")
		mustContain(t, "unknown", body, "“Astrology” (unknown)")
	})
}
