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
		// By cause: the unknown value once, with its row; the bad email with its row, column and field.
		if got := words(c.Text(".unknown-value")); got != "Heathcare — 1 row (2) did you mean ‘Healthcare’?" {
			t.Errorf("the unknown value reads %q", got)
		}
		if got := words(c.Text(".problem-group .problem-where")); got != "In column D ‘Vertical’ (the Industry field)." {
			t.Errorf("the unknown value's column reads %q", got)
		}
		problems := testutil.Eval[[][]string](c, `[...document.querySelectorAll(".problem-table tbody tr")].map(tr =>
			[...tr.querySelectorAll("td")].map(td => td.innerText.replace(/\s+/g, " ").trim()))`)
		if len(problems) != 1 {
			t.Fatalf("the problems table lists\n%s\nwant the bad email", showRows(problems))
		}
		if email := problems[0]; len(email) != 4 || email[0] != "3" || email[1] != "C ‘E-mail’ (Email)" || email[2] != "not-an-email" ||
			!strings.Contains(email[3], "not an email address") {
			t.Errorf("the email problem = %q, want row 3, C ‘E-mail’ (Email), not-an-email, not an email address", email)
		}
		if !c.Visible(".problem-table") {
			t.Error("a short report's problems are not shown open")
		}

		// The choices: adding the typo would import most, but is not primary.
		choices := testutil.Eval[[]string](c, `[...document.querySelectorAll(".import-choice button")].map(b => b.innerText.trim())`)
		if want := []string{"Import the 1 valid row only — leaves out 2", "Add the unknown value and import 2 rows — leaves out 1"}; !slices.Equal(choices, want) {
			t.Errorf("the choices are %q, want %q", choices, want)
		}
		if got := c.Text(".import-choice-primary button"); got != choices[0] || !c.Has(".import-choice-primary button.primary") {
			t.Errorf("the primary choice is %q", got)
		}
		if got := words(c.Text("#choice-1-hint")); !strings.Contains(got, "Check first: 'Heathcare' — did you mean 'Healthcare'?") {
			t.Errorf("the choice adding a likely typo says %q", got)
		}
		validOnly := `.import-choice-primary button`
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
		if got := testutil.Eval[int](c, `document.querySelectorAll(".problem-group").length`); got != 2 {
			t.Errorf("the status page lists %d causes of problems, want the 2 of the skipped rows", got)
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

// The report of a 60-row file whose rows fail over three unknown products
// leads to the fix: each value once, with its rows; the primary button adds
// them and imports every row; each choice says what it leaves out; and the
// report fits about one screen. Its screenshots are kept as test artifacts.
func TestImportReportLeadsToTheFix(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		var csv strings.Builder
		csv.WriteString("Company,Full Name,E-mail,Products\n")
		unknown := slices.Concat(slices.Repeat([]string{"Voice"}, 41), slices.Repeat([]string{"Kiosk"}, 12), []string{"Wearables", "Wearables"})
		products := slices.Repeat([]string{"Analytics"}, 5)
		for i := range unknown {
			products = append(products, unknown[i*17%len(unknown)]) // each once, mixed
		}
		for i, p := range products {
			fmt.Fprintf(&csv, "Account %d,Person %d,person%d@example.com,%s\n", i%9, i, i, p)
		}
		file := filepath.Join(t.TempDir(), "products.csv")
		if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
			t.Fatal(err)
		}

		c.LoginAs(s, "paula@example.com")
		c.Desktop()
		c.Open(s.URL + "/references/import")
		c.Do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
		c.Submit(`form.upload-form button[type=submit]`)
		importStep(t, c, "mapping")
		c.Submit(`form.mapping-form button[type=submit]`)
		importStep(t, c, "report")

		if got := c.Text("#problems-heading"); got != "55 rows have problems" {
			t.Errorf("problems heading = %q", got)
		}
		if got := words(c.Text(".problem-cause")); got != "3 unknown Product values · 55 rows" {
			t.Errorf("the unknown values' heading = %q", got)
		}
		values := testutil.Eval[[]string](c, `[...document.querySelectorAll(".unknown-value")].map(e => e.innerText.replace(/\s+/g, " ").trim())`)
		if len(values) != 3 || !strings.HasPrefix(values[0], "Voice — 41 rows (") || !strings.HasPrefix(values[1], "Kiosk — 12 rows (") ||
			!strings.HasPrefix(values[2], "Wearables — 2 rows (") {
			t.Errorf("the unknown values read %q, want Voice (41 rows), Kiosk (12), Wearables (2)", values)
		}
		main := c.Text("main")
		for _, v := range []string{"Voice", "Kiosk", "Wearables"} {
			if n := strings.Count(main, v); n != 1 {
				t.Errorf("the report shows %s %d times, want once", v, n)
			}
		}
		// A value opens to all its rows.
		c.Click(".unknown-value details summary")
		if got := c.Text(".unknown-value .all-rows"); strings.Count(got, ",") != 40 {
			t.Errorf("Voice opened lists %q, want its 41 rows", got)
		}
		c.Click(".unknown-value details summary")

		// The fix is the primary button; each choice says what it leaves out.
		if got := c.Text("button.primary"); got != "Add the 3 unknown values and import all 60 rows" {
			t.Errorf("the primary button reads %q", got)
		}
		if n := testutil.Eval[int](c, `document.querySelectorAll("main button.primary").length`); n != 1 {
			t.Errorf("%d primary buttons, want 1", n)
		}
		choices := testutil.Eval[[]string](c, `[...document.querySelectorAll(".import-choice")].map(e => e.innerText.replace(/\s+/g, " ").trim())`)
		if len(choices) != 2 || !strings.Contains(choices[0], "Leaves out none.") ||
			!strings.HasPrefix(choices[1], "Import the 5 valid rows only — leaves out 55") {
			t.Errorf("the choices read %q", choices)
		}
		if h := testutil.Eval[int](c, `document.documentElement.scrollHeight`); h > 1500 {
			t.Errorf("the report is %d px high at %d px wide, want at most 1,500", h, testutil.DesktopWidth)
		}
		c.Screenshot("import-report-desktop")

		c.Phone()
		c.Open(c.URL())
		checkNoHorizontalScroll(t, c, "the import report")
		if got := c.Text("button.primary"); got != "Add the 3 unknown values and import all 60 rows" {
			t.Errorf("on a phone the primary button reads %q", got)
		}
		c.Screenshot("import-report-phone")

		// The primary choice imports every row.
		c.Desktop()
		c.Submit("button.primary")
		importStep(t, c, "status")
		c.WaitText(".flash-success", "Done:")
		if got := c.Text(".flash-success"); got != "Done: 60 new references, 0 updated, 0 unchanged." {
			t.Errorf("the result says %q", got)
		}
		if n, err := s.DB.CountReferences(context.Background()); err != nil || n != 60 {
			t.Errorf("after the import the database has %d references (%v), want 60", n, err)
		}
		noPageErrors(t, c)
	})
}
