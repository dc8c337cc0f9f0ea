package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var secretOnPage = regexp.MustCompile(`<p class="secret" id="new-token">(vouch_[A-Za-z0-9_-]+)</p>`)

func TestAPITokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		bea := testutil.CreateUser(t, s.DB, "bea@example.com", vouch.RoleSeller)
		admin := testutil.Login(t, s, "ada@example.com")

		resp, body := admin.Get("/admin/tokens")
		expect(t, "tokens page", resp, http.StatusOK, "/admin/tokens")
		mustContain(t, "tokens page", body, "No API tokens yet")

		resp, body = admin.PostForm("/admin/tokens", url.Values{"user_id": {""}, "name": {"CRM sync"}})
		expect(t, "no user", resp, http.StatusBadRequest, "/admin/tokens")
		mustContain(t, "no user", body, `id="user_id-error">Choose the user the token acts as.</p>`, `value="CRM sync"`)

		resp, body = admin.PostForm("/admin/tokens", url.Values{"user_id": {fmt.Sprint(bea.ID)}, "name": {"CRM sync"}})
		expect(t, "create", resp, http.StatusOK, "/admin/tokens")
		mustContain(t, "create", body, "It will not be shown again", "CRM sync")
		m := secretOnPage.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no secret on the page\n%s", body)
		}
		secret := m[1]

		// Shown once: the list has only its prefix.
		_, body = admin.Get("/admin/tokens")
		if strings.Contains(body, secret) {
			t.Fatal("the secret is shown again on the tokens page")
		}
		mustContain(t, "list", body, secret[:12]+"…", "bea@example.com", ">Active<", "never")

		if code, me := apiMe(t, s, secret); code != http.StatusOK || !strings.Contains(me, `"email":"bea@example.com"`) {
			t.Fatalf("GET /api/v1/me with the new token: %d %s", code, me)
		}

		tokens, err := s.DB.ListTokens(ctx)
		if err != nil || len(tokens) != 1 {
			t.Fatalf("tokens %v, %v", tokens, err)
		}
		resp, body = admin.PostForm(fmt.Sprintf("/admin/tokens/%d/revoke", tokens[0].ID), url.Values{})
		expect(t, "revoke", resp, http.StatusOK, "/admin/tokens")
		mustContain(t, "revoke", body, "Token revoked.", ">Revoked<")
		if code, _ := apiMe(t, s, secret); code != http.StatusUnauthorized {
			t.Errorf("revoked token: got %d, want 401", code)
		}
	})
}

func apiMe(t *testing.T, s *testutil.Server, secret string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
