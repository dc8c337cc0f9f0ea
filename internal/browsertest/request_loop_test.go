package browsertest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/notify"
	"github.com/vouchhq/vouch/internal/server"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The whole request loop as the four people in it live it, each in a
// browser of their own, with every mail going through a real SMTP server:
// a seller requests a reference, the program team picks and asks a
// customer, the customer accepts through the link in their mail, the team
// schedules and completes the call, and both the seller and the customer
// give feedback through the links mailed to them.

// loopMailWait bounds the wait for a mail: the server sends as soon as it
// queues one, so this is slack for a busy machine, not an expected delay.
const loopMailWait = 15 * time.Second

var (
	loopRequestPath = regexp.MustCompile(`/requests/(\d+)$`)
	loopLink        = regexp.MustCompile(`https?://[^\s]+/([af])/[A-Za-z0-9_.-]+`)
)

// mailedLink waits for the mail to to whose body has a link of kind ("a"
// for an answer, "f" for feedback), and returns the mail and the link.
func mailedLink(t *testing.T, sink *testutil.SMTPSink, to, kind string) (testutil.Message, string) {
	t.Helper()
	var link string
	m := sink.WaitFor(t, func(m testutil.Message) bool {
		if !slices.Contains(m.To, to) {
			return false
		}
		for _, l := range loopLink.FindAllStringSubmatch(m.Body, -1) {
			if l[1] == kind {
				link = l[0]
				return true
			}
		}
		return false
	}, loopMailWait)
	return m, link
}

// invite waits for the mail to to that carries a calendar invitation and
// returns the invitation.
func invite(t *testing.T, sink *testutil.SMTPSink, to string) string {
	t.Helper()
	var ics string
	sink.WaitFor(t, func(m testutil.Message) bool {
		if !slices.Contains(m.To, to) {
			return false
		}
		for _, a := range m.Attachments {
			if strings.HasPrefix(a.ContentType, "text/calendar") && strings.HasSuffix(a.Name, ".ics") {
				ics = string(a.Content)
				return true
			}
		}
		return false
	}, loopMailWait)
	return ics
}

// setValue sets a date or time field as a date picker would: typing into
// them depends on the browser's locale.
func setValue(c *testutil.Chrome, sel, value string) {
	testutil.Eval[bool](c, fmt.Sprintf(`(e => (e.value = %q, e.dispatchEvent(new Event("change", {bubbles: true})), true))(document.querySelector(%q))`, value, sel))
}

func TestRequestLoopFromRequestToFeedback(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) { requestLoop(t, e) })
	}
}

func requestLoop(t *testing.T, e store.Engine) {
	sink := testutil.NewSMTPSink(t)
	s := testutil.StartServerWith(t, e, server.Config{SMTP: notify.Config{Host: sink.Host, Port: sink.Port,
		From: "Vouch <vouch@example.com>", TLS: notify.TLSNone}})
	testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
	testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
	call := taxID(t, s.DB, vouch.TaxActivityType, "Call")
	analytics := &vouch.TaxonomyValue{Kind: vouch.TaxProduct, Name: "Patient Analytics"}
	if err := s.DB.CreateTaxonomyValue(asTest(), analytics); err != nil {
		t.Fatal(err)
	}
	maya := addReference(t, s.DB, "Acme Hospitals", "Healthcare", &vouch.Reference{Name: "Maya Okafor", Title: "Chief Information Officer",
		Email: "maya@acme.example", ProductIDs: []int64{analytics.ID}, Activities: []vouch.AgreedActivity{{TypeID: call}},
		LastVerified: s.DB.Today()})
	profile := fmt.Sprintf("%s/references/%d", s.URL, maya.ID)

	// The program team member looks at Maya's profile: nothing used yet.
	team := testutil.NewBrowser(t)
	team.LoginAs(s, "tess@example.com")
	team.Open(profile)
	team.WaitText("#capacity-heading + .gauge", "0 of 3 used")

	// The seller requests a call for a new opportunity, through the form.
	seller := testutil.NewBrowser(t)
	seller.LoginAs(s, "sam@example.com")
	seller.Open(s.URL + "/requests/new")
	seller.Fill("#opp_name", "Globex expansion")
	seller.Fill("#opp_prospect", "Globex")
	seller.Select("#activity_type", "Call")
	setValue(seller, "#due_date", s.DB.Today().AddDays(14).String())
	seller.Click(".more-details > summary")
	seller.Select("#product", "Patient Analytics")
	seller.Fill("#context", "Globex weighs us against their current vendor; they worry about the migration.")
	seller.Submit(".form-actions button.primary")
	m := loopRequestPath.FindStringSubmatch(seller.URL())
	if m == nil {
		t.Fatalf("submitting the request went to %s, not its page", seller.URL())
	}
	request := s.URL + "/requests/" + m[1]
	seller.WaitText(".flash", "Request submitted.")

	// The team member finds it in the queue, opens it and asks the best match.
	team.Open(s.URL + "/requests")
	team.WaitText("table.queue", "Globex expansion")
	team.Submit(fmt.Sprintf(`table.queue a[href="/requests/%s"]`, m[1]))
	team.WaitText(".match", "Maya Okafor")
	team.WaitText(".match .reasons", "Patient Analytics")
	team.Submit(`button[aria-label="Ask Maya Okafor"]`)
	team.WaitText("#asks", "Maya Okafor")
	team.WaitText("#asks .pill", "Asked")

	// Maya's mail arrives; she opens the link on her phone and accepts.
	ask, link := mailedLink(t, sink, "maya@acme.example", "a")
	if !strings.Contains(ask.Subject, "call with Globex") {
		t.Errorf("the advocate's mail is titled %q", ask.Subject)
	}
	if !strings.HasPrefix(link, s.URL+"/a/") {
		t.Fatalf("the mail's link %s does not point at the server %s", link, s.URL)
	}
	advocate := testutil.NewBrowser(t)
	advocate.Phone()
	resp := advocate.Open(link)
	if resp.Status != 200 {
		t.Fatalf("the advocate's link answered %d", resp.Status)
	}
	advocate.WaitText("h1", "Would you do a call with Globex?")
	advocate.WaitText(".public-facts", "Sam")
	advocate.WaitText("main", "they worry about the migration")
	if advocate.Has(".topbar") || advocate.Has(`form[action="/login"]`) {
		t.Error("the advocate's page shows the app's navigation or a sign-in form")
	}
	checkNoHorizontalScroll(t, advocate, "the advocate's page")
	advocate.Fill("#proposed_times", "Tuesday or Wednesday afternoon")
	advocate.Submit("#accept")
	advocate.WaitText("#answer-done", "We booked you for a call with Globex")
	advocate.Screenshot("advocate-accepted-phone")

	// The team sees the answer and schedules the call — it took place two
	// hours ago, so it can be marked completed straight away.
	team.Open(request)
	team.WaitText("#asks .pill", "Accepted")
	team.WaitText("#asks", "Tuesday or Wednesday afternoon")
	at := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Minute)
	setValue(team, `#asks input[name="scheduled_at"]`, at.Format("2006-01-02T15:04"))
	team.Fill(`#asks input[name="meeting_url"]`, "https://meet.example/globex")
	team.Submit(`#asks form[action$="/schedule"] button[type=submit]`)
	team.WaitText(".flash", "Scheduled for")
	team.WaitText("#asks .pill", "Scheduled")

	// Both get an invitation.
	for _, to := range []string{"maya@acme.example", "sam@example.com"} {
		ics := invite(t, sink, to)
		for _, want := range []string{"BEGIN:VCALENDAR", "METHOD:REQUEST", "DTSTART:" + at.Format("20060102T150405Z"), "meet.example/globex"} {
			if !strings.Contains(ics, want) {
				t.Errorf("the invitation mailed to %s lacks %q:\n%s", to, want, ics)
			}
		}
	}

	team.Submit(`#asks button[name="outcome"][value="completed"]`)
	team.WaitText(".flash", "Completed")
	team.WaitText("#asks .pill", "Completed")

	// Both are asked for feedback, by mail, and answer in the browser.
	_, sellerLink := mailedLink(t, sink, "sam@example.com", "f")
	_, advocateLink := mailedLink(t, sink, "maya@acme.example", "f")

	seller.Open(sellerLink)
	seller.WaitText("h1", "How helpful was the call with Maya Okafor?")
	seller.Click("#rating-5")
	seller.Click("#influenced-yes")
	seller.Click("#impact-accelerated")
	seller.Fill("#comment", "Globex signed the week after.")
	seller.Submit("#send-feedback")
	seller.WaitText("#feedback-done", "Thank you for your feedback")

	advocate.Open(advocateLink)
	advocate.WaitText("h1", "How was the call for you?")
	checkNoHorizontalScroll(t, advocate, "the advocate's feedback form")
	advocate.Click("#rating-4")
	advocate.Click("#thank_you-donation")
	advocate.Submit("#send-feedback")
	advocate.WaitText("#feedback-done", "Thank you for your feedback")

	// The request page shows both ratings; the profile shows the call, done,
	// and one more slot used.
	team.Open(request)
	team.WaitText("h1 .pill", "Done")
	team.WaitText("#asks", "Globex signed the week after.")
	team.Open(profile)
	team.WaitText("#capacity-heading + .gauge", "1 of 3 used")
	row := fmt.Sprintf(`table.activities tr:has(a[href="/requests/%s"])`, m[1])
	team.WaitText(row, "Call")
	team.WaitText(row, "Done")
	team.WaitText(row, "prefers donation")

	noPageErrors(t, team)
	noPageErrors(t, seller)
	noPageErrors(t, advocate)
}
