package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestNominateQualifyAccept: a seller nominates "Bob Smith" at Acme and,
// as the form is filled in, sees the warning that Robert Smith at Acme is
// already a reference; the team qualifies the nomination against the
// checklist and accepts it; the new reference is active, and the seller
// finds the news among their notifications.
func TestNominateQualifyAccept(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		team := testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		_, cat, _ := testutil.ReadModels(t, s.DB)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: team.ID, Label: team.Email})
		str := func(s string) *string { return &s }
		if _, err := references.New(s.DB, cat).CreateReference(ctx, vouch.ReferenceInput{Account: str("Acme"), CreateAccount: true,
			Name: str("Robert Smith"), Email: str("robert.smith@acme.com"), Status: str("active")}); err != nil {
			t.Fatal(err)
		}

		c.LoginAs(s, "sam@example.com")
		c.Open(s.URL + "/nominations/new")
		c.Fill("#account_name", "Acme")
		c.Fill("#name", "Bob Smith")
		c.WaitText("#duplicates", "Robert Smith at Acme")
		if warning := c.Text("#duplicates"); !strings.Contains(warning, "nickname: Bob is Robert") {
			t.Errorf("the warning does not say why: %q", warning)
		}
		c.Screenshot("nomination-duplicate-warning")
		c.Fill("#email", "bob.smith@acme.com")
		c.Fill("#reason", "Ran our rollout and loves to talk about it")
		c.Submit(`form[action="/nominations/new"] button[type=submit]`)
		c.WaitText("main", "Possible duplicates")
		nomination := path(t, c.URL())
		c.SignOut()

		c.LoginAs(s, "tess@example.com")
		c.Open(s.URL + "/nominations")
		c.WaitText("main", "Bob Smith")
		c.Open(s.URL + nomination)
		for _, it := range vouch.DefaultChecklist {
			c.Click(`input[name=checklist][value="` + it.Key + `"]`)
		}
		c.Submit(`form[action$="/qualify"] button[type=submit]`)
		c.WaitText("main", "is qualified")
		c.Submit(`form[action$="/accept"] button[type=submit]`)
		c.WaitText("main", "Accepted: Bob Smith is an active reference")
		if !strings.HasPrefix(path(t, c.URL()), "/references/") {
			t.Fatalf("after accepting: %s", c.URL())
		}
		if body := c.Text("main"); !strings.Contains(body, "Active") {
			t.Errorf("the reference is not shown active:\n%s", body)
		}
		c.SignOut()

		c.LoginAs(s, "sam@example.com")
		c.Open(s.URL + "/notifications")
		c.WaitText("main", "Your nomination of Bob Smith at Acme was accepted")
		// The nominator's pages read on a phone.
		c.Phone()
		for _, page := range []string{"/nominations", nomination, "/nominations/new"} {
			c.Open(s.URL + page)
			checkNoHorizontalScroll(t, c, page+" on a phone")
		}
		c.Fill("#account_name", "Acme")
		c.Fill("#name", "Rob Smith")
		c.WaitText("#duplicates", "Robert Smith at Acme")
		checkNoHorizontalScroll(t, c, "the duplicate warning on a phone")
		c.Screenshot("nomination-form-phone")
		if errs := c.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})
}
