package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The pages behind the signed links in mails: the advocate's answer and
// the feedback forms, used as a customer would — no account, no session.

// advocateLoop is a server with a program team, a seller, and a reference
// who agreed to calls; it asks through the same fulfillment service the
// pages use, reading the links from the mails it queues.
type advocateLoop struct {
	s      *testutil.Server
	svc    *fulfillment.Service
	team   *vouch.User
	seller *vouch.User
	call   int64
	acct   *vouch.Account
	n      int // opportunities made so far
}

func newAdvocateLoop(t *testing.T, s *testutil.Server) *advocateLoop {
	t.Helper()
	l := &advocateLoop{s: s,
		team:   testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember),
		seller: testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller),
		call:   valueID(t, s.DB, vouch.TaxActivityType, "Call")}
	// A service of the test's own over the server's database: links are
	// signed with the key kept there, so the server accepts what it signs.
	_, _, ix := testutil.ReadModels(t, s.DB)
	var err error
	if l.svc, err = fulfillment.New(ctx, s.DB, ix, s.URL, nil); err != nil {
		t.Fatal(err)
	}
	l.acct = &vouch.Account{Name: "Acme Hospitals"}
	if err := s.DB.CreateAccount(ctx, l.acct); err != nil {
		t.Fatal(err)
	}
	return l
}

// reference adds an active reference who agreed to calls, with room for
// capacity activities per 90 days.
func (l *advocateLoop) reference(t *testing.T, name string, capacity int) *vouch.Reference {
	t.Helper()
	r := &vouch.Reference{AccountID: l.acct.ID, Name: name, Title: "CIO", Status: vouch.StatusActive,
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@acme.example", CapacityOverride: &capacity,
		Activities: []vouch.AgreedActivity{{TypeID: l.call}}}
	if err := l.s.DB.CreateReference(ctx, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// ask makes a request for a call on a new opportunity with Globex, asks
// ref, and returns the ask and the token of the link mailed to ref.
func (l *advocateLoop) ask(t *testing.T, ref *vouch.Reference) (*vouch.Ask, string) {
	t.Helper()
	l.n++
	opp := &vouch.Opportunity{Name: fmt.Sprintf("Globex renewal %d", l.n), Prospect: "Globex", OwnerID: l.seller.ID}
	if err := l.s.DB.CreateOpportunity(ctx, opp); err != nil {
		t.Fatal(err)
	}
	req := &vouch.Request{OpportunityID: opp.ID, ActivityTypeID: l.call, DueDate: vouch.DateOf(time.Now()).AddDays(20),
		Context: "Globex weighs us against their current vendor; they care about the migration."}
	if err := l.svc.CreateRequest(ctx, l.seller, req, nil); err != nil {
		t.Fatal(err)
	}
	a, err := l.svc.Ask(ctx, l.team, req.ID, ref.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	return a, latestLink(t, l.s.DB, ref.Email, "/a/")
}

// complete schedules and completes an accepted ask, and returns the
// tokens of the seller's and the advocate's feedback links.
func (l *advocateLoop) complete(t *testing.T, a *vouch.Ask, ref *vouch.Reference) (seller, advocate string) {
	t.Helper()
	if _, err := l.svc.Schedule(ctx, l.team, a.ID, vouch.Schedule{At: time.Now().Add(-time.Hour), DurationMinutes: 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.svc.Complete(ctx, l.team, a.ID, vouch.OutcomeCompleted, vouch.Date{}); err != nil {
		t.Fatal(err)
	}
	return latestLink(t, l.s.DB, l.seller.Email, "/f/"), latestLink(t, l.s.DB, ref.Email, "/f/")
}

var mailLink = regexp.MustCompile(`/[af]/([A-Za-z0-9_.-]+)`)

// latestLink reads the token of the newest link under prefix in the mail
// queued for to, as the person would find it in their inbox.
func latestLink(t *testing.T, db *store.DB, to, prefix string) string {
	t.Helper()
	mails, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails { // newest first
		if m.To != to {
			continue
		}
		for _, match := range mailLink.FindAllStringSubmatch(m.Body, -1) {
			if strings.HasPrefix(match[0], prefix) {
				return match[1]
			}
		}
	}
	t.Fatalf("no mail to %s with a %s link", to, prefix)
	return ""
}

// visit fetches path as a stranger: no cookies, no session.
func visit(t *testing.T, s *testutil.Server, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	return doPublic(t, req)
}

// answer posts form to path as the advocate's browser does: same origin, no session.
func answer(t *testing.T, s *testutil.Server, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	return doPublic(t, req)
}

func doPublic(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return fmt.Errorf("redirected to %s", req.URL)
	}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// mustBePrivate checks the headers that keep a page with a secret in its
// address out of caches, search engines and Referer headers.
func mustBePrivate(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"} {
		if got := resp.Header.Get(h); !strings.Contains(got, want) {
			t.Errorf("%s: %s is %q, want %q", what, h, got, want)
		}
	}
}

func askState(t *testing.T, db *store.DB, id int64) vouch.AskState {
	t.Helper()
	a, err := db.Ask(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.State
}

// capacityUsed is how many of its slots the reference has used or booked.
func capacityUsed(t *testing.T, db *store.DB, ref *vouch.Reference) (used int, booked []vouch.Activity) {
	t.Helper()
	acts, err := db.Activities(ctx, ref.ID)
	if err != nil {
		t.Fatal(err)
	}
	var dates []vouch.Date
	for _, a := range acts {
		dates = append(dates, a.OccurredOn)
		if a.State == vouch.ActivityBooked {
			booked = append(booked, a)
		}
	}
	return vouch.ComputeCapacity(*ref.CapacityOverride, dates, vouch.DateOf(time.Now())).Used, booked
}

func TestAdvocateAcceptsThroughTheLink(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		maya := l.reference(t, "Maya Okafor", 3)
		a, token := l.ask(t, maya)

		resp, body := visit(t, s, "/a/"+token)
		expect(t, "answer page", resp, http.StatusOK, "/a/"+token)
		mustBePrivate(t, "answer page", resp)
		mustContain(t, "answer page", body, "Hello Maya Okafor", "Would you do a call with Globex?", "Sam", "sam@example.com",
			"they care about the migration", `value="accept"`, `value="decline"`, `value="pause"`, `value="opt_out"`,
			`<label for="not_before">`, "Yes, I want to leave the reference program.")
		if strings.Contains(body, `class="topbar"`) || strings.Contains(body, `action="/logout"`) || strings.Contains(body, `name="csrf"`) {
			t.Error("the advocate's page shows the app's navigation or session form")
		}
		if used, _ := capacityUsed(t, s.DB, maya); used != 0 {
			t.Fatalf("capacity used %d before the answer", used)
		}
		if askState(t, s.DB, a.ID) != vouch.AskPending {
			t.Fatal("opening the link changed the ask")
		}

		resp, body = answer(t, s, "/a/"+token, url.Values{"action": {"accept"}, "proposed_times": {"Tuesday afternoon, Berlin time"}, "note": {"Happy to"}})
		expect(t, "accept", resp, http.StatusOK, "/a/"+token)
		mustBePrivate(t, "thank-you page", resp)
		mustContain(t, "accept", body, "We booked you for a call with Globex", "Tuesday afternoon, Berlin time", "calendar invitation")

		got, err := s.DB.Ask(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.AskAccepted || got.ProposedTimes != "Tuesday afternoon, Berlin time" || got.AnswerNote != "Happy to" {
			t.Errorf("after accepting, the ask is %s with times %q and note %q", got.State, got.ProposedTimes, got.AnswerNote)
		}
		used, booked := capacityUsed(t, s.DB, maya)
		if used != 1 || len(booked) != 1 || booked[0].ID != got.ActivityID {
			t.Errorf("after accepting: capacity used %d, booked %+v, ask's activity %d; want 1 booked activity", used, booked, got.ActivityID)
		}
		req, err := s.DB.Request(ctx, a.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		if req.State != vouch.RequestAwaitingAdvocate {
			t.Errorf("request is %s after the accept, want still awaiting scheduling by the team", req.State)
		}

		// The link worked once: again it says so, and changes nothing.
		for _, try := range []func() (*http.Response, string){
			func() (*http.Response, string) { return visit(t, s, "/a/"+token) },
			func() (*http.Response, string) { return answer(t, s, "/a/"+token, url.Values{"action": {"decline"}}) },
		} {
			resp, body = try()
			expect(t, "reused link", resp, http.StatusGone, "/a/"+token)
			mustBePrivate(t, "reused link", resp)
			mustContain(t, "reused link", body, "This link has already been used", "contact the person who asked you")
		}
		if askState(t, s.DB, a.ID) != vouch.AskAccepted {
			t.Error("a reused link changed the answer")
		}
		if used, _ := capacityUsed(t, s.DB, maya); used != 1 {
			t.Errorf("capacity used %d after a reused link, want 1", used)
		}
	})
}

func TestAdvocateDeclinesPausesOrOptsOut(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)

		t.Run("decline", func(t *testing.T) {
			ref := l.reference(t, "Dana Decline", 3)
			a, token := l.ask(t, ref)
			resp, body := answer(t, s, "/a/"+token, url.Values{"action": {"decline"}, "note": {"Busy quarter"}})
			expect(t, "decline", resp, http.StatusOK, "/a/"+token)
			mustContain(t, "decline", body, "We won't book you for this call")
			if got, _ := s.DB.Ask(ctx, a.ID); got.State != vouch.AskDeclined || got.AnswerNote != "Busy quarter" {
				t.Errorf("after declining the ask is %s with note %q", got.State, got.AnswerNote)
			}
			if req, _ := s.DB.Request(ctx, a.RequestID); req.State != vouch.RequestInProgress {
				t.Errorf("after the only ask was declined the request is %s, want back in progress", req.State)
			}
			if used, _ := capacityUsed(t, s.DB, ref); used != 0 {
				t.Errorf("a decline booked capacity: %d used", used)
			}
			if got, _ := s.DB.Reference(ctx, ref.ID); got.Status != vouch.StatusActive {
				t.Errorf("a decline made the reference %s", got.Status)
			}
		})

		t.Run("pause", func(t *testing.T) {
			ref := l.reference(t, "Pat Pause", 3)
			a, token := l.ask(t, ref)

			// A pause needs the day; without it the form comes back, input kept, nothing changed.
			resp, body := answer(t, s, "/a/"+token, url.Values{"action": {"pause"}, "note": {"Back from leave soon"}})
			expect(t, "pause without a date", resp, http.StatusBadRequest, "/a/"+token)
			mustContain(t, "pause without a date", body, `id="not_before-error"`, "Choose the first day we may ask you again.",
				`id="pause-answer" open`, "Back from leave soon")
			if askState(t, s.DB, a.ID) != vouch.AskPending {
				t.Fatal("a pause without a date changed the ask")
			}
			resp, _ = answer(t, s, "/a/"+token, url.Values{"action": {"pause"}, "not_before": {vouch.DateOf(time.Now()).String()}})
			expect(t, "pause until today", resp, http.StatusBadRequest, "/a/"+token)

			until := vouch.DateOf(time.Now()).AddDays(60)
			resp, body = answer(t, s, "/a/"+token, url.Values{"action": {"pause"}, "not_before": {until.String()}})
			expect(t, "pause", resp, http.StatusOK, "/a/"+token)
			mustContain(t, "pause", body, "We won't ask before "+until.Time().Format("2 January 2006"))
			got, err := s.DB.Reference(ctx, ref.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != vouch.StatusResting || got.RestingUntil != until {
				t.Errorf("after a pause the reference is %s until %s, want resting until %s", got.Status, got.RestingUntil, until)
			}
			if askState(t, s.DB, a.ID) != vouch.AskDeclined {
				t.Errorf("after a pause the ask is %s, want declined", askState(t, s.DB, a.ID))
			}
		})

		t.Run("opt out", func(t *testing.T) {
			ref := l.reference(t, "Olu Optout", 3)
			a, token := l.ask(t, ref)

			resp, body := answer(t, s, "/a/"+token, url.Values{"action": {"opt_out"}})
			expect(t, "opt out unconfirmed", resp, http.StatusBadRequest, "/a/"+token)
			mustContain(t, "opt out unconfirmed", body, `id="confirm-error"`, `id="opt-out-answer" open`)
			if got, _ := s.DB.Reference(ctx, ref.ID); got.Status != vouch.StatusActive {
				t.Fatalf("an unconfirmed opt-out made the reference %s", got.Status)
			}

			resp, body = answer(t, s, "/a/"+token, url.Values{"action": {"opt_out"}, "confirm": {"yes"}})
			expect(t, "opt out", resp, http.StatusOK, "/a/"+token)
			mustContain(t, "opt out", body, "You are opted out")
			if got, _ := s.DB.Reference(ctx, ref.ID); got.Status != vouch.StatusDoNotContact {
				t.Errorf("after opting out the reference is %s, want do not contact", got.Status)
			}
			if askState(t, s.DB, a.ID) != vouch.AskDeclined {
				t.Errorf("after opting out the ask is %s, want declined", askState(t, s.DB, a.ID))
			}
		})

		t.Run("no choice", func(t *testing.T) {
			ref := l.reference(t, "Nia Nochoice", 3)
			a, token := l.ask(t, ref)
			resp, body := answer(t, s, "/a/"+token, url.Values{"action": {"maybe"}})
			expect(t, "unknown answer", resp, http.StatusBadRequest, "/a/"+token)
			mustContain(t, "unknown answer", body, "Choose one of the answers below.")
			if askState(t, s.DB, a.ID) != vouch.AskPending {
				t.Error("an unknown answer changed the ask")
			}
		})
	})
}

func TestBadAdvocateLinksChangeNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		ref := l.reference(t, "Tia Tamper", 3)
		a, token := l.ask(t, ref)

		// One character changed, anywhere: the signature no longer matches.
		for _, i := range []int{1, len(token) - 1, strings.Index(token, ".") - 1} {
			c := byte('A')
			if token[i] == 'A' {
				c = 'B'
			}
			bad := token[:i] + string(c) + token[i+1:]
			for _, try := range []func() (*http.Response, string){
				func() (*http.Response, string) { return visit(t, s, "/a/"+bad) },
				func() (*http.Response, string) { return answer(t, s, "/a/"+bad, url.Values{"action": {"accept"}}) },
			} {
				resp, body := try()
				expect(t, "tampered link", resp, http.StatusNotFound, "/a/"+bad)
				mustBePrivate(t, "tampered link", resp)
				mustContain(t, "tampered link", body, "This link is not valid", "contact the person who asked you")
			}
		}
		for _, path := range []string{"/a/nonsense", "/a/x.y", "/f/nonsense"} {
			resp, body := visit(t, s, path)
			expect(t, "made-up link "+path, resp, http.StatusNotFound, path)
			mustContain(t, "made-up link "+path, body, "This link is not valid")
		}
		// An answer link is no feedback link, and the other way round.
		resp, _ := visit(t, s, "/f/"+token)
		expect(t, "answer link under /f/", resp, http.StatusNotFound, "/f/"+token)
		resp, _ = answer(t, s, "/f/"+token, url.Values{"rating": {"5"}, "influenced": {"yes"}})
		expect(t, "answer link posted under /f/", resp, http.StatusNotFound, "/f/"+token)
		if askState(t, s.DB, a.ID) != vouch.AskPending {
			t.Fatal("a tampered or misplaced link changed the ask")
		}

		// Two weeks and a day later the link has expired.
		s.DB.Clock.Advance(fulfillment.AskTTL + 24*time.Hour)
		resp, body := visit(t, s, "/a/"+token)
		expect(t, "expired link", resp, http.StatusGone, "/a/"+token)
		mustBePrivate(t, "expired link", resp)
		mustContain(t, "expired link", body, "This link has expired", "contact the person who asked you")
		resp, body = answer(t, s, "/a/"+token, url.Values{"action": {"accept"}})
		expect(t, "answer through an expired link", resp, http.StatusGone, "/a/"+token)
		mustContain(t, "answer through an expired link", body, "This link has expired")
		if askState(t, s.DB, a.ID) != vouch.AskPending {
			t.Error("an expired link changed the ask")
		}
		if used, _ := capacityUsed(t, s.DB, ref); used != 0 {
			t.Errorf("an expired link booked capacity: %d used", used)
		}
	})
}

func TestAcceptAfterTheLastSlotWasTakenBooksNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		ref := l.reference(t, "Uma Onlyone", 1)
		first, firstToken := l.ask(t, ref)
		second, secondToken := l.ask(t, ref)

		resp, _ := answer(t, s, "/a/"+firstToken, url.Values{"action": {"accept"}})
		expect(t, "first accept", resp, http.StatusOK, "/a/"+firstToken)

		resp, body := answer(t, s, "/a/"+secondToken, url.Values{"action": {"accept"}})
		expect(t, "second accept", resp, http.StatusConflict, "/a/"+secondToken)
		mustBePrivate(t, "no longer available", resp)
		mustContain(t, "second accept", body, "No longer available", "nothing was booked", "sam@example.com")
		if askState(t, s.DB, second.ID) != vouch.AskPending || askState(t, s.DB, first.ID) != vouch.AskAccepted {
			t.Errorf("asks are %s and %s, want accepted and still pending", askState(t, s.DB, first.ID), askState(t, s.DB, second.ID))
		}
		if used, booked := capacityUsed(t, s.DB, ref); used != 1 || len(booked) != 1 {
			t.Errorf("capacity used %d with %d booked, want exactly the first booking", used, len(booked))
		}
		// Nothing happened to the second link: the advocate can still say no.
		resp, _ = answer(t, s, "/a/"+secondToken, url.Values{"action": {"decline"}})
		expect(t, "decline after no longer available", resp, http.StatusOK, "/a/"+secondToken)
	})
}

func TestFeedbackThroughTheLinks(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		ref := l.reference(t, "Fay Feedback", 3)
		a, token := l.ask(t, ref)
		if resp, _ := answer(t, s, "/a/"+token, url.Values{"action": {"accept"}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
		sellerToken, advocateToken := l.complete(t, a, ref)

		// The seller's form.
		resp, body := visit(t, s, "/f/"+sellerToken)
		expect(t, "seller form", resp, http.StatusOK, "/f/"+sellerToken)
		mustBePrivate(t, "seller form", resp)
		mustContain(t, "seller form", body, "How helpful was the call with Fay Feedback?", `name="influenced"`, `value="accelerated"`,
			`<label for="comment">`)
		if strings.Contains(body, `name="thank_you"`) {
			t.Error("the seller's form asks for the advocate's thank-you")
		}
		resp, body = answer(t, s, "/f/"+sellerToken, url.Values{"comment": {"Sealed the deal"}, "impact": {"accelerated"}})
		expect(t, "seller form without answers", resp, http.StatusBadRequest, "/f/"+sellerToken)
		mustContain(t, "seller form without answers", body, `id="rating-error"`, "Choose how helpful it was, from 1 to 5.",
			`id="influenced-error"`, "Sealed the deal", `value="accelerated" checked`)
		resp, body = answer(t, s, "/f/"+sellerToken, url.Values{"rating": {"5"}, "influenced": {"yes"}, "impact": {"accelerated"}, "comment": {"Sealed the deal"}})
		expect(t, "seller feedback", resp, http.StatusOK, "/f/"+sellerToken)
		mustContain(t, "seller feedback", body, "Thank you for your feedback")

		// The advocate's form.
		resp, body = visit(t, s, "/f/"+advocateToken)
		expect(t, "advocate form", resp, http.StatusOK, "/f/"+advocateToken)
		mustContain(t, "advocate form", body, "How was the call for you?", `name="thank_you"`, `value="donation"`)
		if strings.Contains(body, `name="influenced"`) {
			t.Error("the advocate's form asks whether it influenced the deal")
		}
		resp, body = answer(t, s, "/f/"+advocateToken, url.Values{"rating": {"4"}, "thank_you": {"donation"}, "comment": {"Nice people"}})
		expect(t, "advocate feedback", resp, http.StatusOK, "/f/"+advocateToken)
		mustContain(t, "advocate feedback", body, "Thank you for your feedback")

		got, err := s.DB.Feedback(ctx, a.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d feedback entries, want 2: %+v", len(got), got)
		}
		for _, f := range got {
			switch f.Source {
			case vouch.FeedbackSeller:
				if f.Rating != 5 || f.Influenced == nil || !*f.Influenced || f.Impact != "accelerated" || f.Comment != "Sealed the deal" {
					t.Errorf("seller feedback stored as %+v", f)
				}
			case vouch.FeedbackAdvocate:
				if f.Rating != 4 || f.ThankYou != "donation" || f.Comment != "Nice people" {
					t.Errorf("advocate feedback stored as %+v", f)
				}
			}
		}

		// Once only: a second time shows the used page and stores nothing.
		for _, tok := range []string{sellerToken, advocateToken} {
			resp, body = visit(t, s, "/f/"+tok)
			expect(t, "feedback link again", resp, http.StatusGone, "/f/"+tok)
			mustContain(t, "feedback link again", body, "This link has already been used")
			resp, _ = answer(t, s, "/f/"+tok, url.Values{"rating": {"1"}, "influenced": {"no"}, "thank_you": {"none"}})
			expect(t, "feedback posted again", resp, http.StatusGone, "/f/"+tok)
		}
		if again, _ := s.DB.Feedback(ctx, a.RequestID); len(again) != 2 || again[0].Rating == 1 || again[1].Rating == 1 {
			t.Errorf("feedback after reused links: %+v", again)
		}
	})
}

func TestAdvocatePagesNeedNoSessionButRefuseOtherSites(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		ref := l.reference(t, "Cy Crosssite", 3)
		a, token := l.ask(t, ref)

		// A form on another site posting to the link is refused before it is read.
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/a/"+token, strings.NewReader("action=opt_out&confirm=yes"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		resp, _ := doPublic(t, req)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site post: %d, want 403", resp.StatusCode)
		}
		if askState(t, s.DB, a.ID) != vouch.AskPending {
			t.Fatal("a cross-site post changed the ask")
		}
		// The advocate's own browser posts without any session or CSRF field.
		resp, _ = answer(t, s, "/a/"+token, url.Values{"action": {"decline"}})
		expect(t, "decline without a session", resp, http.StatusOK, "/a/"+token)
	})
}

func TestLinkOfAWithdrawnAskSaysTheRequestIsClosed(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		ref := l.reference(t, "Wes Withdrawn", 3)
		a, token := l.ask(t, ref)
		if _, err := l.svc.Withdraw(ctx, l.team, a.ID, "Found someone closer to Globex"); err != nil {
			t.Fatal(err)
		}
		for _, try := range []func() (*http.Response, string){
			func() (*http.Response, string) { return visit(t, s, "/a/"+token) },
			func() (*http.Response, string) { return answer(t, s, "/a/"+token, url.Values{"action": {"accept"}}) },
		} {
			resp, body := try()
			expect(t, "withdrawn ask's link", resp, http.StatusGone, "/a/"+token)
			mustContain(t, "withdrawn ask's link", body, "Nothing more to do here", "This request is no longer open", "Nothing was changed.")
		}
		if askState(t, s.DB, a.ID) != vouch.AskWithdrawn {
			t.Errorf("the link changed a withdrawn ask to %s", askState(t, s.DB, a.ID))
		}
		if used, _ := capacityUsed(t, s.DB, ref); used != 0 {
			t.Errorf("the link of a withdrawn ask booked capacity: %d used", used)
		}
	})
}
