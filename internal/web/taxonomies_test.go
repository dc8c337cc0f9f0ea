package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestTaxonomies(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		admin := testutil.Login(t, s, "ada@example.com")

		resp, body := admin.Get("/admin/taxonomies")
		expect(t, "overview", resp, http.StatusOK, "/admin/taxonomies")
		mustContain(t, "overview", body, `<a href="/admin/taxonomies/industry">Industries</a>`,
			`<td data-label="Active values" class="num">14</td>`, "Values in use cannot be deleted, only retired")

		const page = "/admin/taxonomies/industry"
		resp, body = admin.PostForm(page, url.Values{"name": {"  Aerospace   and Defense "}})
		expect(t, "add", resp, http.StatusOK, page)
		mustContain(t, "add", body, `Added &#34;Aerospace and Defense&#34; to industries.`, `value="Aerospace and Defense"`)
		v := taxonomyValue(t, s.DB, vouch.TaxIndustry, "Aerospace and Defense")

		resp, body = admin.PostForm(page, url.Values{"name": {"aerospace AND defense"}})
		expect(t, "duplicate", resp, http.StatusConflict, page)
		mustContain(t, "duplicate", body, "Industries already has a value named",
			`id="name-error">Name already exists.</p>`, `value="aerospace AND defense"`)
		resp, body = admin.PostForm(page, url.Values{"name": {""}})
		expect(t, "empty", resp, http.StatusBadRequest, page)
		mustContain(t, "empty", body, `id="name-error">Name is required.</p>`)

		row := fmt.Sprintf("%s/%d", page, v.ID)
		resp, body = admin.PostForm(row, url.Values{"name": {"Aerospace"}, "position": {"5"}})
		expect(t, "rename", resp, http.StatusOK, page)
		mustContain(t, "rename", body, "Renamed &#34;Aerospace and Defense&#34; to &#34;Aerospace&#34;")
		if v = taxonomyValue(t, s.DB, vouch.TaxIndustry, "Aerospace"); v.Position != 5 {
			t.Errorf("position %d, want 5", v.Position)
		}
		// Renaming onto another value's name is refused next to that row's field.
		resp, body = admin.PostForm(row, url.Values{"name": {"Retail"}, "position": {"5"}})
		expect(t, "rename to duplicate", resp, http.StatusConflict, row)
		mustContain(t, "rename to duplicate", body, fmt.Sprintf(`id="name-%d-error">Name already exists.</p>`, v.ID))
		resp, body = admin.PostForm(row, url.Values{"name": {"Aerospace"}, "position": {"first"}})
		expect(t, "bad position", resp, http.StatusBadRequest, row)
		mustContain(t, "bad position", body, fmt.Sprintf(`id="position-%d-error">Position must be a whole number`, v.ID))

		resp, body = admin.PostForm(row, url.Values{"retired": {"true"}})
		expect(t, "retire", resp, http.StatusOK, page)
		mustContain(t, "retire", body, "Retired &#34;Aerospace&#34;", `<span class="pill pill-muted">Retired</span>`)
		if v = taxonomyValue(t, s.DB, vouch.TaxIndustry, "Aerospace"); !v.Retired || v.Position != 5 {
			t.Errorf("after retire: retired %v position %d", v.Retired, v.Position)
		}
		_, body = admin.Get("/admin/taxonomies")
		mustContain(t, "overview after retire", body, `<td data-label="Retired values" class="num">1</td>`)
		resp, body = admin.PostForm(row, url.Values{"retired": {"false"}})
		expect(t, "restore", resp, http.StatusOK, page)
		mustContain(t, "restore", body, "Restored &#34;Aerospace&#34;")
		if v = taxonomyValue(t, s.DB, vouch.TaxIndustry, "Aerospace"); v.Retired {
			t.Error("still retired after restore")
		}

		resp, body = admin.PostForm(row+"/delete", url.Values{})
		expect(t, "delete", resp, http.StatusOK, page)
		mustContain(t, "delete", body, "Deleted &#34;Aerospace&#34;.")
		if _, err := s.DB.TaxonomyValue(ctx, v.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("deleted value still there: %v", err)
		}

		// Unknown picklists and values reached through the wrong picklist are 404s.
		resp, body = admin.Get("/admin/taxonomies/flavours")
		expect(t, "unknown kind", resp, http.StatusNotFound, "")
		mustContain(t, "unknown kind", body, "Page not found")
		retail := taxonomyValue(t, s.DB, vouch.TaxIndustry, "Retail")
		resp, _ = admin.PostForm(fmt.Sprintf("/admin/taxonomies/region/%d/delete", retail.ID), url.Values{})
		expect(t, "value of another kind", resp, http.StatusNotFound, "")
		taxonomyValue(t, s.DB, vouch.TaxIndustry, "Retail")

		seller := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		_ = seller
		resp, _ = testutil.Login(t, s, "sam@example.com").Get(page)
		expect(t, "seller", resp, http.StatusForbidden, "")
	})
}

// TestDeleteTaxonomyValueInUse: a value an account uses cannot be deleted;
// the page says so and suggests retiring it.
func TestDeleteTaxonomyValueInUse(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		admin := testutil.Login(t, s, "ada@example.com")
		retail := taxonomyValue(t, s.DB, vouch.TaxIndustry, "Retail")
		if err := s.DB.CreateAccount(ctx, &vouch.Account{Name: "Shopwise", IndustryID: retail.ID}); err != nil {
			t.Fatal(err)
		}

		resp, body := admin.PostForm(fmt.Sprintf("/admin/taxonomies/industry/%d/delete", retail.ID), url.Values{})
		expect(t, "delete in use", resp, http.StatusOK, "/admin/taxonomies/industry")
		mustContain(t, "delete in use", body, `flash-error`, "&#34;Retail&#34; is in use, so it cannot be deleted; retire it instead")
		taxonomyValue(t, s.DB, vouch.TaxIndustry, "Retail")
	})
}

func taxonomyValue(t *testing.T, db *store.DB, kind vouch.TaxonomyKind, name string) *vouch.TaxonomyValue {
	t.Helper()
	values, err := db.ListTaxonomy(ctx, kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("%s has no value %q", kind, name)
	return nil
}
