package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Issue 12: the ask ledger on the reference and account pages. The
// program team logs other teams' asks and flags accounts; an account
// capped at three asks is not asked a fourth time, whoever asks, and the
// pages say why; a seller sees the ledger but no form they may not use.
func TestAskLedgerPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		db := s.DB
		testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
		seller := testutil.CreateUser(t, db, "sam@example.com", vouch.RoleSeller)
		pm := testutil.Login(t, s, "pm@example.com")
		sb := testutil.Login(t, s, "sam@example.com")
		acct := &vouch.Account{Name: "Acme Corp"}
		if err := db.CreateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
		call := valueID(t, db, vouch.TaxActivityType, "Call")
		newRef := func(name string) *vouch.Reference {
			ref := &vouch.Reference{AccountID: acct.ID, Name: name, Status: vouch.StatusActive,
				Email:      strings.ToLower(strings.Fields(name)[0]) + "@acme.example",
				Activities: []vouch.AgreedActivity{{TypeID: call, ConsentedOn: db.Today().AddDays(-10)}}}
			if err := db.CreateReference(ctx, ref); err != nil {
				t.Fatal(err)
			}
			return ref
		}
		maya, jonas := newRef("Maya Okafor"), newRef("Jonas Lindqvist")
		ps, err := db.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps.LedgerAccountCap = 3
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}

		_, body := pm.Get("/admin/settings")
		mustContain(t, "the settings page", body, "Ask ledger", `name="ledger_account_cap"`)

		today := db.Today().String()
		logAsk := func(ref *vouch.Reference, team, what string) (*http.Response, string) {
			return pm.PostForm(fmt.Sprintf("/references/%d/ledger", ref.ID), url.Values{"team": {team}, "asked_on": {today}, "what": {what}, "outcome": {"Agreed"}})
		}
		resp, body := logAsk(maya, "pr", "Press quote")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("logging PR's ask: %d %s", resp.StatusCode, body)
		}
		mustContain(t, "the reference page after logging", body, "PR&#39;s ask logged.", "Press quote")
		resp, body = pm.PostForm(fmt.Sprintf("/references/%d/ledger", maya.ID), url.Values{"team": {"pr"}, "asked_on": {today}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("an ask without what was asked: %d", resp.StatusCode)
		}
		mustContain(t, "the refused form", body, "Nothing was logged.", `id="ledger-what-error"`)
		logAsk(jonas, "marketing", "Case study")
		logAsk(jonas, "analyst_relations", "Analyst briefing")

		capped := "Acme Corp has been asked 3 times in 90 days (cap 3)"
		opp := &vouch.Opportunity{Name: "Contoso rollout", Prospect: "Contoso", OwnerID: seller.ID}
		if err := db.CreateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		req := &vouch.Request{RequesterID: seller.ID, OpportunityID: opp.ID, ActivityTypeID: call, DueDate: db.Today().AddDays(30),
			Context: "A peer call.", ReferencesNeeded: 1}
		if err := db.CreateRequest(ctx, req, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		_, body = pm.PostForm(fmt.Sprintf("/requests/%d/asks", req.ID), url.Values{"ref_id": {fmt.Sprint(maya.ID)}, "confirm": {"1"}})
		mustContain(t, "a fourth ask from the request page", body, capped)
		if asks, _ := db.Asks(ctx, req.ID); len(asks) != 0 {
			t.Errorf("the fourth ask was made: %+v", asks)
		}
		_, body = pm.Get(fmt.Sprintf("/requests/%d", req.ID))
		mustContain(t, "the request page", body, "Held back by the ask ledger", "Maya Okafor</a> <span class=\"muted\">(Acme Corp)</span>: "+capped)
		_, body = sb.Get(fmt.Sprintf("/requests/%d", req.ID))
		if strings.Contains(body, "Held back by the ask ledger") {
			t.Error("the seller's request page lists the references held back")
		}
		resp, body = logAsk(maya, "review_campaign", "Review")
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, capped) {
			t.Errorf("a fourth logged ask: %d, want 409 saying %q", resp.StatusCode, capped)
		}

		_, body = sb.Get(fmt.Sprintf("/references/%d", maya.ID))
		mustContain(t, "the seller's reference page", body, "Ask ledger", "Press quote", "Held back: "+capped)
		for _, hidden := range []string{"Log another team&#39;s ask", fmt.Sprintf(`action="/references/%d/ledger"`, maya.ID)} {
			if strings.Contains(body, hidden) {
				t.Errorf("a seller is offered %s", hidden)
			}
		}
		_, body = sb.Get(fmt.Sprintf("/accounts/%d", acct.ID))
		mustContain(t, "the seller's account page", body, "Analyst briefing", "Case study", "Press quote")
		if strings.Contains(body, "/flag") {
			t.Error("a seller is offered the account flag")
		}
		if resp, _ := sb.PostForm(fmt.Sprintf("/accounts/%d/flag", acct.ID), url.Values{"reason": {"renewal"}, "until": {today}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller flagged the account: %d", resp.StatusCode)
		}

		until := db.Today().AddDays(20)
		_, body = pm.PostForm(fmt.Sprintf("/accounts/%d/flag", acct.ID), url.Values{"reason": {"renewal"}, "until": {until.String()}})
		mustContain(t, "the account page after flagging", body, "Acme Corp is flagged: renewal until", "Clear flag")
		if f, _ := db.AccountFlag(ctx, acct.ID); f.Reason != "renewal" || f.Until != until {
			t.Errorf("stored flag %+v", f)
		}
		nom := &vouch.Nomination{AccountID: acct.ID, AccountName: acct.Name, Name: "Lena Park", Email: "lena@acme.example",
			Reason: "Loves the product", Source: vouch.NominationByUser, NominatorID: seller.ID, State: vouch.NominationOpen}
		if err := db.CreateNomination(ctx, nom, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		_, body = pm.Get(fmt.Sprintf("/nominations/%d", nom.ID))
		mustContain(t, "the nomination page of a flagged account", body, "Acme Corp is flagged: renewal until")
		_, body = pm.PostForm(fmt.Sprintf("/accounts/%d/flag", acct.ID), url.Values{"reason": {"renewal"}, "clear": {"1"}})
		mustContain(t, "the account page after clearing", body, "Flag cleared")
		_, body = pm.PostForm(fmt.Sprintf("/accounts/%d/flag", acct.ID), url.Values{"reason": {"renewal"}})
		mustContain(t, "a flag without its day", body, "Nothing was saved: Until is required")
	})
}
