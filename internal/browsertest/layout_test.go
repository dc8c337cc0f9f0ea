package browsertest

import (
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestPhoneLayout(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		c.Phone()

		c.Open(s.URL + "/login")
		checkNoHorizontalScroll(t, c, "login page")

		c.LoginAs(s, "ada@example.com")
		checkNoHorizontalScroll(t, c, "dashboard")
		if w := testutil.Eval[int](c, "window.innerWidth"); w != testutil.PhoneWidth {
			t.Errorf("innerWidth = %d, want %d", w, testutil.PhoneWidth)
		}
		users := `nav[aria-label="Main"] a[href="/admin/users"]`
		if c.Visible(users) {
			t.Errorf("the nav links show before the Menu is opened")
		}
		if !c.Visible(".nav-toggle-label") || c.Text(".nav-toggle-label") != "Menu" {
			t.Fatalf("no visible Menu toggle at phone width")
		}
		c.Screenshot("dashboard-phone")

		c.Click(".nav-toggle-label")
		if !c.Visible(`nav[aria-label="Main"] a[href="/references"]`) {
			t.Errorf("the Menu toggle did not reveal the nav links")
		}
		c.Click(`[data-menu="admin"] > summary`)
		if !c.Visible(users) {
			t.Errorf("Admin in the menu did not reveal the admin pages")
		}
		if !c.Visible(`.whoami button`) {
			t.Errorf("the Menu toggle did not reveal Sign out")
		}
		checkNoHorizontalScroll(t, c, "dashboard with the menu open")
		c.Screenshot("dashboard-phone-menu")

		c.Click(".nav-toggle-label")
		if c.Visible(users) {
			t.Errorf("a second tap on Menu did not hide the nav links")
		}
	})
}

func checkNoHorizontalScroll(t *testing.T, c *testutil.Chrome, what string) {
	t.Helper()
	sizes := testutil.Eval[[]int](c, "[document.documentElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth]")
	if sizes[0] > sizes[1] || sizes[0] > sizes[2] {
		wide := testutil.Eval[[]string](c, `[...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replace(/ +/g, ".") : ""))`)
		t.Errorf("%s scrolls sideways at %dpx: scrollWidth %d > innerWidth %d / clientWidth %d; too wide: %v",
			what, sizes[1], sizes[0], sizes[1], sizes[2], wide)
	}
}
