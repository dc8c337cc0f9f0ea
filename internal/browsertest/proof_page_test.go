package browsertest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A seller makes a proof page on a phone and the buyer opens it on one: no
// page scrolls sideways, and the buyer sees the item and nothing of Vouch.
func TestProofPageOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		_, cat, _ := testutil.ReadModels(t, s.DB)
		lib := content.New(s.DB, cat)
		ctx := vouch.WithActor(t.Context(), vouch.Actor{Label: "test"})
		typ, title := "Case study", "Nimbus Air cuts month-end reporting from nine days to forty minutes with Analytics"
		body := "“We closed the books in forty minutes the first month. Nobody believed the number until they ran it themselves.” — " +
			"Dana Park, VP Finance, https://example.com/a-very-long-address-that-must-wrap-on-a-phone-screen-without-scrolling"
		u := "https://example.com/customers/nimbus-air-analytics-case-study-2026"
		item, err := lib.Create(ctx, vouch.ContentInput{Type: &typ, Title: &title, Body: &body, URL: &u})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lib.ChangeState(ctx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
			ApprovedBy: "Dana Park", Method: "mail"}); err != nil {
			t.Fatal(err)
		}

		c.Phone()
		c.LoginAs(s, "sam@example.com")
		c.Open(s.URL + "/proofs/new?content=" + strconv.FormatInt(item.ID, 10))
		checkNoHorizontalScroll(t, c, "proof page builder")
		c.Fill("#prospect", "Initech")
		c.Fill("#title", "Customer stories for Initech")
		c.Submit("#create-proof")
		c.WaitText("#link-heading", "Your proof page is ready")
		checkNoHorizontalScroll(t, c, "new proof page")
		link := strings.TrimSpace(c.Text("#proof-link"))
		if !strings.Contains(link, "/p/") {
			t.Fatalf("no link shown: %q", link)
		}
		c.Screenshot("proof-builder-phone")

		c.SignOut()
		c.Open(link)
		c.WaitText("#proof h1", "Customer stories for Initech")
		checkNoHorizontalScroll(t, c, "the buyer's proof page")
		text := c.Text("#proof")
		if !strings.Contains(text, "Nimbus Air cuts month-end reporting") || !strings.Contains(text, "Prepared for Initech") {
			t.Errorf("the buyer sees:\n%s", text)
		}
		if c.Has("nav") || c.Has(`a[href^="/"]:not([href^="/p/"])`) {
			t.Errorf("the buyer's page has navigation or links into Vouch")
		}
		c.Screenshot("proof-page-phone")
	})
}
