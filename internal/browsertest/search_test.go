package browsertest

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// refCount reads the number the results heading shows ("12 references match").
func refCount(t *testing.T, c *testutil.Chrome) int {
	t.Helper()
	m := regexp.MustCompile(`^(\d+) reference`).FindStringSubmatch(c.Text("#ref-count"))
	if m == nil {
		t.Fatalf("results heading %q has no count", c.Text("#ref-count"))
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// A seller types what the filters show and finds it; a search that finds
// nothing keeps its filters and offers the searches that would find
// something, and following one finds references. At 1280 and 375 px.
func TestSearchFindsTagsAndSuggestsWhenEmpty(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		if _, err := demo.Load(asTest(), s.DB, demo.Options{Seed: 1, References: 60, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		c.LoginAs(s, "sam@example.com")
		for _, size := range []struct {
			name   string
			resize func()
		}{{"desktop", c.Desktop}, {"phone", c.Phone}} {
			size.resize()
			c.Open(s.URL + "/references?industry=Healthcare")
			byFacet := refCount(t, c)
			if byFacet == 0 {
				t.Fatal("the demo has no Healthcare references")
			}
			c.Open(s.URL + "/references")
			c.Fill("#q", "healthcare")
			c.WaitFor(`new URLSearchParams(location.search).get("q") === "healthcare" &&
				/match/.test(document.querySelector("#ref-count").innerText)`)
			if n := refCount(t, c); n < byFacet {
				t.Errorf("%s: \"healthcare\" finds %d, the Healthcare filter %d", size.name, n, byFacet)
			}

			// Healthcare words within Retail: nothing.
			c.Open(s.URL + "/references?q=healthcare&industry=Retail")
			if n := refCount(t, c); n != 0 {
				t.Fatalf("%s: healthcare within Retail finds %d; the test needs a search that finds nothing", size.name, n)
			}
			if !testutil.Eval[bool](c, `document.querySelector('input[name="industry"][value="Retail"]').checked`) {
				t.Errorf("%s: the Retail filter is not ticked on the empty page", size.name)
			}
			links := testutil.Eval[[]string](c, `[...document.querySelectorAll("#no-results li")].map(e => e.innerText)`)
			joined := strings.Join(links, " | ")
			if !strings.Contains(joined, "Remove Industry: Retail — ") || !strings.Contains(joined, "Remove the search “healthcare” — ") {
				t.Errorf("%s: suggestions %q, want the industry's and the search's removal", size.name, joined)
			}
			if size.name == "phone" {
				checkNoHorizontalScroll(t, c, "empty search")
			}
			if !c.Visible("#no-results a") {
				t.Errorf("%s: the suggestions are not visible", size.name)
			}
			c.Screenshot("search-suggestions-" + size.name)
			c.Click(`#no-results li:first-child a`)
			c.WaitFor(`!document.querySelector("#no-results")`)
			if n := refCount(t, c); n == 0 {
				t.Errorf("%s: following a suggestion found nothing", size.name)
			}
		}
		noPageErrors(t, c)
	})
}

// The account list's facets and sort live in the URL and work at 375 px.
func TestAccountsFacetsAndSortOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		if _, err := demo.Load(asTest(), s.DB, demo.Options{Seed: 1, References: 40, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		c.LoginAs(s, "sam@example.com")
		for _, size := range []struct {
			name   string
			resize func()
		}{{"desktop", c.Desktop}, {"phone", c.Phone}} {
			size.resize()
			c.Open(s.URL + "/accounts")
			if size.name == "phone" {
				checkNoHorizontalScroll(t, c, "accounts list")
				c.Click("details.facets > summary") // folded away on a phone
			}
			c.Select("#sort", "Name")
			c.WaitFor(`new URLSearchParams(location.search).get("sort") === "name"`)
			names := testutil.Eval[[]string](c, `[...document.querySelectorAll("#account-results td[data-label=Name] strong")].map(e => e.innerText.toLowerCase())`)
			if len(names) == 0 || !sortedStrings(names) {
				t.Errorf("%s: by name: %v", size.name, names)
			}
			c.Click(`#account-facets input[name="industry"]`)
			c.WaitFor(`new URLSearchParams(location.search).has("industry") && /match/.test(document.querySelector("#account-count").innerText)`)
			if u := c.URL(); !strings.Contains(u, "sort=name") {
				t.Errorf("%s: ticking a facet lost the order: %s", size.name, u)
			}
			if size.name == "phone" {
				checkNoHorizontalScroll(t, c, "accounts list, filtered")
			}
			c.Screenshot("accounts-" + size.name)
		}
		noPageErrors(t, c)
	})
}

func sortedStrings(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] < s[i-1] {
			return false
		}
	}
	return true
}
