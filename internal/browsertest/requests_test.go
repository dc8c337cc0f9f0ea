package browsertest

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Request fulfillment on a phone: a seller fills in the request form, the
// program team works the board with its one-click buttons, and the request
// page fits — all at 375 px, every field with a label.

var requestPath = regexp.MustCompile(`/requests/(\d+)$`)

// checkLabelled fails the test for every visible form field on the page
// that has no label a screen reader would read.
func checkLabelled(t *testing.T, c *testutil.Chrome, what string) {
	t.Helper()
	bare := testutil.Eval[[]string](c, `[...document.querySelectorAll("main input:not([type=hidden]), main select, main textarea")]
		.filter(e => e.checkVisibility() && e.labels.length === 0 && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
		.map(e => e.tagName.toLowerCase() + "#" + e.id + "[name=" + e.name + "]")`)
	if len(bare) > 0 {
		t.Errorf("%s: fields without a label: %v", what, bare)
	}
}

func TestRequestFormAndBoardOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		call := taxID(t, s.DB, vouch.TaxActivityType, "Call")
		addReference(t, s.DB, "Acme Hospitals", "Healthcare", &vouch.Reference{Name: "Maya Okafor", Title: "Chief Information Officer",
			Email: "maya@acme.example", Activities: []vouch.AgreedActivity{{TypeID: call}}, LastVerified: s.DB.Today()})

		// The seller, with no opportunity yet, describes a new one.
		c.Phone()
		c.LoginAs(s, "sam@example.com")
		c.Open(s.URL + "/requests/new")
		checkNoHorizontalScroll(t, c, "request form")
		checkLabelled(t, c, "request form")
		if !c.Visible("#opp_name") {
			t.Fatal("the new opportunity's fields are hidden though there is no other opportunity")
		}
		if c.Visible("#industry") {
			t.Error("the optional criteria show before they are asked for")
		}
		c.Click(".more-details > summary")
		if !c.Visible("#industry") {
			t.Fatal("More details does not open the criteria")
		}
		checkNoHorizontalScroll(t, c, "request form with its details open")
		checkLabelled(t, c, "request form with its details open")
		c.Screenshot("request-form-phone")

		c.Fill("#opp_name", "Globex expansion")
		c.Fill("#opp_prospect", "Globex")
		c.Select("#activity_type", "Call")
		c.Select("#industry", "Healthcare")
		due := s.DB.Today().AddDays(3)
		testutil.Eval[bool](c, fmt.Sprintf(`(document.querySelector("#due_date").value = %q, true)`, due.String()))
		c.Submit(".form-actions button.primary")
		m := requestPath.FindStringSubmatch(c.URL())
		if m == nil {
			t.Fatalf("submitting went to %s, not a request page", c.URL())
		}
		c.WaitText(".flash", "Request submitted.")
		checkNoHorizontalScroll(t, c, "request page")

		// A second request can use that opportunity; the new one's fields hide
		// until "A new opportunity…" is chosen again.
		c.Open(s.URL + "/requests/new")
		if c.Visible("#opp_name") {
			t.Error("the new opportunity's fields show while an existing opportunity is chosen")
		}
		c.Select("#opportunity_id", "new")
		if !c.Visible("#opp_name") {
			t.Error("choosing “A new opportunity…” does not show its fields")
		}

		// The program manager takes it from the board, in a tab of their own.
		team := testutil.NewBrowser(t)
		team.Phone()
		team.LoginAs(s, "pam@example.com")
		team.Open(s.URL + "/requests?view=board")
		checkNoHorizontalScroll(t, team, "board")
		checkLabelled(t, team, "board")
		if !team.Visible("#col-to_pick ~ .req-card") {
			t.Fatal("the new request is not on the board, to pick")
		}
		team.WaitText("#col-to_pick ~ .req-card", "New — to pick references")
		team.Screenshot("board-phone")
		team.Submit(fmt.Sprintf(`button[aria-label="Assign request %s to me"]`, m[1]))
		team.WaitText(".flash", "is yours now")
		if got := team.URL(); got != s.URL+"/requests?view=board" {
			t.Errorf("assigning from the board went to %s", got)
		}
		team.WaitText("#col-to_pick ~ .req-card", "Globex expansion")
		team.WaitText("#col-to_pick ~ .req-card", "In progress — to pick references")
		team.WaitText("#col-to_pick ~ .req-card", "Pam")
		checkNoHorizontalScroll(t, team, "board after assigning")

		// The request page on a phone: the match, its reasons and the Ask button fit.
		team.Open(s.URL + "/requests/" + m[1])
		team.WaitText(".match", "Maya Okafor")
		if !team.Visible(`button.primary[aria-label="Ask Maya Okafor"]`) {
			t.Error("asking the best match is not the visible primary action")
		}
		checkNoHorizontalScroll(t, team, "request page for the team")
		checkLabelled(t, team, "request page for the team")
		team.Screenshot("request-page-phone")
	})
}
