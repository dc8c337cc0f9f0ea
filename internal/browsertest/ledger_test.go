package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The ask ledger at 375 px: the program team logs PR's ask on the
// reference page, a fourth ask of an account capped at three is refused
// with the reason, and the account page shows the ledger and the flag
// form without scrolling sideways.
func TestAskLedgerOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		ctx := context.Background()
		db := s.DB
		testutil.CreateUser(t, db, "pat@example.com", vouch.RoleProgramManager)
		acct := &vouch.Account{Name: "Acme Corp"}
		if err := db.CreateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
		ref := &vouch.Reference{AccountID: acct.ID, Name: "Maya Okafor", Status: vouch.StatusActive, Email: "maya@acme.example"}
		if err := db.CreateReference(ctx, ref); err != nil {
			t.Fatal(err)
		}
		ps, err := db.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps.LedgerAccountCap = 3
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		c.Phone()
		c.LoginAs(s, "pat@example.com")

		logAsk := func(team, what string) {
			c.Open(fmt.Sprintf("%s/references/%d#ledger", s.URL, ref.ID))
			c.Select("#ledger-team", team)
			c.Fill("#ledger-what", what)
			c.Fill("#ledger-outcome", "Agreed")
			c.Submit(`form[action$="/ledger"] button[type=submit]`)
		}
		logAsk("PR", "Press quote")
		c.WaitText("#ledger", "Press quote")
		checkNoHorizontalScroll(t, c, "reference page with its ledger")
		logAsk("Marketing", "Case study")
		logAsk("Analyst relations", "Analyst briefing")
		logAsk("Review campaign", "Review")
		c.WaitText(".flash-error", "Acme Corp has been asked 3 times in 90 days (cap 3)")
		if got := c.Text("#ledger table"); strings.Contains(got, "Review campaign") {
			t.Errorf("the refused ask is in the ledger: %s", got)
		}
		if !strings.Contains(c.Text("#ledger"), "Held back: Acme Corp has been asked 3 times") {
			t.Errorf("the reference page does not say why Maya is held back: %s", c.Text("#ledger"))
		}
		checkNoHorizontalScroll(t, c, "reference page with a refused ask")
		c.Screenshot("ledger-reference-phone")

		c.Open(fmt.Sprintf("%s/accounts/%d#ledger", s.URL, acct.ID))
		c.Fill("#flag-reason", "renewal")
		// A date field takes its value in the browser's locale when typed: set it as the form sends it.
		testutil.Eval[bool](c, fmt.Sprintf(`(e => (e.value = %q, true))(document.querySelector("#flag-until"))`, db.Today().AddDays(20).String()))
		c.Submit(`form[action$="/flag"] button[type=submit]`)
		c.WaitText("#ledger", "Acme Corp is flagged: renewal until")
		for _, what := range []string{"Press quote", "Case study", "Analyst briefing"} {
			if !strings.Contains(c.Text("#ledger table"), what) {
				t.Errorf("the account's ledger lacks %s", what)
			}
		}
		checkNoHorizontalScroll(t, c, "account page with its ledger")
		c.Screenshot("ledger-account-phone")
	})
}
