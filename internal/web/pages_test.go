package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestFormWithoutCSRFTokenIsRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		ada := testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		admin := testutil.Login(t, s, "ada@example.com")

		for path, form := range map[string]url.Values{
			"/admin/users":             {"email": {"eve@example.com"}, "name": {"Eve"}, "role": {"admin"}, "password": {testutil.Password}},
			"/admin/taxonomies/region": {"name": {"Atlantis"}},
			"/admin/tokens":            {"user_id": {"1"}},
			"/account/password":        {"current_password": {testutil.Password}, "new_password": {"0123456789ab"}, "confirm_password": {"0123456789ab"}},
		} {
			if resp := postWithoutCSRF(t, admin, path, form); resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s without csrf: %d, want 403", path, resp.StatusCode)
			}
		}
		if n, _ := s.DB.CountUsers(ctx); n != 1 {
			t.Errorf("%d users after forged posts, want 1", n)
		}
		if tokens, _ := s.DB.ListTokens(ctx); len(tokens) != 0 {
			t.Errorf("%d tokens after a forged post, want 0", len(tokens))
		}
		values, _ := s.DB.ListTaxonomy(ctx, vouch.TaxRegion)
		for _, v := range values {
			if v.Name == "Atlantis" {
				t.Error("a forged post added a taxonomy value")
			}
		}
		if _, err := s.DB.Authenticate(ctx, ada.Email, testutil.Password); err != nil {
			t.Errorf("a forged post changed the password: %v", err)
		}
	})
}

func TestUnknownPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		admin := testutil.Login(t, s, "ada@example.com")
		resp, body := admin.Get("/admin/nothing-here")
		expect(t, "unknown page", resp, http.StatusNotFound, "/admin/nothing-here")
		mustContain(t, "unknown page", body, "Page not found", "There is no page at /admin/nothing-here", `href="/"`)

		resp, err := http.Get(s.URL + "/no/such/page")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("signed out: got %d, want 404", resp.StatusCode)
		}
	})
}
