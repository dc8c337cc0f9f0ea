package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestContentLibraryOnAPhone: a seller finds an approved case study in the
// library at 375 px (cards and table), opens it, uses it and rates it; the
// internal-only and expired items are marked.
func TestContentLibraryOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		types, err := s.DB.ListTaxonomy(ctx, vouch.TaxContentType)
		if err != nil {
			t.Fatal(err)
		}
		acct := &vouch.Account{Name: "Northwind Hospitals International Holding Group"}
		if err := s.DB.CreateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
		add := func(title string, to ...vouch.ContentState) int64 {
			it := &vouch.ContentItem{TypeID: types[0].ID, Title: title, AccountIDs: []int64{acct.ID},
				Summary: "Waiting times fell by 40% within six weeks of go-live, across all eleven hospitals of the group.",
				URL:     "https://example.com/stories/northwind-hospitals-cut-waiting-times-by-forty-percent"}
			if err := s.DB.CreateContent(ctx, it); err != nil {
				t.Fatal(err)
			}
			for _, st := range to {
				if _, err := s.DB.ChangeContentState(ctx, it.ID, 0, vouch.ContentStateChange{To: st, ApprovedBy: "Dana Park", Method: "mail"}, 24); err != nil {
					t.Fatal(err)
				}
			}
			return it.ID
		}
		id := add("Northwind Hospitals cut waiting times by forty percent", vouch.ContentApprovedExternal)
		add("Pricing deck for the sales team", vouch.ContentApprovedInternal)
		add("Old webinar", vouch.ContentApprovedExternal, vouch.ContentExpired)

		c.Phone()
		c.LoginAs(s, "sam@example.com")
		c.Open(s.URL + "/content")
		c.WaitText("#content-count", "2 items")
		if !strings.Contains(c.Text("#content-results"), "Internal use only") {
			t.Error("the internal-only item is not marked")
		}
		checkNoHorizontalScroll(t, c, "library cards")
		c.Screenshot("content-library-phone")
		c.Click("#expired-toggle")
		c.WaitText("#content-count", "3 items")
		if !strings.Contains(c.Text("#content-results"), "Expired") {
			t.Error("the expired item is not marked")
		}
		c.Open(s.URL + "/content?view=table")
		checkNoHorizontalScroll(t, c, "library table")

		c.Open(s.URL + fmt.Sprintf("/content/%d", id))
		checkNoHorizontalScroll(t, c, "item page")
		c.Click("[data-copy-button]")
		// With a clipboard the script records the use in place; without
		// one the form posts and the page shows the link to copy.
		c.WaitFor(`!!((document.querySelector("[data-copy-status]") || {}).textContent || document.querySelector("#copy-url"))`)
		c.Open(s.URL + fmt.Sprintf("/content/%d", id))
		if !strings.Contains(c.Text("#ratings"), "1 use") {
			t.Errorf("the use is not counted: %s", c.Text("#ratings"))
		}
		c.Click(`input[name="rating"][value="5"]`)
		c.Fill("#comment", "Closed the Initech deal with it")
		c.Submit(".rate-form button[type=submit]")
		c.WaitText("#ratings", "Closed the Initech deal with it")
		if !strings.Contains(c.Text("#ratings"), "5.0 of 5 from 1 rating") {
			t.Errorf("the rating is not shown: %s", c.Text("#ratings"))
		}
		checkNoHorizontalScroll(t, c, "item page after rating")
		c.Screenshot("content-item-phone")

		// The team's item page (state forms, upload) and the editor fit too.
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		c.SignOut()
		c.LoginAs(s, "pam@example.com")
		c.Open(s.URL + fmt.Sprintf("/content/%d", id))
		c.Click(".state-action > summary")
		checkNoHorizontalScroll(t, c, "team's item page")
		c.Screenshot("content-item-team-phone")
		c.Open(s.URL + "/content/new")
		checkNoHorizontalScroll(t, c, "editor")
		c.Desktop()
		c.Open(s.URL + "/content")
		c.Screenshot("content-library-desktop")
	})
}
