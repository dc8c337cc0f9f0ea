package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A request for Insurance + Mobile: every reference that passes the hard
// rules is listed, best first, with the criteria it meets and misses; the
// ones that fail a rule show on demand, with the rule; a reference found on
// its profile is asked after its warnings are confirmed. At 1280 px and
// 375 px, with screenshots kept.
func TestRequestMatchesAtBothWidths(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		seller := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		call := taxID(t, s.DB, vouch.TaxActivityType, "Call")
		mobile := taxID(t, s.DB, vouch.TaxProduct, "Mobile")
		agreed := []vouch.AgreedActivity{{TypeID: call}}
		today := s.DB.Today()
		addReference(t, s.DB, "Shield Mutual", "Insurance", &vouch.Reference{Name: "Ines Insurer", Title: "Head of Claims",
			Email: "ines@shield.example", Activities: agreed, LastVerified: today})
		addReference(t, s.DB, "Globe Bank", "Financial Services", &vouch.Reference{Name: "Milo Mobile", Title: "VP Digital",
			Email: "milo@globe.example", Activities: agreed, ProductIDs: []int64{mobile}, LastVerified: today})
		nora := addReference(t, s.DB, "Mercy Clinics", "Healthcare", &vouch.Reference{Name: "Nora Neither", Title: "CIO",
			Email: "nora@mercy.example", Activities: agreed, LastVerified: today})
		addReference(t, s.DB, "Harbor Insurance", "Insurance", &vouch.Reference{Name: "Dora Donot", Title: "CTO",
			Email: "dora@harbor.example", Activities: agreed, Status: vouch.StatusDoNotContact,
			StatusReason: "asked not to be contacted during renewal"})
		addReference(t, s.DB, "Summit Assurance", "Insurance", &vouch.Reference{Name: "Cass Casestudy", Title: "COO",
			Email: "cass@summit.example", Activities: []vouch.AgreedActivity{{TypeID: taxID(t, s.DB, vouch.TaxActivityType, "Case study")}}})
		opp := &vouch.Opportunity{Name: "Acme policy platform", Prospect: "Acme", OwnerID: seller.ID}
		if err := s.DB.CreateOpportunity(asTest(), opp); err != nil {
			t.Fatal(err)
		}
		req := &vouch.Request{RequesterID: seller.ID, OpportunityID: opp.ID, ActivityTypeID: call, DueDate: today.AddDays(14),
			ReferencesNeeded: 1, Criteria: vouch.Criteria{IndustryID: taxID(t, s.DB, vouch.TaxIndustry, "Insurance"), ProductID: mobile}}
		if err := s.DB.CreateRequest(asTest(), req, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("%s/requests/%d", s.URL, req.ID)

		c.Desktop()
		c.LoginAs(s, "pam@example.com")
		c.Open(page)
		if got := c.Text("#matches .panel-head .muted"); !strings.HasPrefix(got, "3 references pass the rules") {
			t.Errorf("the count reads %q", got)
		}
		names := testutil.Eval[[]string](c, `[...document.querySelectorAll("#matches li.match .match-who strong")].map(e => e.textContent)`)
		if strings.Join(names, ",") != "Ines Insurer,Milo Mobile,Nora Neither" {
			t.Errorf("listed %v, want every eligible reference best first", names)
		}
		c.WaitText("#matches .notice", "No reference meets every criterion; best first.")
		if got := c.Text("#matches li.match:nth-child(1) ul.reasons"); !strings.Contains(got, "✓ industry: Insurance") {
			t.Errorf("Ines's criteria read %q", got)
		}
		if got := c.Text("#matches li.match:nth-child(1) ul.reasons li.missed"); !strings.Contains(got, "✗") || !strings.Contains(got, "product: Mobile") {
			t.Errorf("Ines's missed criterion reads %q", got)
		}
		// On demand, those who fail a rule, with the rule, and no Ask button.
		c.Click(`#failing a`)
		c.WaitText("#failing h3", "2 references fail a rule")
		if got := c.Text("#failing"); !strings.Contains(got, "do not contact (“asked not to be contacted during renewal”)") ||
			!strings.Contains(got, "not agreed to a call") {
			t.Errorf("the failing list reads %q", got)
		}
		if c.Has("#failing button") {
			t.Error("a reference failing a rule has a button")
		}
		checkLabelled(t, c, "request page with matches")
		c.Screenshot("request-matches-desktop")

		c.Phone()
		c.Open(page + "?failing=1")
		checkNoHorizontalScroll(t, c, "request page with matches")
		if !c.Visible(`#matches button[aria-label="Ask Ines Insurer"]`) {
			t.Error("the best match's Ask button is not visible at 375 px")
		}
		c.Screenshot("request-matches-phone")

		// Nora, found on her profile, misses both criteria: the team sees
		// two warnings and confirms.
		c.Desktop()
		c.Open(fmt.Sprintf("%s/references/%d", s.URL, nora.ID))
		c.Submit("#ask-for button")
		c.WaitText("#confirm .notice", "Before you ask: 2 warnings")
		if got := c.Text("#confirm .warnings"); !strings.Contains(got, "Does not meet industry: Insurance") || !strings.Contains(got, "Does not meet product: Mobile") {
			t.Errorf("warnings read %q", got)
		}
		c.Phone()
		checkNoHorizontalScroll(t, c, "ask confirmation")
		c.Submit("#confirm button.primary")
		c.WaitText(".flash", "Nora Neither was asked by email")
	})
}
