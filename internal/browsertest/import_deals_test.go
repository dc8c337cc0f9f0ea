package browsertest

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A Salesforce report of deals through the deals import wizard, as a
// person does it: the dates could be read both ways, the check says so,
// the person chooses the order on the mapping step, and the deals go in.
func TestImportDealsChoosingTheDateOrder(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		const export = "\ufeff\"Opportunity ID\",\"Opportunity Name\",\"Amount\",\"Stage\",\"Close Date\"\n" +
			"\"006A1\",\"Acme expansion\",\"USD 12,500.00\",\"Closed Won\",\"11/05/2026\"\n" +
			"\"006A2\",\"Globex\",\"$1,234.56\",\"Proposal\",\"03/04/2026\"\n\"\"\n\"Grand Totals (2 records)\"\n" +
			"\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n"
		file := filepath.Join(t.TempDir(), "report.csv")
		if err := os.WriteFile(file, []byte(export), 0o644); err != nil {
			t.Fatal(err)
		}
		c.LoginAs(s, "paula@example.com")
		c.Open(s.URL + "/references")
		c.Submit(`.page-head a[href="/opportunities/import"]`)
		if got := c.Text("h1"); got != "Import deals from your CRM" {
			t.Fatalf("the Import deals link opened %q", got)
		}
		c.Do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
		if resp := c.Submit(`form.upload-form button[type=submit]`); resp.Status != http.StatusOK {
			t.Errorf("uploading ended with status %d", resp.Status)
		}
		if !strings.HasPrefix(path(t, c.URL()), "/opportunities/import/") || !c.Has("#date_order") {
			t.Fatalf("at %s, want the mapping step with the date order", path(t, c.URL()))
		}
		c.Submit(`form.mapping-form button[type=submit]`)
		if got := c.Text(".flash-error"); !strings.Contains(got, "could be month/day/year or day/month/year") {
			t.Errorf("ambiguous dates: the page says %q", got)
		}
		c.Select("#date_order", "dmy")
		c.Submit(`form.mapping-form button[type=submit]`)
		if got := words(c.Text(".counts-section")); !strings.Contains(got, "2 new opportunities") || !strings.Contains(got, "Skipped the report's footer") {
			t.Errorf("the report says %q", got)
		}
		c.Submit(`.import-choice-primary button`)
		c.WaitText(".flash-success", "Done:")
		if got := c.Text(".flash-success"); got != "Done: 2 new opportunities, 0 updated, 0 unchanged." {
			t.Errorf("the result says %q", got)
		}
		o, err := s.DB.OpportunityByCRMID(context.Background(), "006A1")
		if err != nil || o.CloseDate.String() != "2026-05-11" || o.Status != vouch.OpportunityWon {
			t.Errorf("006A1: %+v %v", o, err)
		}
		noPageErrors(t, c, "/report") // the check refused over the ambiguous dates (400)
	})
}
