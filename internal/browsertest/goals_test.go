package browsertest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/ledongthuc/pdf"

	"github.com/vouchhq/vouch/internal/goals"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestGoalsPageOnDesktopAndPhone: the goals sheet with a dozen goals —
// program goals under five objectives and a team member's — reads at
// 1280 px and at 375 px without sideways scrolling, each pace written in
// words, and prints on one landscape page.
func TestGoalsPageOnDesktopAndPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		s.DB.Clock.Set(time.Date(2026, time.November, 15, 12, 0, 0, 0, time.UTC))
		pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		tm := testutil.CreateUser(t, s.DB, "tina@example.com", vouch.RoleTeamMember)
		_, cat, _ := testutil.ReadModels(t, s.DB)
		svc := goals.New(s.DB, cat, nil)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})
		str := func(s string) *string { return &s }
		num := func(f float64) *float64 { return &f }
		for _, in := range []goals.Input{
			{Name: str("12 new Healthcare references in EMEA, across hospitals and clinics"), Objective: str("Grow Healthcare in EMEA"),
				Metric: str("references_added"), Target: num(12), Period: str("this_quarter"),
				Filters: map[string][]string{"industry": {"Healthcare"}, "region": {"EMEA"}}},
			{Name: str("Revenue influenced"), Objective: str("Grow Healthcare in EMEA"), Metric: str("revenue_influenced"),
				Target: num(1500000), Period: str("this_year")},
			{Name: str("Fulfil 85% of requests"), Objective: str("Launch Product X"), Metric: str("fulfillment_rate"),
				Target: num(0.85), Period: str("this_quarter")},
			{Kind: str("member"), Name: str("Write 3 case studies"), Metric: str("content_created"), Target: num(3),
				Period: str("this_month"), OwnerID: &tm.ID},
			// A full slide: a dozen goals under five objectives and a member's.
			{Name: str("5 new references in Nordics"), Objective: str("Open the Nordics"), Metric: str("references_added"), Target: num(5), Period: str("this_quarter")},
			{Name: str("Fulfil 50 requests"), Objective: str("Open the Nordics"), Metric: str("requests_fulfilled"), Target: num(50), Period: str("this_quarter")},
			{Name: str("20 influenced wins"), Objective: str("Prove the effect on revenue"), Metric: str("deals_influenced"), Target: num(20), Period: str("this_year")},
			{Name: str("Sellers rate us 4.5"), Objective: str("Prove the effect on revenue"), Metric: str("seller_satisfaction"), Target: num(4.5), Period: str("this_quarter")},
			{Name: str("100 content uses"), Objective: str("Content that sells"), Metric: str("content_uses"), Target: num(100), Period: str("this_quarter")},
			{Name: str("60% of asks accepted"), Objective: str("Content that sells"), Metric: str("ask_acceptance_rate"), Target: num(0.6), Period: str("this_quarter")},
			{Kind: str("member"), Name: str("Recruit 4 references"), Metric: str("references_recruited"), Target: num(4), Period: str("this_month"), OwnerID: &tm.ID},
			{Kind: str("member"), Name: str("Fulfil 10 requests"), Metric: str("requests_fulfilled_by"), Target: num(10), Period: str("this_month"), OwnerID: &tm.ID},
		} {
			if _, err := svc.Create(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		c.LoginAs(s, "pam@example.com")
		c.Resize(1280, 900)
		c.Open(s.URL + "/goals")
		body := c.Text("main")
		for _, want := range []string{"Grow Healthcare in EMEA", "Launch Product X", "Team member goals", "Write 3 case studies",
			"2026-Q4", "November 2026"} {
			if !strings.Contains(body, want) {
				t.Errorf("the goals page does not show %q:\n%s", want, body)
			}
		}
		if n := testutil.Eval[int](c, `document.querySelectorAll(".goals-table .pill").length`); n != 12 {
			t.Errorf("%d pace pills, want one per goal (12)", n)
		}
		checkNoHorizontalScroll(t, c, "goals page at 1280 px")
		c.Screenshot("goals-desktop")
		// "One slide": printed, the sheet of a dozen goals is one landscape page.
		yes := true
		printed, err := chromedp.Call(c.Context(), page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := pdf.NewReader(bytes.NewReader(printed.Data), int64(len(printed.Data)))
		if err != nil {
			t.Fatal(err)
		}
		if n := doc.NumPage(); n != 1 {
			t.Errorf("the goals page prints on %d pages, want one", n)
		}
		c.Phone()
		c.Open(s.URL + "/goals")
		checkNoHorizontalScroll(t, c, "goals page")
		c.Screenshot("goals-phone")
		c.Open(s.URL + "/goals/new")
		checkNoHorizontalScroll(t, c, "new goal form")
	})
}
