package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestAccountsCreateEditAndDelete(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		pam, tess := testutil.Login(t, s, "pam@example.com"), testutil.Login(t, s, "tess@example.com")
		finance := valueID(t, s.DB, vouch.TaxIndustry, "Financial Services")
		emea := valueID(t, s.DB, vouch.TaxRegion, "EMEA")

		_, body := pam.Get("/accounts")
		mustContain(t, "no accounts", body, "0 accounts", "No accounts yet.", `href="/accounts/new"`)

		pam.Get("/accounts/new")
		resp, body := pam.PostForm("/accounts/new", url.Values{"name": {""}, "domain": {"not a site"}, "nps": {"150"}, "csm": {"Kept"}})
		expect(t, "invalid account", resp, http.StatusBadRequest, "/accounts/new")
		mustContain(t, "invalid account", body, `id="name-error">Name is required.</p>`,
			`id="domain-error">Website must be a website like example.com.</p>`, `id="nps-error">NPS must be between -100 and 100.</p>`,
			`value="Kept"`)

		resp, body = pam.PostForm("/accounts/new", url.Values{"name": {"Globe Bank"}, "domain": {"https://www.globebank.example/about"},
			"industry": {idOf(finance)}, "region": {idOf(emea)}, "health": {"good"}, "nps": {"42"}})
		expect(t, "create account", resp, http.StatusOK, "")
		id := pathID(t, resp)
		path := fmt.Sprintf("/accounts/%d", id)
		mustContain(t, "account page", body, "Added Globe Bank.", "globebank.example", "Financial Services", "Good health",
			"Nobody at Globe Bank is a reference yet.")
		// The page promises nothing that does not exist yet.
		if strings.Contains(body, "content library") {
			t.Error("the account page promises a content library")
		}

		_, body = pam.Get("/accounts?q=globe")
		mustContain(t, "search", body, "1 account matches “globe”", `href="`+path+`"`, "Financial Services", "EMEA", "Good health")
		_, body = pam.Get("/accounts?q=nothing")
		mustContain(t, "search nothing", body, "No account name or website contains “nothing”.")

		// Two people edit at once: the second save is refused and keeps its input.
		pam.Get(path + "/edit")
		_, body = tess.Get(path + "/edit")
		mustContain(t, "edit form", body, `name="version" value="1"`, `value="Globe Bank"`)
		base := url.Values{"version": {"1"}, "name": {"Globe Bank"}, "industry": {idOf(finance)}, "region": {idOf(emea)}, "nps": {"42"}, "health": {"good"}}
		first, second := url.Values{}, url.Values{}
		for k, v := range base {
			first[k], second[k] = v, v
		}
		first.Set("csm", "Pam's pick")
		resp, _ = pam.PostForm(path+"/edit", first)
		expect(t, "first save", resp, http.StatusOK, path)
		second.Set("health", "poor")
		resp, body = tess.PostForm(path+"/edit", second)
		expect(t, "second save", resp, http.StatusConflict, path+"/edit")
		mustContain(t, "second save", body, "Someone else saved this account after you opened it.",
			`<option value="poor" selected>`, "Customer success manager", "Pam&#39;s pick")
		if a, _ := s.DB.Account(ctx, id); a.CSM != "Pam's pick" || a.Health != "good" {
			t.Errorf("after the conflict: csm %q health %q; want the first save kept", a.CSM, a.Health)
		}

		// An account with references is not deleted; the page says why.
		ref := &vouch.Reference{AccountID: id, Name: "Priya Raman", Status: vouch.StatusActive}
		if err := s.DB.CreateReference(ctx, ref); err != nil {
			t.Fatal(err)
		}
		_, body = pam.Get(path)
		mustContain(t, "with a reference", body, "1 reference", "Priya Raman", "0 of 3 used",
			"Globe Bank cannot be deleted while 1 reference belongs to it.")
		resp, body = pam.PostForm(path+"/delete", url.Values{"confirm": {"1"}})
		expect(t, "delete refused", resp, http.StatusOK, path)
		mustContain(t, "delete refused", body, "Not deleted: Globe Bank still has 1 reference(s)")
		_, body = pam.Get("/accounts")
		mustContain(t, "count", body, `<a href="`+path+`#references">1</a> <span class="muted small">(1 active)</span>`)

		// An empty account is deleted once confirmed.
		empty := &vouch.Account{Name: "Shell Co"}
		if err := s.DB.CreateAccount(ctx, empty); err != nil {
			t.Fatal(err)
		}
		epath := fmt.Sprintf("/accounts/%d", empty.ID)
		_, body = pam.PostForm(epath+"/delete", url.Values{})
		mustContain(t, "unconfirmed", body, "Nothing deleted: tick the box")
		resp, body = pam.PostForm(epath+"/delete", url.Values{"confirm": {"1"}})
		expect(t, "deleted", resp, http.StatusOK, "/accounts")
		mustContain(t, "deleted", body, "Deleted Shell Co.")
		if _, err := s.DB.Account(ctx, empty.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("the deleted account is still there: %v", err)
		}

		// Sellers read accounts but do not change them.
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		seller := testutil.Login(t, s, "sam@example.com")
		resp, body = seller.Get(path)
		expect(t, "seller account", resp, http.StatusOK, path)
		if strings.Contains(body, "Edit account") || strings.Contains(body, "Delete account") {
			t.Error("a seller is offered account changes")
		}
		for _, post := range []string{"/accounts/new", path + "/edit", path + "/delete"} {
			if resp, _ := seller.PostForm(post, url.Values{"name": {"X"}, "confirm": {"1"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("seller POST %s: %d, want 403", post, resp.StatusCode)
			}
		}
	})
}
