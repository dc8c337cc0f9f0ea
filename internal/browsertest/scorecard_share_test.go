package browsertest

import (
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A program manager makes a scorecard link; an executive opens it on a
// phone and at 1280 px: no sideways scrolling, the figures and charts, and
// nothing of Vouch to click.
func TestSharedScorecardOnAPhoneAndADesktop(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		c.Phone()
		c.LoginAs(s, "pat@example.com")
		c.Open(s.URL + "/scorecard/shares")
		checkNoHorizontalScroll(t, c, "scorecard links")
		c.Fill("#share-note", "Board pack")
		c.Submit("#create-share")
		c.WaitText("#link-heading", "Your link is ready")
		link := strings.TrimSpace(c.Text("#share-link"))
		if !strings.Contains(link, "/shared/scorecard/") {
			t.Fatalf("no link shown: %q", link)
		}
		checkNoHorizontalScroll(t, c, "the new link")
		c.Screenshot("scorecard-links-phone")

		c.SignOut()
		c.Open(link)
		c.WaitText("#shared-scorecard h1", "Reference program scorecard")
		checkNoHorizontalScroll(t, c, "the shared scorecard on a phone")
		text := c.Text("#shared-scorecard")
		for _, want := range []string{"Requests received", "Revenue influenced", "month to date"} {
			if !strings.Contains(text, want) {
				t.Errorf("the shared scorecard lacks %q:\n%s", want, text)
			}
		}
		if c.Has("nav") || c.Has("a") || c.Has("form") {
			t.Errorf("the shared scorecard has navigation, links or forms")
		}
		if n := testutil.Eval[int](c, `[...document.querySelectorAll(".shared-charts img")].filter(i => i.complete && i.naturalWidth > 0).length`); n != 2 {
			t.Errorf("%d charts drawn, want 2", n)
		}
		c.Screenshot("shared-scorecard-phone")
		c.Desktop()
		c.Open(link)
		c.WaitText("#shared-scorecard h1", "Reference program scorecard")
		checkNoHorizontalScroll(t, c, "the shared scorecard at 1280 px")
		c.Screenshot("shared-scorecard-desktop")
	})
}
