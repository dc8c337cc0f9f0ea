package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
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
