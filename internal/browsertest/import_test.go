package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The import wizard as a person uses it: upload a spreadsheet whose headers
// are not Vouch's own, see them mapped, read the dry run's problems, import
// the valid rows only and watch the import finish.

var importPath = regexp.MustCompile(`^/references/import/([0-9a-f]{32})/(mapping|report|status)$`)

// importStep returns the upload id and the step of the wizard page the
// browser is on, failing the test when it is elsewhere.
func importStep(t *testing.T, c *testutil.Chrome, want string) string {
	t.Helper()
	p := path(t, c.URL())
	m := importPath.FindStringSubmatch(p)
	if m == nil || m[2] != want {
		msg := ""
		if c.Has(".flash-error") {
			msg = c.Text(".flash-error")
		}
		if c.Has(".field-error") {
			msg += " " + c.Text(".field-error")
		}
		t.Fatalf("at %s, want the %s step of an import %s", p, want, msg)
	}
	return m[1]
}

func TestImportFileWithErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		// Headers a CRM export might have: none is Vouch's own name for its column.
		const csv = "Company,Full Name,E-mail,Vertical\n" +
			"Cedar Health,Grace Walsh,grace.walsh@cedar.example,Heathcare\n" + // row 2: a typo
			"Harbor Logistics,Omar Haddad,not-an-email,Transportation & Logistics\n" + // row 3: no email
			"Fjordline Freight,Ingrid Solberg,ingrid.solberg@fjordline.example,Transportation & Logistics\n" // row 4: fine
		file := filepath.Join(t.TempDir(), "crm-contacts.csv")
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}

		// Step 1: upload, from the references list.
		c.LoginAs(s, "paula@example.com")
		c.Open(s.URL + "/references")
		c.Submit(`.page-head a[href="/references/import"]`)
		if p := path(t, c.URL()); p != "/references/import" || c.Text("h1") != "Import references" {
			t.Fatalf("the Import link opened %s titled %q", p, c.Text("h1"))
		}
		c.Do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
		if resp := c.Submit(`form.upload-form button[type=submit]`); resp.Status != http.StatusOK {
			t.Errorf("uploading ended with status %d", resp.Status)
		}

		// Step 2: the headers are recognised by their synonyms.
		id := importStep(t, c, "mapping")
		if got := words(c.Text(".lede")); !strings.HasPrefix(got, "crm-contacts.csv: 3 rows below the headers in row 1.") {
			t.Errorf("the mapping step says %q", got)
		}
		mapped := testutil.Eval[[][]string](c, `[...document.querySelectorAll("table.mapping tbody tr")].map(tr => {
			const s = tr.querySelector("select");
			return [tr.querySelector(".header-cell label").innerText.replace(/\s+/g, " ").trim(), s.value, s.selectedOptions[0].text];
		})`)
		want := [][]string{
			{"A Company", "account", "Account (required)"},
			{"B Full Name", "name", "Name (required)"},
			{"C E-mail", "email", "Email"},
			{"D Vertical", "industry", "Industry"},
		}
		if !equalRows(mapped, want) {
			t.Errorf("the mapping step chose\n%s\nwant\n%s", showRows(mapped), showRows(want))
		}
		if got := c.Text("table.preview tbody tr"); !strings.Contains(got, "Heathcare") {
			t.Errorf("the preview's first row = %q, want the file's row 2", got)
		}
		if resp := c.Submit(`form.mapping-form button[type=submit]`); resp.Status != http.StatusOK {
			t.Errorf("Check ended with status %d", resp.Status)
		}

		// Step 3: the dry run's report lists each problem by row and header.
		if got := importStep(t, c, "report"); got != id {
			t.Errorf("the report is of upload %s, want %s", got, id)
		}
		if got := c.Text("h1"); got != "Check before importing" {
			t.Errorf("report heading = %q", got)
		}
		counts := testutil.Eval[[]string](c, `[...document.querySelectorAll(".counts .count")].map(e => e.innerText.replace(/\s+/g, " ").trim())`)
		for _, want := range []string{"1 new reference", "2 rows with problems"} {
			if !slices.Contains(counts, want) {
				t.Errorf("the counts %q lack %q", counts, want)
			}
		}
		if got := c.Text("#problems-heading"); got != "2 rows have problems" {
			t.Errorf("problems heading = %q", got)
		}
		problems := testutil.Eval[[][]string](c, `[...document.querySelectorAll(".problem-table tbody tr")].map(tr =>
			[...tr.querySelectorAll("td")].map(td => td.innerText.trim()))`)
		if len(problems) != 2 {
			t.Fatalf("the problems table lists\n%s\nwant 2 problems", showRows(problems))
		}
		typo, email := problems[0], problems[1]
		if len(typo) != 4 || typo[0] != "2" || typo[1] != "Vertical" || typo[2] != "Heathcare" ||
			!strings.Contains(typo[3], "did you mean 'Healthcare'?") {
			t.Errorf("first problem = %q, want row 2, Vertical, Heathcare, did you mean 'Healthcare'?", typo)
		}
		if len(email) != 4 || email[0] != "3" || email[1] != "E-mail" || email[2] != "not-an-email" ||
			!strings.Contains(email[3], "not an email address") {
			t.Errorf("second problem = %q, want row 3, E-mail, not-an-email, not an email address", email)
		}
		if got := words(c.Text(".problems .notice")); !strings.Contains(got, "1 of these rows fails only because of values Vouch does not know yet: Industry 'Heathcare'") {
			t.Errorf("the notice about unknown values says %q", got)
		}

		// Importing everything is refused, with the reason next to the button.
		all := `.import-actions button[type=submit]:not([name])`
		if got := c.Text(all); got != "Import" {
			t.Errorf("the first import button reads %q", got)
		}
		if !testutil.Eval[bool](c, fmt.Sprintf(`document.querySelector(%q).disabled`, all)) {
			t.Errorf("the Import button is enabled although rows have problems")
		}
		why := testutil.Eval[string](c, fmt.Sprintf(`(b => {
			const e = document.getElementById(b.getAttribute("aria-describedby"));
			return e ? e.innerText.trim() : "";
		})(document.querySelector(%q))`, all))
		if why != "2 rows have problems — fix the file or import the valid rows only." {
			t.Errorf("the disabled Import button is explained by %q", why)
		}
		validOnly := `.import-actions button[name="valid_only"]`
		if got := c.Text(validOnly); got != "Import the valid rows only" {
			t.Errorf("the second import button reads %q", got)
		}
		if got := c.Text("#valid-only-hint"); got != "Imports the 1 row without problems and skips the 2 listed above." {
			t.Errorf("the valid-only hint = %q", got)
		}
		if n, err := s.DB.CountReferences(context.Background()); err != nil || n != 0 {
			t.Fatalf("after the dry run the database has %d references (%v), want 0", n, err)
		}

		// Step 4: import the valid rows; the status page updates itself until done.
		c.Submit(validOnly)
		if got := importStep(t, c, "status"); got != id {
			t.Errorf("the status page is of upload %s, want %s", got, id)
		}
		c.WaitText(".flash-success", "Done:")
		if got := c.Text("h1"); got != "Imported crm-contacts.csv" {
			t.Errorf("status heading when done = %q", got)
		}
		if got := c.Text(".flash-success"); got != "Done: 1 new reference, 0 updated, 0 unchanged; 2 rows with problems skipped." {
			t.Errorf("the result says %q", got)
		}
		if got := words(c.Text(".problems p.small")); !strings.Contains(got, "These rows were skipped.") {
			t.Errorf("the skipped rows' note says %q", got)
		}
		if got := testutil.Eval[int](c, `document.querySelectorAll(".problem-table tbody tr").length`); got != 2 {
			t.Errorf("the status page lists %d problems, want the 2 skipped", got)
		}
		if n, err := s.DB.CountReferences(context.Background()); err != nil || n != 1 {
			t.Errorf("after the import the database has %d references (%v), want 1", n, err)
		}

		// The list shows the one imported reference.
		c.Submit(`.import-outcome a[href="/references"]`)
		if got := c.Text("#ref-count"); got != "1 reference" {
			t.Errorf("list count = %q, want 1 reference", got)
		}
		c.Open(s.URL + "/references?cols=account,industry") // industry is not a program manager's usual column
		row := c.Text("table.refs tbody tr")
		for _, want := range []string{"Ingrid Solberg", "Fjordline Freight", "Transportation & Logistics"} {
			if !strings.Contains(row, want) {
				t.Errorf("the list row lacks %q: %q", want, row)
			}
		}
		noPageErrors(t, c)
	})
}

func equalRows(a, b [][]string) bool { return showRows(a) == showRows(b) }

func showRows(rows [][]string) string {
	var lines []string
	for _, r := range rows {
		lines = append(lines, "  "+strings.Join(r, " | "))
	}
	return strings.Join(lines, "\n")
}
