package web_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// uploadFile posts a file to the import form as a browser does: multipart,
// the CSRF token of the last page first, then the fields, then the file.
func uploadFile(t *testing.T, b *testutil.Browser, name string, data []byte, fields url.Values) (*http.Response, string) {
	t.Helper()
	return uploadTo(t, b, "/references/import", name, data, fields)
}

// uploadTo posts a file to the import form at path (references or content).
func uploadTo(t *testing.T, b *testutil.Browser, path, name string, data []byte, fields url.Values) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("csrf", b.CSRF); err != nil {
		t.Fatal(err)
	}
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.Base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.Base)
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp, string(page)
}

var importPath = regexp.MustCompile(`^/(?:references|content|activities|opportunities|accounts)/import/([0-9a-f]{32})/(mapping|report|status)$`)

// importID reads the upload's id from the page a step ended on.
func importID(t *testing.T, resp *http.Response, step string) string {
	t.Helper()
	m := importPath.FindStringSubmatch(resp.Request.URL.Path)
	if m == nil || m[2] != step {
		t.Fatalf("got %d at %s, want the %s step", resp.StatusCode, resp.Request.URL.Path, step)
	}
	return m[1]
}

// selectedColumns reads the mapping step's choices as the form would post them.
func selectedColumns(t *testing.T, body string) url.Values {
	t.Helper()
	form := url.Values{}
	selects := regexp.MustCompile(`(?s)<select id="(col_\d+)" name="col_\d+"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1)
	if len(selects) == 0 {
		t.Fatalf("no column selects on the mapping page\n%s", body)
	}
	for _, s := range selects {
		v := ""
		if m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(s[2]); m != nil {
			v = html.UnescapeString(m[1])
		}
		form.Set(s[1], v)
	}
	return form
}

// waitForImport reloads the status page until the import is done, as the
// page itself does, and returns the last one.
func waitForImport(t *testing.T, b *testutil.Browser, id string) string {
	t.Helper()
	return waitForImportAt(t, b, "/references/import", id)
}

// waitForImportAt is waitForImport for the wizard at base.
func waitForImportAt(t *testing.T, b *testutil.Browser, base, id string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, body := b.Get(base + "/" + id + "/status")
		expect(t, "status page", resp, http.StatusOK, base+"/"+id+"/status")
		if resp.Header.Get("Refresh") == "" {
			return body
		}
		mustContain(t, "running import", body, "<progress", "This page updates itself")
		if time.Now().After(deadline) {
			t.Fatalf("the import is still running after a minute\n%s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func referenceCount(t *testing.T, s *testutil.Server) int {
	t.Helper()
	n, err := s.DB.CountReferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// searchFinds reports whether the references list finds name by q (the
// index follows the import's write as it commits).
func searchFinds(t *testing.T, b *testutil.Browser, q, name string) bool {
	t.Helper()
	for range 40 {
		_, body := b.Get("/references?q=" + url.QueryEscape(q))
		if strings.Contains(body, html.EscapeString(name)) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

const messyCSV = "Company,Full Name,E-mail Address,Vertical,Job Title,Internal notes\r\n" +
	"Northwind Health,Maya Okafor,maya@northwind.example,healthcare,Chief Information Officer,met at the summit\r\n" +
	"Blue Harbor Bank,Grace O'Neill,grace@blueharbor.example,Heathcare,VP of Engineering,\r\n" +
	"Cedar Labs,Tom Becker,tom@cedar,Technology,CTO,\r\n" +
	"Delta Freight,Ana Ruiz,ana@delta.example,Transportation & Logistics,Head of Ops,\r\n"

func TestImportReportListsBadRowsAndWritesNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")

		resp, body := pm.Get("/references")
		expect(t, "references list", resp, http.StatusOK, "/references")
		mustContain(t, "references list", body, `href="/references/import"`)
		resp, body = pm.Get("/references/import")
		expect(t, "import page", resp, http.StatusOK, "/references/import")
		mustContain(t, "import page", body, `enctype="multipart/form-data"`, `name="add_missing"`,
			`href="/references/import/template.csv"`, "Account CRM ID", "Last Verified")

		resp, body = uploadFile(t, pm, "people.csv", []byte(messyCSV), nil)
		id := importID(t, resp, "mapping")
		// The mapping step: every header with Vouch's guess, and the first rows.
		mustContain(t, "mapping step", body, "people.csv", "4 rows below the headers in row 1",
			`<option value="account" selected>`, `<option value="name" selected>`, `<option value="email" selected>`,
			`<option value="industry" selected>`, `<option value="title" selected>`, "Internal notes",
			"Maya Okafor", "Heathcare", `action="/references/import/`+id+`/check"`)
		form := selectedColumns(t, body)
		if form.Get("col_5") != "" {
			t.Errorf("'Internal notes' maps to %q, want ignored", form.Get("col_5"))
		}

		before := referenceCount(t, s)
		resp, body = pm.PostForm("/references/import/"+id+"/check", form)
		importID(t, resp, "report")
		mustContain(t, "report", body, "Check before importing",
			`<span class="count-n">2</span> new references`, `<span class="count-n">2</span> rows with problems`,
			"2 rows have problems",
			// By cause: the unknown value once, with its rows, column and field.
			"1 unknown Industry value", "In column D ‘Vertical’ (the Industry field).",
			`<code class="cell-value">Heathcare</code> — 1 row <span class="muted">(3)</span>`, "did you mean ‘Healthcare’?",
			// A short report lists each other problem open: row, column, value, reason.
			"Email: not an email address like name@example.com", `<details open>`,
			`<td data-label="Row" class="num">4</td>`, `<td data-label="Column">C ‘E-mail Address’ <span class="muted small">(Email)</span></td>`,
			`<code class="cell-value">tom@cedar</code>`, "not an email address",
			// Each choice says what it leaves out; adding a likely typo is not the primary one.
			`<button type="submit" class="primary" aria-describedby="choice-0-hint">Import the 2 valid rows only — leaves out 2</button>`,
			`<button type="submit" aria-describedby="choice-1-hint">Add the unknown value and import 3 rows — leaves out 1</button>`,
			"Check first:</strong> &#39;Heathcare&#39; — did you mean &#39;Healthcare&#39;? If it is a typo, fix the file instead.",
			"Ignored headers:", "Internal notes",
		)
		if strings.Contains(body, "disabled") {
			t.Error("the report shows a disabled button: every choice it shows can be taken")
		}
		if n := referenceCount(t, s); n != before {
			t.Fatalf("the check wrote references: %d → %d", before, n)
		}

		// The problems as a CSV, to fix the file by.
		resp, csvBody := pm.Get("/references/import/" + id + "/problems.csv")
		if resp.StatusCode != http.StatusOK || !strings.Contains(csvBody, "3,Vertical,Heathcare,did you mean 'Healthcare'?") {
			t.Errorf("problems.csv: %d\n%s", resp.StatusCode, csvBody)
		}

		// Import without choosing the valid rows only: all or nothing, so nothing.
		resp, _ = pm.PostForm("/references/import/"+id+"/apply", url.Values{})
		importID(t, resp, "status")
		body = waitForImport(t, pm, id)
		mustContain(t, "refused import", body, "Nothing was written", "Heathcare", "tom@cedar", "Import the 2 valid rows only — leaves out 2")
		if n := referenceCount(t, s); n != before {
			t.Fatalf("an import with bad rows wrote references: %d → %d", before, n)
		}

		// Import the valid rows only.
		resp, _ = pm.PostForm("/references/import/"+id+"/apply", url.Values{"valid_only": {"1"}})
		importID(t, resp, "status")
		body = waitForImport(t, pm, id)
		mustContain(t, "valid rows imported", body, "Imported people.csv", "Done: 2 new references, 0 updated, 0 unchanged; 2 rows with problems skipped",
			"These rows were skipped.", "Heathcare", `href="/references"`)
		if n := referenceCount(t, s); n != before+2 {
			t.Fatalf("%d references after importing the valid rows, want %d", n, before+2)
		}
		if !searchFinds(t, pm, "Okafor", "Maya Okafor") || !searchFinds(t, pm, "Ruiz", "Ana Ruiz") {
			t.Error("the imported references are not found by search")
		}
		if _, body := pm.Get("/references?q=Grace"); strings.Contains(body, "Grace O&#39;Neill") {
			t.Error("a rejected row was imported")
		}
		// The import was made by the person who started it.
		entries, _, err := s.DB.ListAudit(ctx, vouch.AuditFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			if e.EntityType == "reference" && e.Action == "create" {
				found = true
				if e.Actor != "pam@example.com" {
					t.Errorf("import audited as %q, want the program manager", e.Actor)
				}
			}
		}
		if !found {
			t.Error("no audit entry for the imported references")
		}

		// Applying again (the back button) does not import twice: it shows the outcome.
		resp, body = pm.PostForm("/references/import/"+id+"/apply", url.Values{"valid_only": {"1"}})
		importID(t, resp, "status")
		mustContain(t, "second apply", body, "Imported people.csv")
		if n := referenceCount(t, s); n != before+2 {
			t.Fatalf("%d references after a second click, want %d", n, before+2)
		}
		// The person can come back to it from the import page.
		_, body = pm.Get("/references/import")
		mustContain(t, "recent imports", body, "Your recent imports", `href="/references/import/`+id+`/status"`, "Imported")
	})
}

func TestImportAddsUnknownValuesWhenAsked(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		pm.Get("/references/import")
		file := "Account,Name,Email,Industry\nFarmCo,Lena Berg,lena@farmco.example,Agritech\n"
		resp, body := uploadFile(t, pm, "farm.csv", []byte(file), nil)
		id := importID(t, resp, "mapping")
		resp, body = pm.PostForm("/references/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "report", body, "1 unknown Industry value", `<code class="cell-value">Agritech</code> — 1 row`,
			`<button type="submit" class="primary" aria-describedby="choice-0-hint">Add the unknown value and import the row</button>`,
			"Adds the value listed above to its picklist", "Check again, adding unknown values")

		// The report's offer keeps the mapping and adds the value.
		resp, body = pm.PostForm("/references/import/"+id+"/check", url.Values{"add_missing": {"1"}})
		importID(t, resp, "report")
		mustContain(t, "report with values added", body, `<span class="count-n">1</span> picklist value to add`,
			"To be added to picklists:", "Industry &#39;Agritech&#39;",
			`<button type="submit" class="primary" aria-describedby="choice-0-hint">Add the new value and import the row</button>`)
		pm.PostForm("/references/import/"+id+"/apply", url.Values{})
		body = waitForImport(t, pm, id)
		mustContain(t, "import", body, "Done: 1 new reference,", "Added to picklists:")
		valueID(t, s.DB, vouch.TaxIndustry, "Agritech")
	})
}

func TestImportCleanCSVAndXLSX(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")

		// The template has the canonical headers, and imports as it is once filled in.
		resp, tmpl := pm.Get("/references/import/template.csv")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(tmpl, "\uFEFFAccount,Account CRM ID,Account Domain,Industry,") {
			t.Fatalf("template: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), tmpl)
		}
		n := strings.Count(tmpl, ",") + 1
		row := make([]string, n)
		row[0], row[8], row[11], row[3], row[28] = "Initrode", "Sam Lowe", "sam@initrode.example", "Retail", "CON-9"
		clean := tmpl + strings.Join(row, ",") + "\r\n"

		pm.Get("/references/import")
		before := referenceCount(t, s)
		resp, body := uploadFile(t, pm, "filled.csv", []byte(clean), nil)
		id := importID(t, resp, "mapping")
		if strings.Contains(body, "flash-error") {
			t.Fatalf("the template's mapping has an error\n%s", body)
		}
		resp, body = pm.PostForm("/references/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "clean report", body, `<span class="count-n">1</span> new reference`, `<span class="count-n">0</span> rows with problems`,
			`<button type="submit" class="primary" aria-describedby="choice-0-hint">Import the row</button>`, "Leaves out none.")
		if strings.Contains(body, "disabled") {
			t.Error("a clean file's Import button is disabled")
		}
		pm.PostForm("/references/import/"+id+"/apply", url.Values{})
		body = waitForImport(t, pm, id)
		mustContain(t, "clean import", body, "Done: 1 new reference, 0 updated, 0 unchanged.")
		if n := referenceCount(t, s); n != before+1 {
			t.Fatalf("%d references, want %d", n, before+1)
		}
		if !searchFinds(t, pm, "Lowe", "Sam Lowe") {
			t.Error("the imported reference is not found by search")
		}

		// An XLSX workbook whose second sheet holds the references.
		f := excelize.NewFile()
		if err := f.SetSheetName("Sheet1", "Notes"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue("Notes", "A1", "Exported from the CRM"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.NewSheet("People"); err != nil {
			t.Fatal(err)
		}
		for i, r := range [][]any{
			{"Customer Name", "Contact", "Email Address", "Case Study (Y/N)", "Go-Live Date"},
			{"Umbra Retail", "Kai Moreau", "kai@umbra.example", "Y", "2025-04-01"},
			{"Umbra Retail", "Noor Haddad", "noor@umbra.example", "N", ""},
		} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("People", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		pm.Get("/references/import")
		resp, body = uploadFile(t, pm, "crm.xlsx", buf.Bytes(), url.Values{"add_missing": {"1"}})
		id = importID(t, resp, "mapping")
		mustContain(t, "xlsx mapping", body, "crm.xlsx", "sheet “People”", "2 rows below the headers",
			`<option value="activity:Case study" selected>`, `name="add_missing" value="1" checked`, "Kai Moreau")
		resp, body = pm.PostForm("/references/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "xlsx report", body, `<span class="count-n">2</span> new references`, `<span class="count-n">1</span> new account`)
		pm.PostForm("/references/import/"+id+"/apply", url.Values{})
		body = waitForImport(t, pm, id)
		mustContain(t, "xlsx import", body, "Done: 2 new references")
		if !searchFinds(t, pm, "Moreau", "Kai Moreau") {
			t.Error("the reference from the workbook is not found by search")
		}
	})
}

func TestImportFileErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		before := referenceCount(t, s)

		for _, c := range []struct {
			name   string
			data   []byte
			status int
			want   string
		}{
			{"photo.csv", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 3}, 64)...), http.StatusBadRequest,
				"photo.csv is not a CSV or XLSX file."},
			{"empty.csv", []byte("  \n"), http.StatusBadRequest, "empty.csv is empty."},
			{"old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0}, http.StatusBadRequest, "old.xls is an Excel 97–2003"},
			{"", nil, http.StatusBadRequest, "Choose a CSV or Excel (.xlsx) file to import."},
			// Over the file limit but under the upload's (the file plus 1 MiB):
			// the form says so. Larger uploads get the server's 413 page.
			{"huge.csv", bytes.Repeat([]byte("Account,Name\n"), (20<<20+1<<10)/13), http.StatusRequestEntityTooLarge,
				"The file is larger than 20 MB."},
		} {
			pm.Get("/references/import")
			resp, body := uploadFile(t, pm, c.name, c.data, url.Values{"add_missing": {"1"}})
			expect(t, c.name, resp, c.status, "/references/import")
			mustContain(t, c.name, body, `aria-invalid="true" aria-describedby="file-error file-hint"`,
				`<p class="field-error" id="file-error" role="alert">`+html.EscapeString(c.want))
			if c.name != "huge.csv" {
				mustContain(t, c.name, body, `name="add_missing" value="1" checked`)
			}
		}

		// A sheet without the required columns goes on to the mapping step,
		// which says what is missing; mapping the header fixes it.
		pm.Get("/references/import")
		resp, body := uploadFile(t, pm, "kunden.csv", []byte("Kunde,Name,Mail\nAcme,Jo Park,jo@acme.example\n"), nil)
		id := importID(t, resp, "mapping")
		mustContain(t, "unmapped account", body, "No column for account, which every reference needs.")
		form := selectedColumns(t, body)
		resp, body = pm.PostForm("/references/import/"+id+"/check", form)
		expect(t, "check without account", resp, http.StatusBadRequest, "/references/import/"+id+"/check")
		mustContain(t, "check without account", body, "No column for account")

		// Two headers for one column: said next to both.
		form.Set("col_0", "account")
		form.Set("col_2", "account")
		resp, body = pm.PostForm("/references/import/"+id+"/check", form)
		expect(t, "duplicate column", resp, http.StatusBadRequest, "")
		mustContain(t, "duplicate column", body, `id="col_2-error">Also chosen for &#39;Kunde&#39; (column A)`,
			`id="col_0-error">Also chosen for &#39;Mail&#39; (column C)`)
		form.Set("col_2", "nonsense")
		_, body = pm.PostForm("/references/import/"+id+"/check", form)
		mustContain(t, "unknown column", body, `id="col_2-error">Choose a column from the list.`)

		form.Set("col_2", "email")
		resp, body = pm.PostForm("/references/import/"+id+"/check", form)
		importID(t, resp, "report")
		mustContain(t, "mapped by hand", body, `<span class="count-n">1</span> new reference`)
		// Coming back to the mapping step shows the choices made.
		_, body = pm.Get("/references/import/" + id + "/mapping")
		if got := selectedColumns(t, body); got.Get("col_0") != "account" || got.Get("col_2") != "email" {
			t.Errorf("mapping step after a check shows %v", got)
		}

		if n := referenceCount(t, s); n != before {
			t.Errorf("file errors wrote references: %d → %d", before, n)
		}
	})
}

func TestImportIsForTheProgramTeamAndTheUploader(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "tim@example.com", vouch.RoleTeamMember)
		testutil.CreateUser(t, s.DB, "sid@example.com", vouch.RoleSeller)
		pm := testutil.Login(t, s, "pam@example.com")
		pm.Get("/references/import")
		resp, _ := uploadFile(t, pm, "people.csv", []byte(messyCSV), nil)
		id := importID(t, resp, "mapping")

		seller := testutil.Login(t, s, "sid@example.com")
		_, body := seller.Get("/references")
		if strings.Contains(body, `href="/references/import"`) {
			t.Error("a seller sees the import button")
		}
		for _, path := range []string{"/references/import", "/references/import/template.csv", "/references/import/" + id + "/mapping",
			"/references/import/" + id + "/report", "/references/import/" + id + "/status"} {
			if resp, _ := seller.Get(path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("seller GET %s: %d, want 403", path, resp.StatusCode)
			}
		}
		if resp, _ := uploadFile(t, seller, "people.csv", []byte(messyCSV), nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("seller upload: %d, want 403", resp.StatusCode)
		}
		for _, path := range []string{"/references/import/" + id + "/check", "/references/import/" + id + "/apply"} {
			if resp, _ := seller.PostForm(path, url.Values{"valid_only": {"1"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("seller POST %s: %d, want 403", path, resp.StatusCode)
			}
		}

		// Another member of the team does not see someone else's upload.
		tim := testutil.Login(t, s, "tim@example.com")
		for _, path := range []string{"/references/import/" + id + "/mapping", "/references/import/" + id + "/status",
			"/references/import/" + strings.Repeat("0", 32) + "/mapping", "/references/import/../../etc/passwd/mapping"} {
			resp, body := tim.Get(path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s by another user: %d, want 404", path, resp.StatusCode)
			} else if strings.Contains(path, id) {
				mustContain(t, path, body, "This import is no longer here")
			}
		}
		tim.Get("/references/import")
		if resp, _ := tim.PostForm("/references/import/"+id+"/apply", url.Values{"valid_only": {"1"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("apply by another user: %d, want 404", resp.StatusCode)
		}
		// A forged upload without the CSRF token is refused.
		pm.CSRF = "forged"
		if resp, _ := uploadFile(t, pm, "people.csv", []byte(messyCSV), nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("upload with a wrong CSRF token: %d, want 403", resp.StatusCode)
		}
		if n := referenceCount(t, s); n != 0 {
			t.Errorf("%d references written", n)
		}
	})
}

func TestImportStatusShowsProgress(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		const rows = 1000
		var file strings.Builder
		file.WriteString("Account,Name,Email,Industry,Title\n")
		for i := range rows {
			fmt.Fprintf(&file, "Account %d,Person %d,person%d@example.com,Retail,Buyer\n", i%100, i, i)
		}
		pm.Get("/references/import")
		resp, body := uploadFile(t, pm, "big.csv", []byte(file.String()), nil)
		id := importID(t, resp, "mapping")
		mustContain(t, "big mapping", body, "1,000 rows below the headers")
		resp, body = pm.PostForm("/references/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "big report", body, `<span class="count-n">1,000</span> new references`)

		resp, body = pm.PostForm("/references/import/"+id+"/apply", url.Values{})
		importID(t, resp, "status")
		if refresh := resp.Header.Get("Refresh"); refresh != "" {
			if refresh != "1" {
				t.Errorf("Refresh: %q, want 1", refresh)
			}
			mustContain(t, "running", body, "Importing big.csv", "<progress", "This page updates itself every second",
				`href="/references/import/`+id+`/status">update now</a>`)
			if m := regexp.MustCompile(`<progress max="(\d+)" value="(\d+)"`).FindStringSubmatch(body); m != nil {
				total, _ := strconv.Atoi(m[1])
				if done, _ := strconv.Atoi(m[2]); total != rows || done > total {
					t.Errorf("progress %s of %s, want up to %d", m[2], m[1], rows)
				}
			}
		} else {
			t.Log("the import was done before its status page was first shown")
		}
		body = waitForImport(t, pm, id)
		mustContain(t, "done", body, "Done: 1,000 new references", `<span class="count-n">100</span> new accounts`)
		if strings.Contains(body, "<progress") {
			t.Error("a finished import still shows progress")
		}
		if n := referenceCount(t, s); n != rows {
			t.Errorf("%d references, want %d", n, rows)
		}
		// Once imported, the file is gone; the mapping step leads to the outcome.
		resp, _ = pm.Get("/references/import/" + id + "/mapping")
		importID(t, resp, "status")
	})
}

func TestImportInterruptedByARestartSaysSo(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		// A server died while importing: its upload is gone with it, its job
		// is "running" in the database.
		id := strings.Repeat("ab", 16)
		left := &vouch.Job{OwnerID: pam.ID, Kind: vouch.JobImport, Subject: id, Title: "people.csv"}
		if err := s.DB.CreateJob(ctx, left); err != nil {
			t.Fatal(err)
		}
		resp, body := pm.Get("/references/import/" + id + "/status")
		expect(t, "status while running", resp, http.StatusOK, "/references/import/"+id+"/status")
		mustContain(t, "running import", body, "Importing people.csv", "<progress")

		// The next server to start marks it failed.
		time.Sleep(30 * time.Millisecond)
		r, err := jobs.New(ctx, s.DB, jobs.Options{StaleAfter: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		resp, body = pm.Get("/references/import/" + id + "/status")
		expect(t, "status after the restart", resp, http.StatusOK, "/references/import/"+id+"/status")
		if resp.Header.Get("Refresh") != "" {
			t.Error("an interrupted import's page still reloads itself")
		}
		mustContain(t, "interrupted import", body, "The import did not finish",
			"Vouch restarted while this import was running; nothing was imported — start it again.")
		if strings.Contains(body, "<progress") {
			t.Error("an interrupted import still shows progress")
		}

		// Its outcome is listed until dismissed.
		_, body = pm.Get("/references/import")
		mustContain(t, "recent imports", body, "people.csv", "Failed", `action="/references/import/`+id+`/dismiss"`)
		resp, body = pm.PostForm("/references/import/"+id+"/dismiss", url.Values{})
		expect(t, "dismiss", resp, http.StatusOK, "/references/import")
		mustContain(t, "dismissed", body, "Dismissed the import of people.csv.")
		if strings.Contains(body, `action="/references/import/`+id+`/dismiss"`) {
			t.Error("a dismissed import is still listed")
		}
		resp, _ = pm.Get("/references/import/" + id + "/status")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("a dismissed import's page: %d, want 404", resp.StatusCode)
		}
	})
}

// A cell with a control character (NUL, ESC) is a problem of its row, shown
// with the column's letter and field; the valid rows still import.
func TestImportReportsControlCharacters(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		// The long ignored notes put the NUL past the first 64 KiB, where a
		// NUL would mark a binary file.
		file := "Account,Email,Name,Internal notes\n" +
			"Northwind Health,maya@northwind.example,Maya Okafor," + strings.Repeat("n", 70<<10) + "\n" +
			"Blue Harbor Bank,grace@blueharbor.example,Grace\x00O'Neill,\n"
		resp, body := uploadFile(t, pm, "people.csv", []byte(file), nil)
		id := importID(t, resp, "mapping")
		before := referenceCount(t, s)
		resp, body = pm.PostForm("/references/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "report", body, `<td data-label="Row" class="num">3</td>`, `<td data-label="Column">C ‘Name’</td>`,
			`<code class="cell-value">Grace\x00O&#39;Neill</code>`,
			"contains a control character (U&#43;0000) in column C (the Name field); remove it and import again")
		resp, _ = pm.PostForm("/references/import/"+id+"/apply", url.Values{"valid_only": {"1"}})
		importID(t, resp, "status")
		body = waitForImport(t, pm, id)
		mustContain(t, "valid rows imported", body, "Done: 1 new reference", "Grace")
		if n := referenceCount(t, s); n != before+1 {
			t.Fatalf("%d references after importing the valid rows, want %d", n, before+1)
		}
	})
}

// unknownProductsCSV is 60 rows, 55 of them with one of three products
// Vouch does not know: Voice (41 rows), Kiosk (12) and Wearables (2).
func unknownProductsCSV() string {
	var b strings.Builder
	b.WriteString("Account,Name,Email,Products\n")
	unknown := slices.Concat(slices.Repeat([]string{"Voice"}, 41), slices.Repeat([]string{"Kiosk"}, 12), []string{"Wearables", "Wearables"})
	products := slices.Repeat([]string{"Analytics"}, 5)
	for i := range unknown {
		products = append(products, unknown[i*17%len(unknown)]) // 17 and 55 are coprime: each once, mixed
	}
	for i, p := range products {
		fmt.Fprintf(&b, "Account %d,Person %d,person%d@example.com,%s\n", i%9, i, i, p)
	}
	return b.String()
}

// The report of a file whose rows fail over three unknown products lists
// each value once with its rows, and its primary choice adds them and
// imports every row; each choice imports the rows it says.
func TestImportReportLeadsToTheFix(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		file := []byte(unknownProductsCSV())
		counts := map[string]int{}
		for _, p := range strings.Split(string(file), "\n")[1:] {
			if f := strings.Split(p, ","); len(f) == 4 {
				counts[f[3]]++
			}
		}
		if counts["Voice"] != 41 || counts["Kiosk"] != 12 || counts["Wearables"] != 2 {
			t.Fatalf("the file's products: %v", counts)
		}
		rowsOf := map[string][]string{}
		for i, p := range strings.Split(string(file), "\n")[1:] {
			if f := strings.Split(p, ","); len(f) == 4 {
				rowsOf[f[3]] = append(rowsOf[f[3]], strconv.Itoa(i+2))
			}
		}
		check := func() (string, string) {
			t.Helper()
			pm.Get("/references/import")
			resp, body := uploadFile(t, pm, "products.csv", file, nil)
			id := importID(t, resp, "mapping")
			resp, body = pm.PostForm("/references/import/"+id+"/check", selectedColumns(t, body))
			importID(t, resp, "report")
			return id, body
		}
		id, body := check()
		mustContain(t, "report", body, "55 rows have problems", "3 unknown Product values", "In column D ‘Products’.",
			`<code class="cell-value">Voice</code> — 41 rows <span class="muted">(`+strings.Join(rowsOf["Voice"][:6], ", ")+` …)</span>`,
			`<code class="cell-value">Kiosk</code> — 12 rows`,
			`<code class="cell-value">Wearables</code> — 2 rows <span class="muted">(`+strings.Join(rowsOf["Wearables"], ", ")+`)</span>`,
			`<button type="submit" class="primary" aria-describedby="choice-0-hint">Add the 3 unknown values and import all 60 rows</button>`,
			"Leaves out none. Adds the 3 values listed above to their picklists",
			`<button type="submit" aria-describedby="choice-1-hint">Import the 5 valid rows only — leaves out 55</button>`)
		for _, v := range []string{"Voice", "Kiosk", "Wearables"} {
			if n := strings.Count(body, `<code class="cell-value">`+v+`</code>`); n != 1 {
				t.Errorf("the report shows %s %d times, want once", v, n)
			}
		}
		if strings.Contains(body, "not a known product") {
			t.Error("the report repeats the reason per row")
		}
		// Opened, a value lists all its rows.
		if !strings.Contains(body, `<p class="small all-rows">Rows `+strings.Join(rowsOf["Voice"], ", ")+`</p>`) {
			t.Error("the rows of Voice are not listed in full")
		}

		// The valid rows only: 5 references.
		resp, _ := pm.PostForm("/references/import/"+id+"/apply", url.Values{"valid_only": {"1"}})
		importID(t, resp, "status")
		body = waitForImport(t, pm, id)
		mustContain(t, "valid rows", body, "Done: 5 new references, 0 updated, 0 unchanged; 55 rows with problems skipped.")
		if n := referenceCount(t, s); n != 5 {
			t.Fatalf("%d references after importing the valid rows, want 5", n)
		}

		// The same file again: adding the values imports the 55 others.
		id, body = check()
		mustContain(t, "second report", body, `<span class="count-n">5</span> unchanged`,
			`class="primary" aria-describedby="choice-0-hint">Add the 3 unknown values and import all 60 rows</button>`)
		resp, _ = pm.PostForm("/references/import/"+id+"/apply", url.Values{"add_missing": {"1"}})
		importID(t, resp, "status")
		body = waitForImport(t, pm, id)
		mustContain(t, "values added", body, "Done: 55 new references, 0 updated, 5 unchanged.", "Added to picklists:")
		if n := referenceCount(t, s); n != 60 {
			t.Fatalf("%d references after adding the values, want 60", n)
		}
		for _, v := range []string{"Voice", "Kiosk", "Wearables"} {
			valueID(t, s.DB, vouch.TaxProduct, v)
		}
	})
}

// A row repeating another exactly is imported once, with a note; a row
// sharing another's email but differing stays a problem naming both rows.
func TestImportRepeatedRowsAreImportedOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		file := "Account,Name,Email,Title,Notes\n" +
			"Acme,Maya Okafor,maya@acme.example,CTO,\n" + // row 2
			"Acme,Tom Becker,tom@acme.example,CFO,\n" + // row 3
			"Acme,Maya Okafor,maya@acme.example,CTO,called twice\n" + // row 4: repeats row 2 (notes are not imported)
			"Acme,Tom Becker,tom@acme.example,Chief Financial Officer,\n" + // row 5: Tom's email, another title
			"Acme,Maya Okafor,maya@acme.example,CTO,\n" // row 6: repeats row 2
		pm.Get("/references/import")
		resp, body := uploadFile(t, pm, "people.csv", []byte(file), nil)
		id := importID(t, resp, "mapping")
		resp, body = pm.PostForm("/references/import/"+id+"/check", selectedColumns(t, body))
		importID(t, resp, "report")
		mustContain(t, "report", body, "Rows 4 and 6 repeat row 2 exactly; imported once.", "1 row has problems",
			"Email: the same email as an earlier row", `<td data-label="Row" class="num">5</td>`, "the same email as row 3",
			`<span class="count-n">2</span> new references`,
			`class="primary" aria-describedby="choice-0-hint">Import the 4 valid rows only — leaves out 1</button>`)
		resp, _ = pm.PostForm("/references/import/"+id+"/apply", url.Values{"valid_only": {"1"}})
		importID(t, resp, "status")
		body = waitForImport(t, pm, id)
		mustContain(t, "import", body, "Done: 2 new references, 0 updated, 0 unchanged; 2 repeated rows imported once; 1 row with problems skipped.",
			"Rows 4 and 6 repeat row 2 exactly; imported once.")
		if n := referenceCount(t, s); n != 2 {
			t.Errorf("%d references, want Maya and Tom once each", n)
		}
	})
}
