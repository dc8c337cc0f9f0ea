package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var activityImportPath = regexp.MustCompile(`^/activities/import/([0-9a-f]{32})/(mapping|report|status)$`)

// activityImportStep fails the test unless the browser is on the want step
// of the history import.
func activityImportStep(t *testing.T, c *testutil.Chrome, want string) {
	t.Helper()
	p := path(t, c.URL())
	if m := activityImportPath.FindStringSubmatch(p); m == nil || m[2] != want {
		msg := ""
		if c.Has(".flash-error") {
			msg = c.Text(".flash-error")
		}
		t.Fatalf("at %s, want the %s step of the history import %s", p, want, msg)
	}
}

// TestActivityHistoryImportInTheBrowser: a program manager brings the
// program's past reference use in from a spreadsheet with their own
// headers — upload, mapping, the dry run's report, import — and finds the
// activities on the reference's page, tied to their deal.
func TestActivityHistoryImportInTheBrowser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		maya := addReference(t, s.DB, "Acme Hospitals", "Healthcare", &vouch.Reference{Name: "Maya Okafor", Email: "maya@acme.example"})
		opp := &vouch.Opportunity{Name: "Globex expansion", Stage: "Negotiation", AmountCents: 10_000_00, CRMID: "OPP-5"}
		if err := s.DB.CreateOpportunity(asTest(), opp); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "history.csv")
		csv := "Email,Type,Date,Deal,Comments\n" +
			"maya@acme.example,Call,2026-03-14,OPP-5,CIO to CIO on the rollout\n" +
			"maya@acme.example,Site visit,04/02/2026,Globex expansion,Showed the ward dashboards\n"
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}

		c.LoginAs(s, "paula@example.com")
		c.Desktop()
		c.Open(s.URL + "/references")
		c.Click(`a[href="/activities/import"]`)
		c.WaitFor(`location.pathname === "/activities/import" && document.readyState === "complete"`)
		if got := c.Text("h1"); got != "Import reference history (activities)" {
			t.Errorf("the history import page is headed %q", got)
		}
		c.Do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
		c.Submit(`form.upload-form button[type=submit]`)
		activityImportStep(t, c, "mapping")
		for id, want := range map[string]string{"Email": "reference", "Type": "activity_type", "Date": "occurred_on", "Deal": "opportunity",
			"Comments": "notes"} {
			got := testutil.Eval[string](c, `(() => { const l = [...document.querySelectorAll("td.header-cell label")]
				.find(l => l.textContent.trim().endsWith(" `+id+`")); const s = l && document.getElementById(l.htmlFor); return s ? s.value : ""; })()`)
			if got != want {
				t.Errorf("column %s is mapped to %q, want %q", id, got, want)
			}
		}
		c.Submit(`form.mapping-form button[type=submit]`)
		activityImportStep(t, c, "report")
		report := words(c.Text("main"))
		if !strings.Contains(report, "2 new activities") {
			t.Errorf("the report does not count 2 new activities:\n%s", report)
		}
		c.Screenshot("activity-import-report")
		c.Submit("button.primary")
		activityImportStep(t, c, "status")
		c.WaitText(".flash-success", "Done:")
		if got := words(c.Text(".flash-success")); !strings.HasPrefix(got, "Done: 2 new activities") {
			t.Errorf("the result says %q", got)
		}

		c.Open(s.URL + "/references/" + strconv.FormatInt(maya.ID, 10))
		page := words(c.Text("main"))
		for _, want := range []string{"CIO to CIO on the rollout", "Showed the ward dashboards", "for Globex expansion", "stage then: Negotiation"} {
			if !strings.Contains(page, want) {
				t.Errorf("Maya's page does not show %q:\n%s", want, page)
			}
		}
		acts, err := s.DB.Activities(context.Background(), maya.ID)
		if err != nil || len(acts) != 2 || acts[0].OpportunityID != opp.ID || acts[1].OpportunityID != opp.ID {
			t.Errorf("Maya's history: %+v (%v)", acts, err)
		}
		c.Phone()
		c.Open(s.URL + "/activities/import")
		checkNoHorizontalScroll(t, c, "the history import page")
		noPageErrors(t, c)
	})
}
