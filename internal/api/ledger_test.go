package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Issue 12: the ask ledger stops a fourth ask to an account capped at
// three, whoever asks — a seller's request or another team's logged ask —
// and says why; the ledger reads the same asks per reference and account;
// only the program team logs other teams' asks and flags accounts.
func TestAskLedger(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		s, _ := seedFulfillment(t, f)
		db := f.srv.DB
		today := db.Today()
		due := today.AddDays(30).String()
		newRequest := func() int64 {
			t.Helper()
			opp := &vouch.Opportunity{Name: fmt.Sprintf("Deal %d", len(s.refs)), Prospect: "Contoso", OwnerID: f.users["seller"].ID}
			if err := db.CreateOpportunity(seedCtx, opp); err != nil {
				t.Fatal(err)
			}
			var req struct {
				ID int64 `json:"id"`
			}
			f.call(t, "seller", "POST", "/api/v1/requests",
				fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q}`, opp.ID, due), 201).decode(t, &req)
			return req.ID
		}
		acme := s.accounts["Acme Health"].ID
		maya, jonas := s.refs["Maya"].ID, s.refs["Jonas"].ID
		capped := "Acme Health has been asked 3 times in 90 days (cap 3)"
		logBody := func(ref int64, team, what string) string {
			return fmt.Sprintf(`{"reference_id": %d, "team": %q, "asked_on": %q, "what": %q, "outcome": "Agreed"}`, ref, team, today, what)
		}
		r1, r2, r3 := newRequest(), newRequest(), newRequest()
		f.run(t, []scenario{
			// Jonas did a call today; the cool-down is not what this test is about.
			{name: "the team caps an account at three asks per 90 days, with no cool-down", method: "PATCH", path: "/api/v1/settings",
				as: "program_manager", body: `{"ledger_account_cap": 3, "ledger_cooldown_days": 0}`, status: 200,
				want: []string{`"ledger_account_cap":3`, `"ledger_cooldown_days":0`}},
			{name: "a seller may not log another team's ask", method: "POST", path: "/api/v1/ledger", as: "seller",
				body: logBody(maya, "pr", "Press quote"), status: 403},
			{name: "a logged ask names its problems", method: "POST", path: "/api/v1/ledger", as: "program_manager",
				body:   fmt.Sprintf(`{"reference_id": %d, "team": "pr", "asked_on": %q, "what": " "}`, maya, today.AddDays(1)),
				status: 400, fields: []string{"asked_on", "what"}},
			{name: "PR asked Maya for a press quote", method: "POST", path: "/api/v1/ledger", as: "program_manager",
				body: logBody(maya, "pr", "Press quote"), status: 201, want: []string{`"team":"pr"`, `"what":"Press quote"`}},
			{name: "a seller's request asks Maya", method: "POST", path: fmt.Sprintf("/api/v1/requests/%d/asks", r1), as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d}`, maya), status: 201},
			{name: "marketing asked Jonas for a case study: the third ask of Acme Health", method: "POST", path: "/api/v1/ledger", as: "program_manager",
				body: logBody(jonas, "marketing", "Case study"), status: 201},
			{name: "a fourth ask for a seller's request is refused, saying why", method: "POST", path: fmt.Sprintf("/api/v1/requests/%d/asks", r2),
				as: "team_member", body: fmt.Sprintf(`{"reference_id": %d, "confirm": true}`, maya), status: 409, want: []string{capped}},
			{name: "so is a fourth ask analyst relations made", method: "POST", path: "/api/v1/ledger", as: "program_manager",
				body: logBody(jonas, "analyst_relations", "Analyst briefing"), status: 409, want: []string{capped}},
			{name: "the account's ledger holds the three asks, newest first", method: "GET", path: fmt.Sprintf("/api/v1/accounts/%d/ledger", acme),
				as: "program_manager", status: 200, check: func(t *testing.T, r response) {
					var body struct {
						Data []vouch.LedgerEntry `json:"data"`
					}
					r.decode(t, &body)
					if len(body.Data) != 3 {
						t.Fatalf("%d entries, want 3: %s", len(body.Data), r.body)
					}
					teams := []string{}
					for _, e := range body.Data {
						teams = append(teams, e.Team)
					}
					if strings.Join(teams, " ") != "marketing sales pr" || body.Data[2].What != "Press quote" {
						t.Errorf("teams %v: %s", teams, r.body)
					}
				}},
			{name: "a seller reads the ledger of a reference they may see", method: "GET", path: s.path("Maya", "/ledger"), as: "seller",
				status: 200, want: []string{`"what":"Press quote"`, `"team":"sales"`}},
			{name: "not of one they may not see", method: "GET", path: s.path("Diego", "/ledger"), as: "seller", status: 404},
			{name: "a seller may not flag an account", method: "PUT", path: fmt.Sprintf("/api/v1/accounts/%d/flag", s.accounts["Mercy Clinics"].ID),
				as: "seller", body: fmt.Sprintf(`{"reason": "renewal", "until": %q}`, today.AddDays(20)), status: 403},
			{name: "a flag needs its until day", method: "PUT", path: fmt.Sprintf("/api/v1/accounts/%d/flag", s.accounts["Mercy Clinics"].ID),
				as: "program_manager", body: `{"reason": "renewal"}`, status: 400, fields: []string{"until"}},
			{name: "the team flags Mercy Clinics for its renewal", method: "PUT", path: fmt.Sprintf("/api/v1/accounts/%d/flag", s.accounts["Mercy Clinics"].ID),
				as: "program_manager", body: fmt.Sprintf(`{"reason": "renewal", "until": %q}`, today.AddDays(20)), status: 200,
				want: []string{`"reason":"renewal"`}},
			{name: "its reference is not asked meanwhile", method: "POST", path: fmt.Sprintf("/api/v1/requests/%d/asks", r3), as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d}`, s.refs["Sam"].ID), status: 409,
				want: []string{"Mercy Clinics is flagged: renewal until " + today.AddDays(20).Time().Format("2 Jan 2006")}},
			{name: "the account's ledger shows the flag", method: "GET", path: fmt.Sprintf("/api/v1/accounts/%d/ledger", s.accounts["Mercy Clinics"].ID),
				as: "seller", status: 200, want: []string{`"flag":{"reason":"renewal"`, `"data":[]`}},
		})
	})
}
