package browsertest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var answerLink = regexp.MustCompile(`https?://[^\s]+/a/[A-Za-z0-9_.-]+`)

// One time, one zone: a team member in Berlin schedules a call in the
// advocate's zone (Denver, the picker's default), and the confirmation and
// the ask's card say 10:00 Denver time with Berlin's beside it; at phone
// width, rescheduled in the team member's own zone, they agree again.
func TestScheduleInTheAdvocatesZone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		tess := &vouch.User{Email: "tess@example.com", Name: "Tess", Role: vouch.RoleTeamMember, TimeZone: "Europe/Berlin"}
		if err := s.DB.CreateUser(asTest(), tess, testutil.Password); err != nil {
			t.Fatal(err)
		}
		sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		call := taxID(t, s.DB, vouch.TaxActivityType, "Call")
		maya := addReference(t, s.DB, "Acme Hospitals", "Healthcare", &vouch.Reference{Name: "Maya Okafor", Title: "Chief Information Officer",
			Email: "maya@acme.example", TimeZone: "America/Denver", Activities: []vouch.AgreedActivity{{TypeID: call}}, LastVerified: s.DB.Today()})

		_, _, ix := testutil.ReadModels(t, s.DB)
		svc, err := fulfillment.New(asTest(), s.DB, ix, s.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		opp := &vouch.Opportunity{Name: "Globex expansion", Prospect: "Globex", OwnerID: sam.ID}
		if err := s.DB.CreateOpportunity(asTest(), opp); err != nil {
			t.Fatal(err)
		}
		req := &vouch.Request{OpportunityID: opp.ID, ActivityTypeID: call, DueDate: s.DB.Today().AddDays(20)}
		if err := svc.CreateRequest(asTest(), sam, req, nil); err != nil {
			t.Fatal(err)
		}
		a, err := svc.Ask(asTest(), tess, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		mails, _, err := s.DB.ListOutbox(asTest(), vouch.OutboxFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		link := ""
		for _, m := range mails {
			if m.To == maya.Email {
				link = answerLink.FindString(m.Body)
			}
		}
		if link == "" {
			t.Fatal("no answer link mailed to Maya")
		}
		advocate := testutil.NewBrowser(t)
		advocate.Open(link)
		advocate.Submit("#accept")
		advocate.WaitText("#answer-done", "We booked you")

		denver, _ := vouch.Zone("America/Denver")
		berlin, _ := vouch.Zone("Europe/Berlin")
		day := s.DB.Clock.Now().In(denver).AddDate(0, 0, 10)
		at := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, denver)
		want := vouch.TimeFor(at, denver, berlin)
		if !strings.Contains(want, ", 10:00 M") || !strings.Contains(want, " your time") {
			t.Fatalf("the call reads %q for Tess", want)
		}

		request := fmt.Sprintf("%s/requests/%d", s.URL, req.ID)
		zone := fmt.Sprintf("#tz-%d", a.ID)
		c.Desktop()
		c.LoginAs(s, "tess@example.com")
		c.Open(request)
		c.WaitText("#asks .pill", "Accepted")
		if got := c.Value(zone); got != "America/Denver" {
			t.Errorf("the picker starts in %q, want the advocate's America/Denver", got)
		}
		options := testutil.Eval[string](c, fmt.Sprintf(`[...document.querySelector(%q).options].map(o => o.text).join(" | ")`, zone))
		if options != "America/Denver (Maya Okafor's) | Europe/Berlin (yours) | UTC (the program's)" {
			t.Errorf("the picker offers %s", options)
		}
		setValue(c, `#asks input[name="scheduled_at"]`, at.Format("2006-01-02T15:04"))
		c.Submit(`#asks form[action$="/schedule"] button[type=submit]`)
		c.WaitText(".flash", "Scheduled for "+want+".")
		c.WaitText("#asks .ask-when", want)
		c.WaitText("#timeline", "Scheduled for "+want)
		c.Screenshot("schedule-advocate-zone-desktop")

		// On a phone, rescheduled an hour later in Tess's own zone.
		later := at.Add(time.Hour)
		want = vouch.TimeFor(later, denver, berlin)
		c.Phone()
		c.Open(request)
		c.Select(zone, "Europe/Berlin")
		setValue(c, `#asks input[name="scheduled_at"]`, later.In(berlin).Format("2006-01-02T15:04"))
		c.Submit(`#asks form[action$="/schedule"] button[type=submit]`)
		c.WaitText(".flash", "Scheduled for "+want+".")
		c.WaitText("#asks .ask-when", want)
		if !strings.Contains(want, ", 11:00 M") {
			t.Errorf("rescheduled an hour later in Berlin time, it reads %q", want)
		}
		checkNoHorizontalScroll(t, c, "the request page with a scheduled call")
		c.Screenshot("schedule-advocate-zone-phone")
	})
}
