package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestAuditLog(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		ada := testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		bea := testutil.CreateUser(t, s.DB, "bea@example.com", vouch.RoleSeller)
		admin := testutil.Login(t, s, "ada@example.com")
		admin.PostForm(fmt.Sprintf("/admin/users/%d", bea.ID), url.Values{"name": {"Bea"}, "role": {"viewer"}})
		admin.PostForm("/admin/taxonomies/region", url.Values{"name": {"Antarctica"}})

		resp, body := admin.Get("/admin/audit")
		expect(t, "audit", resp, http.StatusOK, "/admin/audit")
		mustContain(t, "audit", body, "role: seller → viewer", "name: — → Antarctica", "taxonomy value")

		// Filters narrow the list and stay in the form (and the URL).
		resp, body = admin.Get("/admin/audit?entity_type=user&action=update")
		expect(t, "filtered", resp, http.StatusOK, "/admin/audit")
		mustContain(t, "filtered", body, "role: seller → viewer", `<option value="user" selected>`,
			`<option value="update" selected>`, "1 change matches these filters", "Clear filters")
		if strings.Contains(body, "Antarctica") {
			t.Error("filter by entity type user shows a taxonomy change")
		}
		_, body = admin.Get(fmt.Sprintf("/admin/audit?actor=%d&entity_type=taxonomy_value", ada.ID))
		mustContain(t, "by actor", body, "Antarctica", fmt.Sprintf(`<option value="%d" selected>`, ada.ID))
		if strings.Contains(body, "role: seller") {
			t.Error("filter by taxonomy value shows a user change")
		}
		_, body = admin.Get("/admin/audit?until=2000-01-01")
		mustContain(t, "empty", body, "No changes match these filters.")
		resp, body = admin.Get("/admin/audit?since=yesterday")
		expect(t, "bad date", resp, http.StatusBadRequest, "/admin/audit")
		mustContain(t, "bad date", body, `id="since-error">From must be a date like 2027-03-14.</p>`, `value="yesterday"`)

		resp, _ = testutil.Login(t, s, "bea@example.com").Get("/admin/audit")
		expect(t, "viewer", resp, http.StatusForbidden, "")
	})
}

var olderLink = regexp.MustCompile(`<a href="([^"]+)">Older →</a>`)

func TestAuditPaging(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		for i := 1; i <= 60; i++ {
			v := &vouch.TaxonomyValue{Kind: vouch.TaxProduct, Name: fmt.Sprintf("Product %02d", i)}
			if err := s.DB.CreateTaxonomyValue(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		admin := testutil.Login(t, s, "ada@example.com")

		_, body := admin.Get("/admin/audit?entity_type=taxonomy_value")
		mustContain(t, "first page", body, "60 changes match", "Product 60", "Product 11")
		if strings.Contains(body, "→ Product 10<") || strings.Contains(body, "← Newest") {
			t.Fatalf("first page shows more than 50 entries or a Newest link\n%s", body)
		}
		m := olderLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no Older link\n%s", body)
		}
		next := html.UnescapeString(m[1])
		if !strings.Contains(next, "entity_type=taxonomy_value") || !strings.Contains(next, "before=") {
			t.Fatalf("Older link %s drops the filter or the cursor", next)
		}
		_, body = admin.Get(next)
		mustContain(t, "second page", body, "Product 10", "Product 01", "← Newest")
		if strings.Contains(body, "Product 11") || olderLink.MatchString(body) {
			t.Errorf("second page repeats entries or offers another page\n%s", body)
		}
	})
}
