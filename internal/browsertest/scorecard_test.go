package browsertest

import (
	"os"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestScorecardAtBothWidths: an executive opens the scorecard of a quarter
// of known deals, narrows it to an industry with the picker (the URL keeps
// it), and reads it at 1280 px and at 375 px without scrolling sideways.
// Screenshots of both are kept.
func TestScorecardAtBothWidths(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "eve@example.com", vouch.RoleViewer)
		testutil.AddScorecardDeals(t, s.DB)

		c.Desktop()
		c.LoginAs(s, "eve@example.com")
		c.Open(s.URL + "/scorecard?period=2026-Q3")
		c.WaitText("#tile-revenue_influenced", "USD 360,000")
		if got := c.Text("#win-rate"); !strings.Contains(got, "75% (9 won, 3 lost)") || !strings.Contains(got, "+25 pts") {
			t.Errorf("win rate: %q", got)
		}
		c.Select("#sc-industry", "Healthcare")
		c.Submit(".sc-picker button[type=submit]")
		c.WaitText(".page-head .lede", "Industry: Healthcare")
		if u := c.URL(); !strings.Contains(u, "period=2026-Q3") || !strings.Contains(u, "industry=Healthcare") {
			t.Errorf("the filters are not in the URL: %s", u)
		}
		if got := c.Value("#sc-industry"); got != "Healthcare" {
			t.Errorf("the industry picker shows %q after the round trip", got)
		}
		// The charts are drawn, with their titles, inside their boxes.
		charts := testutil.Eval[int](c, `[...document.querySelectorAll(".sc-chart svg")].filter(s => {
			const r = s.getBoundingClientRect(), p = s.parentElement.getBoundingClientRect();
			return r.width > 100 && r.right <= p.right + 1 && s.textContent.includes("2026-Q3");
		}).length`)
		if charts != 3 {
			t.Errorf("%d of 3 charts drawn inside their boxes", charts)
		}
		checkNoHorizontalScroll(t, c, "scorecard at 1280 px")
		if w := testutil.Eval[int](c, `window.innerWidth`); w != 1280 {
			t.Errorf("the desktop window is %d px wide, want 1280", w)
		}
		keptScreenshot(t, c.Screenshot("scorecard-desktop"))

		c.Phone()
		c.Open(c.URL())
		c.WaitText("#tile-revenue_influenced", "USD 360,000")
		checkNoHorizontalScroll(t, c, "scorecard")
		if w := testutil.Eval[int](c, `window.innerWidth`); w != 375 {
			t.Errorf("the phone window is %d px wide, want 375", w)
		}
		keptScreenshot(t, c.Screenshot("scorecard-phone"))
	})
}

// keptScreenshot fails unless the screenshot at path was written, as a PNG,
// where it outlives the test ($VOUCH_SCREENSHOTS).
func keptScreenshot(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 8 || string(b[1:4]) != "PNG" {
		t.Errorf("no screenshot kept at %s (%v)", path, err)
	}
	if dir := os.Getenv("VOUCH_SCREENSHOTS"); dir != "" && !strings.HasPrefix(path, dir) {
		t.Errorf("the screenshot %s is not under VOUCH_SCREENSHOTS (%s)", path, dir)
	}
}
