package browsertest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/web"
)

// eachEngine runs fn as a subtest per engine, with a fresh server and browser tab.
func eachEngine(t *testing.T, fn func(t *testing.T, s *testutil.Server, c *testutil.Chrome)) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			c := testutil.NewBrowser(t) // first: skips without Chromium before a database is made
			fn(t, testutil.StartServer(t, e), c)
		})
	}
}

func path(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func TestSignInAndOut(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)

		c.LoginAs(s, "ada@example.com")
		if got := c.Text("h1"); got != "Good to see you, Ada" {
			t.Errorf("dashboard heading = %q, want %q", got, "Good to see you, Ada")
		}
		if p := path(t, c.URL()); p != "/" {
			t.Errorf("after sign-in the browser is at %s, want /", p)
		}
		if !c.Visible(`nav[aria-label="Main"] a[href="/"]`) {
			t.Errorf("the nav link to / is not visible on the desktop dashboard")
		}
		// The settings and admin pages are one click away, under Settings.
		c.Click(`nav[aria-label="Main"] [data-menu="admin"] > summary`)
		for _, link := range []string{"/admin/settings", "/admin/users"} {
			if !c.Visible(fmt.Sprintf(`nav[aria-label="Main"] a[href=%q]`, link)) {
				t.Errorf("the Settings menu does not show %s", link)
			}
		}
		if !c.Visible(`.whoami button`) || c.Text(`.whoami button`) != "Sign out" {
			t.Errorf("no visible Sign out button")
		}
		if c.Cookie(web.SessionCookie) == nil {
			t.Errorf("no %s cookie after sign-in", web.SessionCookie)
		}
		if errs := c.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("the dashboard logged errors (CSP? missing asset?):\n%s", strings.Join(errs, "\n"))
		}
		c.Screenshot("dashboard-desktop")

		resp := c.Submit(`.whoami form[action="/logout"] button`)
		if resp.Status != http.StatusOK || path(t, c.URL()) != "/login" {
			t.Fatalf("sign out ended at %s with status %d, want the login page", c.URL(), resp.Status)
		}
		if got := c.Text(".flash-success"); got != "You are signed out." {
			t.Errorf("flash after sign out = %q", got)
		}
		if c.Has("header.topbar") {
			t.Errorf("the login page after sign out still shows the signed-in header")
		}
		if c.Cookie(web.SessionCookie) != nil {
			t.Errorf("the session cookie is still there after sign out")
		}

		c.Open(s.URL + "/")
		if p := path(t, c.URL()); p != "/login" {
			t.Errorf("after sign out / showed %s, want a redirect to /login", c.URL())
		}
		if c.Has(".flash-success") {
			t.Errorf("the sign-out message shows again on the next page")
		}
	})
}

func TestWrongPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)

		c.Open(s.URL + "/login")
		c.Fill("#email", "Ada@Example.com")
		c.Fill("#password", "not the password")
		resp := c.Submit(`form[action="/login"] button[type=submit]`)
		if resp.Status != http.StatusUnauthorized {
			t.Errorf("status = %d, want 401", resp.Status)
		}
		if p := path(t, c.URL()); p != "/login" {
			t.Errorf("a failed sign-in went to %s", c.URL())
		}
		if got := c.Text("#login-error"); got != "Email or password is incorrect." {
			t.Errorf("error = %q", got)
		}
		if got := c.Value("#email"); got != "Ada@Example.com" {
			t.Errorf("email field = %q, want what was typed", got)
		}
		if got := c.Value("#password"); got != "" {
			t.Errorf("the password field was refilled with %q", got)
		}
		if ck := c.Cookie(web.SessionCookie); ck != nil {
			t.Errorf("a failed sign-in set the session cookie %+v", ck)
		}
		if c.Has("header.topbar") {
			t.Errorf("a failed sign-in shows the signed-in header")
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)

		c.Open(s.URL + "/login")
		for i := 1; i <= 5; i++ {
			c.Fill("#email", "ada@example.com")
			c.Fill("#password", fmt.Sprintf("wrong %d", i))
			if resp := c.Submit(`form[action="/login"] button[type=submit]`); resp.Status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: status %d, want 401 (%s)", i, resp.Status, c.Text("main"))
			}
		}
		// The sixth attempt is refused even with the right password.
		c.Fill("#email", "ada@example.com")
		c.Fill("#password", testutil.Password)
		resp := c.Submit(`form[action="/login"] button[type=submit]`)
		if resp.Status != http.StatusTooManyRequests {
			t.Errorf("sixth attempt: status %d, want 429", resp.Status)
		}
		if got := header(resp.Headers, "Retry-After"); got == "" || got == "0" {
			t.Errorf("Retry-After = %q, want seconds to wait", got)
		}
		msg := c.Text("#login-error")
		if !strings.HasPrefix(msg, "Too many failed sign-in attempts") || !strings.Contains(msg, "15 minutes") {
			t.Errorf("error = %q, want the throttling message with the wait", msg)
		}
		if c.Cookie(web.SessionCookie) != nil {
			t.Errorf("a throttled sign-in set the session cookie")
		}
		if got := c.Value("#email"); got != "ada@example.com" {
			t.Errorf("email field = %q", got)
		}
	})
}

func header(h map[string]any, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return fmt.Sprint(v)
		}
	}
	return ""
}
