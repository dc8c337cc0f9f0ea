package browsertest

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestCrossSitePostRefused signs in, then visits a page on another site
// (localhost against Vouch's 127.0.0.1) whose form submits itself to Vouch.
// Vouch must refuse it and nothing must change.
func TestCrossSitePostRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		testutil.CreateUser(t, s.DB, "mallory@example.com", vouch.RoleViewer)
		if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
			t.Fatalf("the test needs Vouch on 127.0.0.1, got %s", s.URL)
		}

		// The attacker's page: a form that posts itself to Vouch on load.
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var fields strings.Builder
			for k, vs := range r.URL.Query() {
				if k == "to" {
					continue
				}
				fmt.Fprintf(&fields, `<input type="hidden" name="%s" value="%s">`, html.EscapeString(k), html.EscapeString(vs[0]))
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><title>Win a prize</title>
<form id="f" method="post" action="%s">%s</form>
<script>document.getElementById("f").submit()</script>`,
				html.EscapeString(s.URL+r.URL.Query().Get("to")), fields.String())
		}))
		t.Cleanup(evil.Close)
		evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)

		c.LoginAs(s, "ada@example.com")

		for _, tc := range []struct {
			name, to string
			form     url.Values
		}{
			{"logout", "/logout", url.Values{"csrf": {"guess"}}},
			{"add a taxonomy value", "/admin/taxonomies/industry", url.Values{"name": {"Evil"}, "csrf": {"guess"}}},
			// Login CSRF: signing the victim in as the attacker.
			{"login", "/login", url.Values{"email": {"mallory@example.com"}, "password": {testutil.Password}}},
		} {
			q := url.Values{"to": {tc.to}}
			for k, v := range tc.form {
				q[k] = v
			}
			resp := c.Follow(evilURL+"/?"+q.Encode(), s.URL+tc.to)
			if resp.Status != http.StatusForbidden {
				t.Errorf("%s: cross-site POST got status %d, want 403", tc.name, resp.Status)
			}
			if body := c.Text("body"); !strings.Contains(body, "Cross-origin request refused") {
				t.Errorf("%s: cross-site POST showed %q", tc.name, body)
			}

			c.Open(s.URL + "/")
			if p := path(t, c.URL()); p != "/" {
				t.Fatalf("%s: after the cross-site POST / went to %s: the session was lost", tc.name, c.URL())
			}
			if got := c.Text("h1"); got != "Good to see you, Ada" {
				t.Errorf("%s: after the cross-site POST the dashboard says %q", tc.name, got)
			}
		}
		vals, err := s.DB.ListTaxonomy(context.Background(), vouch.TaxIndustry)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if v.Name == "Evil" {
				t.Errorf("the cross-site POST added the industry %q", v.Name)
			}
		}
	})
}
