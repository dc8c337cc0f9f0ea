package browsertest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The board and the request page say where a request stands and whose
// move it is, and offer only the moves its asks allow; the outbox's mail
// page fits a phone. At 1280 px and at 375 px.

// viewports are the widths every page here is checked at.
var viewports = []struct {
	name string
	set  func(c *testutil.Chrome)
}{
	{"desktop", func(c *testutil.Chrome) { c.Desktop() }},
	{"phone", func(c *testutil.Chrome) { c.Phone() }},
}

var answerToken = regexp.MustCompile(`/a/([A-Za-z0-9_.-]+)`)

func TestBoardAndRequestSayWhoseMoveItIs(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		ctx := context.Background()
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		call := taxID(t, s.DB, vouch.TaxActivityType, "Call")
		maya := addReference(t, s.DB, "Acme Hospitals", "Healthcare", &vouch.Reference{Name: "Maya Okafor", Title: "Chief Information Officer",
			Email: "maya@acme.example", Activities: []vouch.AgreedActivity{{TypeID: call}}, LastVerified: s.DB.Today()})
		_, _, ix := testutil.ReadModels(t, s.DB)
		svc, err := fulfillment.New(ctx, s.DB, ix, s.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		request := func(name string) *vouch.Request {
			t.Helper()
			opp := &vouch.Opportunity{Name: name, Prospect: "Globex", OwnerID: sam.ID}
			if err := s.DB.CreateOpportunity(ctx, opp); err != nil {
				t.Fatal(err)
			}
			r := &vouch.Request{OpportunityID: opp.ID, ActivityTypeID: call, DueDate: s.DB.Today().AddDays(20)}
			if err := svc.CreateRequest(ctx, sam, r, nil); err != nil {
				t.Fatal(err)
			}
			return r
		}
		fresh := request("Initech pilot")
		accepted := request("Globex expansion")
		if _, err := svc.Ask(ctx, pam, accepted.ID, maya.ID, true); err != nil {
			t.Fatal(err)
		}
		mails, _, err := s.DB.ListOutbox(ctx, vouch.OutboxFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var token string
		for _, m := range mails {
			if m.To == maya.Email {
				if match := answerToken.FindStringSubmatch(m.Body); match != nil {
					token = match[1]
				}
			}
		}
		if _, err := svc.Answer(ctx, token, vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}

		c.LoginAs(s, pam.Email)
		for _, v := range viewports {
			v.set(c)
			c.Open(s.URL + "/requests?view=board")
			card := fmt.Sprintf("#col-to_schedule ~ #card-%d", accepted.ID)
			c.WaitText(card, "Accepted — to schedule")
			c.WaitText(card, "Team's move")
			if !c.Visible(card + " a.next-action") {
				t.Errorf("%s: the accepted card does not lead to scheduling", v.name)
			}
			newCard := fmt.Sprintf("#col-to_pick ~ #card-%d", fresh.ID)
			c.WaitText(newCard, "New — to pick references")
			if c.Visible(fmt.Sprintf(`button[aria-label="Move request %d to Awaiting advocate"]`, fresh.ID)) {
				t.Errorf("%s: the board offers to move a never-asked request to awaiting advocate", v.name)
			}
			if v.name == "phone" {
				checkNoHorizontalScroll(t, c, "board")
			}
			c.Screenshot("board-stages-" + v.name)

			c.Open(fmt.Sprintf("%s/requests/%d", s.URL, accepted.ID))
			c.WaitText("#request-stage", "Accepted — to schedule")
			c.WaitText("#next-move", "Next: Team")
			if v.name == "phone" {
				checkNoHorizontalScroll(t, c, "request page header")
			}
			c.Screenshot("request-stage-" + v.name)
		}

		// A stale board: the never-asked card's move is posted by hand. It is
		// refused with the reason, and the request stays where it was.
		c.Open(s.URL + "/requests?view=board")
		testutil.Eval[bool](c, fmt.Sprintf(`(() => {
			const f = document.createElement("form");
			f.method = "post"; f.action = "/requests/%d/state";
			for (const [k, v] of Object.entries({csrf: document.querySelector("input[name=csrf]").value,
				version: "%d", state: "awaiting_advocate", back: "/requests?view=board"})) {
				const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.append(i);
			}
			document.body.append(f); f.submit(); return true })()`, fresh.ID, fresh.Version))
		c.WaitText(".flash", "No advocate has been asked yet — pick a reference first.")
		if r, _ := s.DB.Request(ctx, fresh.ID); r.State != vouch.RequestSubmitted {
			t.Errorf("after the refused move the request is %s", r.State)
		}
		noPageErrors(t, c)
	})
}

func TestOutboxMailFitsAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		ctx := context.Background()
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		link := s.URL + "/a/" + strings.Repeat("x7Kq9", 30)
		body := "Hello Maya Okafor,\n\nSam Seller would like to ask you for a call about the opportunity “Globex enterprise-wide expansion”.\n\n" +
			"Answer here: " + link + "\n\nThis link works once and expires on " + time.Now().Format("Monday 2 January 2006") + ".\n" +
			strings.Repeat("—", 80) + "\n"
		err := s.DB.QueueMail(ctx, vouch.Outgoing{Mails: []vouch.Mail{{To: "maya.okafor.chiefinformationofficer@acmehospitalsinternational.example",
			Subject: "A reference request for Globex enterprise-wide expansion — Maya Okafor, Chief Information Officer, Acme Hospitals",
			Body:    body, ICS: "BEGIN:VCALENDAR\r\nDESCRIPTION:" + strings.Repeat("Meeting-link-", 20) + "\r\nEND:VCALENDAR\r\n"}}})
		if err != nil {
			t.Fatal(err)
		}
		mails, _, err := s.DB.ListOutbox(ctx, vouch.OutboxFilter{Limit: 1})
		if err != nil || len(mails) != 1 {
			t.Fatalf("outbox: %v %v", mails, err)
		}
		c.LoginAs(s, "ada@example.com")
		for _, v := range viewports {
			v.set(c)
			c.Open(fmt.Sprintf("%s/admin/outbox/%d", s.URL, mails[0].ID))
			c.WaitText(".mail-body", "Answer here:")
			c.Click("main details > summary")
			checkNoHorizontalScroll(t, c, "outbox mail ("+v.name+")")
			if w := testutil.Eval[int](c, "document.documentElement.scrollWidth"); v.name == "phone" && w > testutil.PhoneWidth {
				t.Errorf("the mail page is %d px wide at %d px", w, testutil.PhoneWidth)
			}
			c.Screenshot("outbox-mail-" + v.name)
		}
		noPageErrors(t, c)
	})
}
