package browsertest

import (
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// On a fresh demo, the logins the start-up message prints work, and the
// home page's three first things lead where they say: a search with
// results, the request form, and — for the program team, through the
// outbox in the navigation — an ask mail whose link opens the advocate's
// answer page. At 1280 px and at 375 px.
func TestDemoFirstThingsToTry(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		if _, err := demo.Load(asTest(), s.DB, demo.Options{Seed: 1, References: 60, BaseURL: s.URL}); err != nil {
			t.Fatal(err)
		}
		logins, err := demo.SignIns(asTest(), s.DB)
		if err != nil {
			t.Fatal(err)
		}
		email := map[vouch.Role]string{}
		for _, l := range logins {
			email[l.Role] = l.Email
		}
		if len(logins) != 3 || email[vouch.RoleProgramManager] == "" || email[vouch.RoleSeller] == "" {
			t.Fatalf("demo sign-ins = %+v, want an admin, a program manager and a seller", logins)
		}
		for _, size := range []struct {
			name string
			set  func()
		}{{"desktop", c.Desktop}, {"phone", c.Phone}} {
			size.set()
			c.LoginWith(s, email[vouch.RoleSeller], demo.Password)
			c.Open(s.URL + "/")
			if !c.Visible(".first-things") {
				t.Fatalf("%s: the seller's demo home offers no first things to try", size.name)
			}
			checkNoHorizontalScroll(t, c, "demo home ("+size.name+")")
			c.Screenshot("demo-home-seller-" + size.name)
			if c.Has(`a[href="/admin/outbox"]`) {
				t.Errorf("%s: the seller's page links to the outbox", size.name)
			}
			c.Click(`.first-things a[href="/requests/new"]`)
			c.WaitFor(`location.pathname === "/requests/new" && document.readyState === "complete"`)
			c.Open(s.URL + "/")
			c.Click(`.first-things a[href^="/references"]`)
			c.WaitFor(`location.pathname === "/references" && !!document.querySelector("#ref-count")`)
			if got := c.Text("#ref-count"); !strings.Contains(got, "reference") {
				t.Errorf("%s: Find a reference shows %q", size.name, got)
			}

			c.SignOut()
			c.LoginWith(s, email[vouch.RoleProgramManager], demo.Password)
			c.Open(s.URL + "/")
			c.Click(`.first-things a[href^="/admin/outbox/"]`)
			c.WaitFor(`location.pathname.startsWith("/admin/outbox/") && !!document.querySelector(".mail-body")`)
			// The outbox is under Program: the menu is marked as holding the current page.
			if !c.Visible(`nav [data-menu="program"].current > summary`) && size.name == "desktop" {
				t.Errorf("%s: the Program menu is not marked current on the outbox", size.name)
			}
			if !c.Has(`nav [data-menu="program"] a[href="/admin/outbox"][aria-current="page"]`) {
				t.Errorf("%s: the outbox is not the current page in the navigation", size.name)
			}
			c.Click(`.mail-body a[href*="/a/"]`)
			c.WaitFor(`location.pathname.startsWith("/a/") && document.readyState === "complete"`)
			if !c.Has("#accept") {
				t.Errorf("%s: the ask mail's link does not open the answer page: %s", size.name, c.Text("main"))
			}
			c.Screenshot("demo-advocate-answer-" + size.name)
			noPageErrors(t, c)
			c.Open(s.URL + "/")
			c.SignOut()
		}
	})
}
