package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

const contentCSV = "Title,Type,Link,Customer,Approval State,Approved By,Approval Method,Notes\n" +
	"Northwind cuts triage time,Case study,https://example.com/northwind,Northwind Health,approved external,Dana Park,mail,from the summit\n" +
	"Cedar on camera,Case stdy,https://videos.example/cedar,,draft,,,\n" +
	"Zenith webinar,Webinar,,Zenith Air,,,,\n"

// TestContentImportWizard walks the content list through the wizard the
// references use: upload, mapping, the dry run's report (nothing written),
// the valid rows only in the background, and back to the import page.
func TestContentImportWizard(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		if err := s.DB.CreateAccount(ctx, &vouch.Account{Name: "Northwind Health"}); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		seller := testutil.Login(t, s, "sam@example.com")
		if resp, _ := seller.Get("/content/import"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller opens the content import: %d", resp.StatusCode)
		}
		seller.Get("/")
		if resp, _ := uploadTo(t, seller, "/content/import", "content.csv", []byte(contentCSV), nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller uploads a content list: %d", resp.StatusCode)
		}

		tm := testutil.Login(t, s, "tess@example.com")
		resp, body := tm.Get("/content/import")
		expect(t, "content import page", resp, http.StatusOK, "/content/import")
		mustContain(t, "content import page", body, "Import a content list", `<a href="/content/import" aria-current="page">Import</a>`,
			`action="/content/import"`, `href="/content/import/template.csv"`, "Approval State", "Expiry Date",
			"An item is matched by its URL, else by its title and type")
		resp, tmpl := tm.Get("/content/import/template.csv")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimPrefix(tmpl, "\uFEFF"), "Title,Type,Summary,Body,URL,Accounts,References,") {
			t.Errorf("template: %d %q", resp.StatusCode, tmpl)
		}

		resp, body = uploadTo(t, tm, "/content/import", "content.csv", []byte(contentCSV), nil)
		id := importID(t, resp, "mapping")
		if !strings.HasPrefix(resp.Request.URL.Path, "/content/import/") {
			t.Fatalf("the upload went on to %s", resp.Request.URL.Path)
		}
		mustContain(t, "mapping step", body, "3 rows below the headers in row 1", `<option value="title" selected>`,
			`<option value="url" selected>`, `<option value="accounts" selected>`, `<option value="state" selected>`,
			`<option value="approval_method" selected>`, `action="/content/import/`+id+`/check"`)
		// The upload belongs to the content import: the reference wizard does not know it.
		if resp, _ := tm.Get("/references/import/" + id + "/mapping"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the content upload opens in the reference wizard: %d", resp.StatusCode)
		}

		resp, body = tm.PostForm("/content/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "report", body, "Check before importing", `<span class="count-n">1</span> new content item`,
			"2 rows have problems", "1 unknown Content type value", `<code class="cell-value">Case stdy</code>`, "did you mean ‘Case study’?",
			"1 unknown Account value", `<code class="cell-value">Zenith Air</code>`, "In column D ‘Customer’ (the Accounts field).",
			"Import the 1 valid row only — leaves out 2", "Ignored headers:", "Notes", `action="/content/import/`+id+`/apply"`)
		if items, _ := s.DB.ContentItems(ctx, nil); len(items) != 0 {
			t.Fatalf("the check wrote %d items", len(items))
		}
		resp, problems := tm.Get("/content/import/" + id + "/problems.csv")
		if resp.StatusCode != http.StatusOK || !strings.Contains(problems, "3,Type,Case stdy,did you mean 'Case study'?") ||
			!strings.Contains(problems, "4,Customer,Zenith Air,not a known account") {
			t.Errorf("problems.csv: %d\n%s", resp.StatusCode, problems)
		}

		// All or nothing: nothing.
		resp, _ = tm.PostForm("/content/import/"+id+"/apply", url.Values{})
		importID(t, resp, "status")
		body = waitForImportAt(t, tm, "/content/import", id)
		mustContain(t, "refused import", body, "Nothing was written", "Case stdy")
		if items, _ := s.DB.ContentItems(ctx, nil); len(items) != 0 {
			t.Fatalf("an import with bad rows wrote %d items", len(items))
		}

		resp, _ = tm.PostForm("/content/import/"+id+"/apply", url.Values{"valid_only": {"1"}})
		importID(t, resp, "status")
		body = waitForImportAt(t, tm, "/content/import", id)
		mustContain(t, "valid rows imported", body, "Imported content.csv",
			"Done: 1 new content item, 0 updated, 0 unchanged; 2 rows with problems skipped", `href="/content">See the content library</a>`)
		items, err := s.DB.ContentItems(ctx, nil)
		if err != nil || len(items) != 1 {
			t.Fatalf("%d items after the import (%v)", len(items), err)
		}
		it := items[0]
		if it.Title != "Northwind cuts triage time" || it.State != vouch.ContentApprovedExternal || it.ApprovedBy != "Dana Park" ||
			it.ExpiresOn.IsZero() || len(it.AccountIDs) != 1 {
			t.Errorf("the imported item: %+v", it)
		}
		entries, _, err := s.DB.ListAudit(ctx, vouch.AuditFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		audited := false
		for _, e := range entries {
			if e.EntityType == string(vouch.EntityContent) && e.Action == "create" {
				audited = e.Actor == "tess@example.com"
			}
		}
		if !audited {
			t.Error("the imported item is not audited as the person who imported it")
		}

		// Come back to it from the import page; the reference import lists it not.
		_, body = tm.Get("/content/import")
		mustContain(t, "recent imports", body, "Your recent imports", `href="/content/import/`+id+`/status"`, "Imported")
		if _, body := tm.Get("/references/import"); strings.Contains(body, id) {
			t.Error("the reference import lists the content import")
		}
	})
}

// TestContentImportAddsAccountsWhenAsked adds an unknown featured account,
// and an unknown picklist value, when the upload asks to.
func TestContentImportAddsAccountsWhenAsked(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		pm.Get("/content/import")
		file := "Title,Type,Accounts,Products\nZenith webinar,Webinar,Zenith Air,Chatbots\n"
		resp, body := uploadTo(t, pm, "/content/import", "zenith.csv", []byte(file), url.Values{"add_missing": {"1"}})
		id := importID(t, resp, "mapping")
		form := selectedColumns(t, body)
		form.Set("add_missing", "1")
		resp, body = pm.PostForm("/content/import/"+id+"/check", form)
		importID(t, resp, "report")
		mustContain(t, "report", body, `<span class="count-n">1</span> new content item`, "To be added:", "Product &#39;Chatbots&#39;", "Account &#39;Zenith Air&#39;")
		resp, _ = pm.PostForm("/content/import/"+id+"/apply", url.Values{"add_missing": {"1"}})
		importID(t, resp, "status")
		body = waitForImportAt(t, pm, "/content/import", id)
		mustContain(t, "import", body, "Done: 1 new content item")
		a, err := s.DB.AccountByName(ctx, "Zenith Air")
		if err != nil {
			t.Fatalf("the account was not added: %v", err)
		}
		items, _ := s.DB.ContentItems(ctx, nil)
		if len(items) != 1 || len(items[0].AccountIDs) != 1 || items[0].AccountIDs[0] != a.ID || len(items[0].ProductIDs) != 1 {
			t.Errorf("the item: %+v", items)
		}
	})
}
