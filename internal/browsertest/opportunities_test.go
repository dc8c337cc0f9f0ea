package browsertest

import (
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestOpportunitiesFromACoverageCell: at 375 px a program manager follows
// a coverage cell's open pipeline to the value's open deals, then filters
// the list to won Financial Services deals, without scrolling sideways;
// at 1280 px the top bar, with Opportunities in its Program menu, stays
// one line.
func TestOpportunitiesFromACoverageCell(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleAdmin)
		testutil.AddCoverageProgram(t, s.DB, pm.ID)
		c.LoginAs(s, "pam@example.com")
		c.Phone()
		c.Open(s.URL + "/coverage")
		// The heat-map scrolls inside its frame; the page does not.
		if !c.Has(`table.coverage-grid td.coverage-cell.heat-3`) {
			t.Error("no heat-map with a shaded gap on the coverage page")
		}
		checkNoHorizontalScroll(t, c, "coverage page with its heat-map")
		cell := `tr.coverage-cell[data-value="Healthcare"][data-activity="Call"]`
		c.Submit(cell + ` a[href^="/opportunities?"]`)
		if got := c.Text("#opportunity-count"); got != "10 opportunities match" {
			t.Errorf("the cell's open deals: %q", got)
		}
		if c.Value("#f-industry") != "Healthcare" || c.Value("#status") != "open" {
			t.Errorf("the filters the cell set: industry %q, status %q", c.Value("#f-industry"), c.Value("#status"))
		}
		checkNoHorizontalScroll(t, c, "opportunities list")
		c.Screenshot("opportunities-phone")

		c.Select("#status", "Won")
		c.Select("#f-industry", "Financial Services")
		c.Submit(`#opportunity-search button[type=submit]`)
		if got := c.Text("#opportunity-count"); got != "2 opportunities match" {
			t.Errorf("won Financial Services deals: %q", got)
		}
		if got := c.Text(".opportunities-table tbody"); !strings.Contains(got, "#") || !strings.Contains(got, "Call") {
			t.Errorf("the request on the won deal is not listed: %q", got)
		}
		checkNoHorizontalScroll(t, c, "filtered opportunities list")

		c.Resize(1280, 900)
		c.Open(s.URL + "/opportunities")
		if tops := testutil.Eval[[]int](c, `[...document.querySelectorAll("nav.nav > a, nav.nav > details > summary")].map(e => Math.round(e.getBoundingClientRect().top))`); len(tops) < 5 || tops[0] != tops[len(tops)-1] {
			t.Errorf("the top bar wraps at 1280 px: link tops %v", tops)
		}
		if !c.Has(`[data-menu="program"] a[href="/opportunities"][aria-current="page"]`) {
			t.Error("Opportunities is not in the Program menu, marked current")
		}
		checkNoHorizontalScroll(t, c, "opportunities list at 1280 px")
	})
}
