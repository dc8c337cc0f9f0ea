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

// TestRequestMatchesArePaged: every eligible reference is listed, 20 a
// page, and the count above the list is the list's length.
func TestRequestMatchesArePaged(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		acme := &vouch.Account{Name: "Globe Insurance", IndustryID: valueID(t, s.DB, vouch.TaxIndustry, "Insurance"), RegionID: p.emea}
		if err := s.DB.CreateAccount(ctx, acme); err != nil {
			t.Fatal(err)
		}
		for i := range 23 {
			p.reference(t, acme, fmt.Sprintf("Person%02d Insurer", i))
		}
		req := p.request(t, s.DB, p.sam, "Globex policies", s.DB.Today().AddDays(14), 0,
			vouch.Criteria{IndustryID: valueID(t, s.DB, vouch.TaxIndustry, "Insurance"), ProductID: valueID(t, s.DB, vouch.TaxProduct, "Mobile")})
		pam := testutil.Login(t, s, "pam@example.com")
		page := fmt.Sprintf("/requests/%d", req.ID)
		_, body := pam.Get(page)
		mustContain(t, "page 1", body, "25 references pass the rules", "25 candidates, best first — 1–20 shown",
			"No reference meets every criterion; best first.", `href="`+page+`?page=2#matches" rel="next"`, "1–20 of 25")
		if n := len(matchScores(t, body)); n != 20 {
			t.Errorf("page 1 lists %d, want 20", n)
		}
		_, body2 := pam.Get(page + "?page=2")
		mustContain(t, "page 2", body2, "21–25 of 25", `rel="prev"`, `<ol class="plain matches" start="21">`)
		two := matchScores(t, body2)
		if len(two) != 5 {
			t.Errorf("page 2 lists %d, want 5", len(two))
		}
		for id := range two {
			if strings.Contains(body, fmt.Sprintf(`id="match-%d"`, id)) {
				t.Errorf("reference %d is on both pages", id)
			}
		}
		// The insurers meet the industry and come first; the other two follow.
		if i, j := strings.Index(body, "Person00 Insurer"), strings.Index(body2, "Maya Okafor"); i < 0 || j < 0 {
			t.Errorf("insurers first, then Maya: %d %d", i, j)
		}
		// Only the first page's best match carries the primary action.
		if strings.Contains(body2, `class="primary"`) {
			t.Error("page 2 has a primary action")
		}
		// A page past the end lists nobody but keeps the count.
		_, body = pam.Get(page + "?page=9")
		mustContain(t, "past the end", body, "25 references pass the rules")
	})
}

// TestRequestPageListsWhoFailsARule: on demand, the team sees the
// references that fail a hard rule with the rule in words, with no Ask
// button; a seller never sees them.
func TestRequestPageListsWhoFailsARule(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		acme, _ := s.DB.Account(ctx, p.maya.AccountID)
		dora := &vouch.Reference{AccountID: acme.ID, Name: "Dora Donot", Status: vouch.StatusDoNotContact, Email: "dora@example.org",
			StatusReason: "asked not to be contacted during renewal", Activities: []vouch.AgreedActivity{{TypeID: p.call}}}
		if err := s.DB.CreateReference(ctx, dora); err != nil {
			t.Fatal(err)
		}
		cass := &vouch.Reference{AccountID: acme.ID, Name: "Cass Casestudy", Status: vouch.StatusActive, Email: "cass@example.org",
			Activities: []vouch.AgreedActivity{{TypeID: valueID(t, s.DB, vouch.TaxActivityType, "Case study")}}}
		if err := s.DB.CreateReference(ctx, cass); err != nil {
			t.Fatal(err)
		}
		req := p.request(t, s.DB, p.sam, "Globex expansion", s.DB.Today().AddDays(14), 0, vouch.Criteria{IndustryID: p.healthcare})
		page := fmt.Sprintf("/requests/%d", req.ID)
		pam := testutil.Login(t, s, "pam@example.com")
		_, body := pam.Get(page)
		mustContain(t, "team's page", body, `Show references that fail a rule (2)</a>`, `href="`+page+`?failing=1#failing"`)
		if strings.Contains(body, "Dora Donot") {
			t.Error("the failing references are listed before being asked for")
		}
		_, body = pam.Get(page + "?failing=1")
		mustContain(t, "failing list", body, "2 references fail a rule", `id="failing-`+idOf(dora.ID)+`"`,
			"do not contact (“asked not to be contacted during renewal”)", "not agreed to a call", "Hide")
		failing := body[strings.Index(body, `<div id="failing">`):]
		if strings.Contains(failing, `aria-label="Ask`) || strings.Contains(failing, `name="ref_id"`) {
			t.Error("a reference failing a rule can be asked")
		}
		// The seller sees the matches but neither the link nor the list.
		sam := testutil.Login(t, s, "sam@example.com")
		for _, path := range []string{page, page + "?failing=1"} {
			resp, body := sam.Get(path)
			expect(t, "seller", resp, http.StatusOK, "")
			if strings.Contains(body, "fail a rule") || strings.Contains(body, "Dora Donot") {
				t.Errorf("the seller sees the references failing a rule at %s", path)
			}
		}
	})
}

// TestAskAReferenceFoundOnItsProfile: the team asks a reference from its
// profile or a search; the page warns about each criterion missed and each
// fatigue signal and asks once confirmed; a hard rule refuses.
func TestAskAReferenceFoundOnItsProfile(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		// A call 20 days ago: past the ask ledger's 14-day cool-down, still a fatigue signal.
		if err := s.DB.LogActivity(ctx, &vouch.Activity{ReferenceID: p.ola.ID, TypeID: p.call, OccurredOn: s.DB.Today().AddDays(-20)}); err != nil {
			t.Fatal(err)
		}
		bank, _ := s.DB.Account(ctx, p.ola.AccountID)
		dora := &vouch.Reference{AccountID: bank.ID, Name: "Dora Donot", Status: vouch.StatusDoNotContact, Email: "dora@example.org",
			Activities: []vouch.AgreedActivity{{TypeID: p.call}}}
		if err := s.DB.CreateReference(ctx, dora); err != nil {
			t.Fatal(err)
		}
		req := p.request(t, s.DB, p.sam, "Globex expansion", s.DB.Today().AddDays(14), 0, vouch.Criteria{IndustryID: p.healthcare})
		pam := testutil.Login(t, s, "pam@example.com")

		// The profile offers the open requests.
		_, body := pam.Get(fmt.Sprintf("/references/%d", p.ola.ID))
		mustContain(t, "profile", body, `<h2 id="ask-for-heading">Ask for a request</h2>`, fmt.Sprintf(`action="/references/%d/ask"`, p.ola.ID),
			fmt.Sprintf(`<option value="%d">#%d Call for Globex expansion, due`, req.ID, req.ID))
		// A search for the request offers asking on each row.
		_, body = pam.Get(fmt.Sprintf("/references?for_request=%d&q=ola", req.ID))
		mustContain(t, "search", body, fmt.Sprintf(`href="/references/%d/ask?request_id=%d">Ask for request #%d</a>`, p.ola.ID, req.ID, req.ID),
			fmt.Sprintf(`<input type="hidden" name="for_request" value="%d">`, req.ID))

		// Ola is a bank's CIO with a call 20 days ago: two warnings to confirm.
		confirm := fmt.Sprintf("/references/%d/ask?request_id=%d", p.ola.ID, req.ID)
		resp, body := pam.Get(confirm)
		expect(t, "confirm", resp, http.StatusOK, "")
		mustContain(t, "confirm", body, "Before you ask: 2 warnings", "<li>Does not meet industry: Healthcare</li>",
			"<li>1 activity in the last 90 days</li>", `name="confirm" value="1"`, "Ask Ola Berg anyway")
		// Posting without the confirmation lands on the warnings, asking nobody.
		resp, _ = pam.PostForm(fmt.Sprintf("/requests/%d/asks", req.ID), url.Values{"ref_id": {idOf(p.ola.ID)}})
		expect(t, "unconfirmed", resp, http.StatusOK, fmt.Sprintf("/references/%d/ask", p.ola.ID))
		if asks, _ := s.DB.Asks(ctx, req.ID); len(asks) != 0 {
			t.Fatalf("an unconfirmed ask made %d asks", len(asks))
		}
		resp, body = pam.PostForm(fmt.Sprintf("/requests/%d/asks", req.ID), url.Values{"ref_id": {idOf(p.ola.ID)}, "confirm": {"1"}, "from": {"reference"}})
		expect(t, "confirmed", resp, http.StatusOK, fmt.Sprintf("/requests/%d", req.ID))
		mustContain(t, "confirmed", body, "Ola Berg was asked by email")
		if asks, _ := s.DB.Asks(ctx, req.ID); len(asks) != 1 || asks[0].ReferenceID != p.ola.ID {
			t.Fatalf("asks %+v", asks)
		}

		// A do-not-contact reference is refused in words, with no form to ask.
		_, body = pam.Get(fmt.Sprintf("/references/%d/ask?request_id=%d", dora.ID, req.ID))
		mustContain(t, "refused", body, "Dora Donot cannot be asked for this request: do not contact.")
		if strings.Contains(body, `name="confirm"`) {
			t.Error("a do-not-contact reference can be asked")
		}
		// Posted anyway, it is refused back on the profile.
		_, body = pam.PostForm(fmt.Sprintf("/requests/%d/asks", req.ID), url.Values{"ref_id": {idOf(dora.ID)}, "confirm": {"1"}, "from": {"reference"}})
		mustContain(t, "refused post", body, "flash-error", "do not contact")

		// A seller neither gets the form nor the page, and for_request does nothing for them.
		sam := testutil.Login(t, s, "sam@example.com")
		_, body = sam.Get(fmt.Sprintf("/references/%d", p.maya.ID))
		if strings.Contains(body, "ask-for-heading") {
			t.Error("a seller sees the team's ask form")
		}
		if resp, _ := sam.Get(fmt.Sprintf("/references/%d/ask?request_id=%d", p.maya.ID, req.ID)); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller opens the ask page: %d", resp.StatusCode)
		}
		if _, body := sam.Get(fmt.Sprintf("/references?for_request=%d", req.ID)); strings.Contains(body, "Ask for request") {
			t.Error("a seller is offered to ask for a request")
		}
	})
}
