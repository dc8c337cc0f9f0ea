package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/web"
)

func TestLoginDashboardLogout(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) { testLoginDashboardLogout(t, e) })
	}
}

func testLoginDashboardLogout(t *testing.T, e store.Engine) {
	{
		s := testutil.StartServer(t, e)
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		b := testutil.Login(t, s, "ada@example.com")
		resp, body := b.Get("/")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Good to see you, Ada") {
			t.Fatalf("dashboard: %d\n%s", resp.StatusCode, body)
		}
		resp, body = b.PostForm("/logout", url.Values{})
		if resp.Request.URL.Path != "/login" || !strings.Contains(body, "You are signed out.") {
			t.Fatalf("logout ended at %s\n%s", resp.Request.URL, body)
		}
		resp, _ = b.Get("/")
		if resp.Request.URL.Path != "/login" {
			t.Errorf("after logout / went to %s, want the login page", resp.Request.URL)
		}
	}
}

func TestSafeNextStaysOnSite(t *testing.T) {
	for next, want := range map[string]string{
		"":                     "/",
		"/references?q=ada":    "/references?q=ada",
		"/admin/users/3":       "/admin/users/3",
		"https://evil.example": "/",
		"//evil.example":       "/",
		"/\\evil.example":      "/",
		"/\t/evil.example":     "/",
		"/\n/evil.example":     "/",
		"/\r/evil.example":     "/",
		"/a\\..\\\\evil":       "/",
		"javascript:alert(1)":  "/",
	} {
		if got := web.SafeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
