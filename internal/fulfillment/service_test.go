package fulfillment_test

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/changefeed"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

const base = "https://vouch.example.com"

// loop is a database with the people of a request loop, the reference
// index following it, the service, and a clock the test moves.
type loop struct {
	db     *store.DB
	feed   *changefeed.Feed
	s      *fulfillment.Service
	now    time.Time
	seller *vouch.User // requests
	pm     *vouch.User // picks and asks
	owner  *vouch.User // owns the customer account
	acct   *vouch.Account
	call   int64
}

func newLoop(t *testing.T, db *store.DB) *loop {
	t.Helper()
	l := &loop{db: db, now: time.Now().UTC().Truncate(time.Microsecond)}
	db.Clock = vouch.NewClock(func() time.Time { return l.now })
	ctx := context.Background()
	l.seller = l.user(t, "sally@example.com", vouch.RoleSeller)
	l.pm = l.user(t, "pat@example.com", vouch.RoleProgramManager)
	l.owner = l.user(t, "olga@example.com", vouch.RoleTeamMember)
	l.call = l.value(t, vouch.TaxActivityType, "Call")
	l.acct = &vouch.Account{Name: "Northwind Health", IndustryID: l.value(t, vouch.TaxIndustry, "Healthcare"), OwnerID: l.owner.ID}
	if err := db.CreateAccount(l.ctx(l.pm), l.acct); err != nil {
		t.Fatal(err)
	}
	feed, _, ix := testutil.ReadModels(t, db)
	l.feed = feed
	s, err := fulfillment.New(ctx, db, ix, base+"/", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	l.s = s
	return l
}

func (l *loop) ctx(u *vouch.User) context.Context {
	return vouch.WithActor(context.Background(), vouch.UserActor(u))
}

func (l *loop) user(t *testing.T, email string, role vouch.Role) *vouch.User {
	t.Helper()
	u := &vouch.User{Email: email, Name: strings.ToUpper(email[:1]) + email[1:strings.Index(email, "@")], Role: role}
	if err := l.db.CreateUser(context.Background(), u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	return u
}

func (l *loop) value(t *testing.T, kind vouch.TaxonomyKind, name string) int64 {
	t.Helper()
	vals, err := l.db.ListTaxonomy(context.Background(), kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if v.Name == name {
			return v.ID
		}
	}
	t.Fatalf("no %s %q", kind, name)
	return 0
}

func (l *loop) ref(t *testing.T, name string, edit func(*vouch.Reference)) *vouch.Reference {
	t.Helper()
	r := &vouch.Reference{AccountID: l.acct.ID, Name: name, Title: "CIO", Status: vouch.StatusActive,
		Email:      strings.ToLower(strings.Fields(name)[0]) + "@northwind.example",
		Activities: []vouch.AgreedActivity{{TypeID: l.call, ConsentedOn: vouch.DateOf(l.now).AddDays(-30)}}}
	if edit != nil {
		edit(r)
	}
	if err := l.db.CreateReference(l.ctx(l.pm), r); err != nil {
		t.Fatal(err)
	}
	return r
}

// request is a seller's request for a call, with a new opportunity.
func (l *loop) request(t *testing.T, prospect string) *vouch.Request {
	t.Helper()
	r := &vouch.Request{ActivityTypeID: l.call, DueDate: vouch.DateOf(l.now).AddDays(30), Context: "They want to hear about the rollout."}
	opp := &vouch.Opportunity{Name: prospect + " platform deal", Prospect: prospect, AmountCents: 8000000}
	if err := l.s.CreateRequest(l.ctx(l.seller), l.seller, r, opp); err != nil {
		t.Fatal(err)
	}
	return r
}

// mails returns the outbox, oldest first.
func (l *loop) mails(t *testing.T) []vouch.OutboxMail {
	t.Helper()
	list, _, err := l.db.ListOutbox(context.Background(), vouch.OutboxFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// mailsTo returns the mails to addr queued after the first skip mails.
func (l *loop) mailsTo(t *testing.T, addr string, skip int) []vouch.OutboxMail {
	t.Helper()
	var out []vouch.OutboxMail
	for _, m := range l.mails(t)[skip:] {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

var linkRE = regexp.MustCompile(regexp.QuoteMeta(base) + `/([af])/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)`)

// token returns the token of the one link of kind ("a" or "f") in a mail.
func token(t *testing.T, m vouch.OutboxMail, kind string) string {
	t.Helper()
	found := linkRE.FindAllStringSubmatch(m.Body, -1)
	if len(found) != 1 || found[0][1] != kind {
		t.Fatalf("mail %q to %s has links %v, want one /%s/ link:\n%s", m.Subject, m.To, found, kind, m.Body)
	}
	return found[0][2]
}

// told reports whether u has a notification saying says.
func told(t *testing.T, l *loop, u *vouch.User, says string) bool {
	t.Helper()
	ns, _, err := l.db.Notifications(context.Background(), u.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if strings.Contains(n.Body, says) {
			return true
		}
	}
	return false
}

func TestAskMailsASignedSingleUseLink(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		if got, _ := db.Request(context.Background(), req.ID); got.State != vouch.RequestSubmitted || got.RequesterID != l.seller.ID {
			t.Fatalf("request %+v", got)
		}
		if !told(t, l, l.pm, "requested a call") {
			t.Error("the program manager was not told about the request")
		}
		// A seller cannot pick for a program-managed request.
		if _, err := l.s.Ask(l.ctx(l.seller), l.seller, req.ID, maya.ID, true); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("seller asks: %v", err)
		}

		ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if ask.State != vouch.AskPending || len(ask.Reasons) == 0 {
			t.Errorf("ask %+v", ask)
		}
		mails := l.mailsTo(t, maya.Email, 0)
		if len(mails) != 1 {
			t.Fatalf("%d mails to the advocate, want 1: %+v", len(mails), l.mails(t))
		}
		m := mails[0]
		if !strings.Contains(m.Subject, "Contoso") || !strings.Contains(m.Body, "Hello Maya,") ||
			!strings.Contains(m.Body, "They want to hear about the rollout.") || m.RequestID != req.ID {
			t.Errorf("the advocate's mail:\n%s\n%s", m.Subject, m.Body)
		}
		tok := token(t, m, "a")
		if !told(t, l, l.owner, "Maya Okafor was asked") {
			t.Error("the account owner was not told about the ask")
		}
		if !told(t, l, l.seller, "Maya Okafor (Northwind Health) was picked") {
			t.Error("the seller was not told about the pick")
		}

		v, err := l.s.OpenLink(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		// Another instance on the same database signs alike and opens it too.
		other, err := fulfillment.New(context.Background(), db, refindex.New(db, nil, nil), base, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.OpenLink(context.Background(), tok); err != nil {
			t.Errorf("another instance opens the link: %v", err)
		}
		if v.Purpose != vouch.LinkAnswer || v.Ask.ID != ask.ID || v.Reference.ID != maya.ID || v.Opportunity.Prospect != "Contoso" ||
			v.Seller != l.seller.Name || v.Activity != "Call" || v.Account.ID != l.acct.ID {
			t.Errorf("link view %+v", v)
		}

		// Tampered tokens are refused before anything is looked up.
		body, sig, _ := strings.Cut(tok, ".")
		flip := func(s string, i int) string {
			c := byte('A')
			if s[i] == 'A' {
				c = 'B'
			}
			return s[:i] + string(c) + s[i+1:]
		}
		for name, bad := range map[string]string{
			"nonce changed":        flip(body, 5) + "." + sig,
			"last nonce character": flip(body, len(body)-1) + "." + sig,
			"signature changed":    body + "." + flip(sig, 3),
			"seller purpose":       "s" + body[1:] + "." + sig,
			"advocate purpose":     "v" + body[1:] + "." + sig,
			"unknown purpose":      "x" + body[1:] + "." + sig,
			"no signature":         body,
			"signature cut short":  body + "." + sig[:len(sig)-2],
			"empty":                "",
			"just a dot":           ".",
		} {
			if _, err := l.s.OpenLink(context.Background(), bad); !errors.Is(err, fulfillment.ErrBadLink) {
				t.Errorf("%s: OpenLink %v, want ErrBadLink", name, err)
			}
			if _, err := l.s.Answer(context.Background(), bad, vouch.Answer{Action: vouch.AnswerAccept}); !errors.Is(err, fulfillment.ErrBadLink) {
				t.Errorf("%s: Answer %v, want ErrBadLink", name, err)
			}
		}
		if got, _ := db.Ask(context.Background(), ask.ID); got.State != vouch.AskPending {
			t.Fatalf("tampered links changed the ask: %+v", got)
		}
		// The answer link is no feedback link.
		yes := true
		if err := l.s.Feedback(context.Background(), tok, &vouch.Feedback{Rating: 5, Influenced: &yes}); !errors.Is(err, fulfillment.ErrBadLink) {
			t.Errorf("feedback through an answer link: %v", err)
		}

		got, err := l.s.Answer(context.Background(), tok, vouch.Answer{Action: vouch.AnswerAccept, ProposedTimes: "Tue or Wed afternoon"})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.AskAccepted || got.ActivityID == 0 {
			t.Errorf("accepted ask %+v", got)
		}
		if acts, _ := db.Activities(context.Background(), maya.ID); len(acts) != 1 || acts[0].State != vouch.ActivityBooked {
			t.Errorf("Maya's activities %+v", acts)
		}
		// The audit log names the advocate, not a user.
		entries, _, _ := db.ListAudit(context.Background(), vouch.AuditFilter{EntityType: "ask", EntityID: ask.ID, Action: "answer"})
		if len(entries) != 1 || entries[0].Actor != "advocate:"+maya.Email {
			t.Errorf("audit of the answer %+v", entries)
		}
		// Used: the page and the answer say so; nothing changes.
		if _, err := l.s.OpenLink(context.Background(), tok); !errors.Is(err, vouch.ErrLinkUsed) {
			t.Errorf("opening a used link: %v", err)
		}
		if _, err := l.s.Answer(context.Background(), tok, vouch.Answer{Action: vouch.AnswerOptOut}); !errors.Is(err, vouch.ErrLinkUsed) {
			t.Errorf("answering through a used link: %v", err)
		}
		if r, _ := db.Reference(context.Background(), maya.ID); r.Status != vouch.StatusActive {
			t.Errorf("a used opt-out link made Maya %s", r.Status)
		}
		// Nobody is asked twice for one opportunity.
		if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true); vouch.ErrorCode(err) != vouch.ECONFLICT ||
			!strings.Contains(err.Error(), "already asked for this opportunity") {
			t.Errorf("asking Maya again: %v", err)
		}
		// Nor anyone who is not active.
		dnc := l.ref(t, "Dan Donot", func(r *vouch.Reference) { r.Status, r.StatusReason = vouch.StatusDoNotContact, "asked us to stop" })
		if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, dnc.ID, true); vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "do not contact") {
			t.Errorf("asking a do-not-contact reference: %v", err)
		}

		// Expired: the page says so, and an answer changes nothing.
		req2 := l.request(t, "Fabrikam")
		eli := l.ref(t, "Eli Late", nil)
		ask2, err := l.s.Ask(l.ctx(l.pm), l.pm, req2.ID, eli.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		tok2 := token(t, l.mailsTo(t, eli.Email, 0)[0], "a")
		l.now = l.now.Add(fulfillment.AskTTL)
		if _, err := l.s.OpenLink(context.Background(), tok2); !errors.Is(err, vouch.ErrLinkExpired) {
			t.Errorf("opening an expired link: %v", err)
		}
		if _, err := l.s.Answer(context.Background(), tok2, vouch.Answer{Action: vouch.AnswerAccept}); !errors.Is(err, vouch.ErrLinkExpired) {
			t.Errorf("answering through an expired link: %v", err)
		}
		if got, _ := db.Ask(context.Background(), ask2.ID); got.State != vouch.AskPending {
			t.Errorf("an expired link changed the ask: %+v", got)
		}

		// Withdrawn by the team: the page says the request is no longer
		// open, not that the advocate answered.
		req3 := l.request(t, "Tailspin")
		wes := l.ref(t, "Wes Withdrawn", nil)
		ask3, err := l.s.Ask(l.ctx(l.pm), l.pm, req3.ID, wes.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		tok3 := token(t, l.mailsTo(t, wes.Email, 0)[0], "a")
		if _, err := l.s.Withdraw(l.ctx(l.pm), l.pm, ask3.ID, "found someone closer"); err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{
			func() error { _, err := l.s.OpenLink(context.Background(), tok3); return err }(),
			func() error {
				_, err := l.s.Answer(context.Background(), tok3, vouch.Answer{Action: vouch.AnswerAccept})
				return err
			}(),
		} {
			if vouch.ErrorCode(err) != vouch.ECONFLICT || strings.Contains(err.Error(), "answered") {
				t.Errorf("the link of a withdrawn ask: %v, want a conflict that does not say it was answered", err)
			}
		}
	})
}

func TestAcceptAfterTheSlotWasTaken(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		one := 1
		maya := l.ref(t, "Maya Okafor", func(r *vouch.Reference) { r.CapacityOverride = &one })
		var toks []string
		for _, p := range []string{"Contoso", "Fabrikam"} {
			req := l.request(t, p)
			if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range l.mailsTo(t, maya.Email, 0) {
			toks = append(toks, token(t, m, "a"))
		}
		if _, err := l.s.Answer(context.Background(), toks[0], vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.Answer(context.Background(), toks[1], vouch.Answer{Action: vouch.AnswerAccept}); !errors.Is(err, vouch.ErrNoLongerAvailable) {
			t.Errorf("the second accept: %v, want ErrNoLongerAvailable", err)
		}
		// Nothing changed: the advocate may still decline through the same link.
		if _, err := l.s.Answer(context.Background(), toks[1], vouch.Answer{Action: vouch.AnswerDecline}); err != nil {
			t.Errorf("declining after the refused accept: %v", err)
		}
		// Now full, she is no match for a third request.
		req := l.request(t, "Tailspin")
		if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true); vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "capacity") {
			t.Errorf("asking a reference at capacity: %v", err)
		}
	})
}

func TestApprovalByTheAccountOwner(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		if err := db.SetActivityTypeRule(l.ctx(l.pm), vouch.ActivityTypeRule{TypeID: l.call, Workflow: vouch.WorkflowProgramManaged,
			Approval: true, Points: 10}); err != nil {
			t.Fatal(err)
		}
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if ask.State != vouch.AskAwaitingApproval {
			t.Fatalf("ask is %s, want awaiting approval", ask.State)
		}
		if got, _ := db.Request(context.Background(), req.ID); got.State != vouch.RequestInProgress {
			t.Errorf("request is %s while the owner decides", got.State)
		}
		if n := len(l.mailsTo(t, maya.Email, 0)); n != 0 {
			t.Errorf("the advocate was mailed %d times before approval", n)
		}
		om := l.mailsTo(t, l.owner.Email, 0)
		if len(om) != 1 || !strings.Contains(om[0].Body, base+"/requests/") || linkRE.MatchString(om[0].Body) {
			t.Fatalf("mails to the owner %+v", om)
		}
		if !told(t, l, l.owner, "Approve asking Maya Okafor") {
			t.Error("the owner was not asked to approve")
		}
		// A seller who is not the owner cannot approve.
		if _, err := l.s.Approve(l.ctx(l.seller), l.seller, ask.ID, true, ""); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("seller approves: %v", err)
		}
		got, err := l.s.Approve(l.ctx(l.owner), l.owner, ask.ID, true, "go ahead")
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.AskPending || got.SentAt == nil {
			t.Errorf("approved ask %+v", got)
		}
		if r, _ := db.Request(context.Background(), req.ID); r.State != vouch.RequestAwaitingAdvocate {
			t.Errorf("after approval the request is %s", r.State)
		}
		am := l.mailsTo(t, maya.Email, 0)
		if len(am) != 1 {
			t.Fatalf("%d mails to the advocate after approval, want 1", len(am))
		}
		tok := token(t, am[0], "a")
		if _, err := l.s.OpenLink(context.Background(), tok); err != nil {
			t.Errorf("the approved ask's link: %v", err)
		}
		if !told(t, l, l.seller, "approved asking Maya Okafor") {
			t.Error("the seller was not told about the approval")
		}
		if _, err := l.s.Answer(context.Background(), tok, vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}

		// The owner asking for their own account needs nobody's approval.
		req2 := l.request(t, "Fabrikam")
		ivy := l.ref(t, "Ivy Direct", nil)
		a2, err := l.s.Ask(l.ctx(l.owner), l.owner, req2.ID, ivy.ID, true)
		if err != nil || a2.State != vouch.AskPending {
			t.Errorf("the owner's own ask: %+v %v", a2, err)
		}
	})
}

func TestCompleteAsksForFeedback(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		if err := db.SetActivityTypeRule(l.ctx(l.pm), vouch.ActivityTypeRule{TypeID: l.call, Workflow: vouch.WorkflowProgramManaged, Points: 30}); err != nil {
			t.Fatal(err)
		}
		maya := l.ref(t, "Maya Okafor", func(r *vouch.Reference) { r.TimeZone = "Europe/Berlin" })
		req := l.request(t, "Contoso")
		ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.Answer(context.Background(), token(t, l.mailsTo(t, maya.Email, 0)[0], "a"), vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}
		before := len(l.mails(t))
		at := vouch.DateOf(l.now).AddDays(3).Time().Add(14 * time.Hour)
		if _, err := l.s.Schedule(l.ctx(l.seller), l.seller, ask.ID, vouch.Schedule{At: at}); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("the seller schedules a program-managed request: %v", err)
		}
		if _, err := l.s.Schedule(l.ctx(l.pm), l.pm, ask.ID, vouch.Schedule{At: at, DurationMinutes: 45, MeetingURL: "https://meet.example.com/c"}); err != nil {
			t.Fatal(err)
		}
		sched := l.mails(t)[before:]
		if len(sched) != 2 || sched[0].ICS == "" || sched[1].ICS == "" {
			t.Fatalf("scheduling mails %+v, want two with an invitation", sched)
		}
		berlin, err := time.LoadLocation("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		if am := l.mailsTo(t, maya.Email, before); len(am) != 1 || !strings.Contains(am[0].Body, at.In(berlin).Format("15:04 MST")) {
			t.Errorf("the advocate's invitation does not give her local time:\n%+v", am)
		}
		if r, _ := db.Request(context.Background(), req.ID); r.State != vouch.RequestScheduled {
			t.Errorf("after scheduling the request is %s", r.State)
		}

		l.now = at.Add(2 * time.Hour)
		before = len(l.mails(t))
		done, err := l.s.Complete(l.ctx(l.pm), l.pm, ask.ID, vouch.OutcomeCompleted, vouch.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if done.State != vouch.AskCompleted {
			t.Errorf("completed ask %+v", done)
		}
		if r, _ := db.Request(context.Background(), req.ID); r.State != vouch.RequestCompleted {
			t.Errorf("after completion the request is %s", r.State)
		}
		if acts, _ := db.Activities(context.Background(), maya.ID); len(acts) != 1 || acts[0].State != vouch.ActivityDone ||
			acts[0].Points != 30 || acts[0].OccurredOn != vouch.DateOf(at) {
			t.Errorf("Maya's activities %+v", acts)
		}
		fm := l.mails(t)[before:]
		if len(fm) != 2 {
			t.Fatalf("%d mails after completion, want 2 feedback requests", len(fm))
		}
		sm, am := l.mailsTo(t, l.seller.Email, before), l.mailsTo(t, maya.Email, before)
		if len(sm) != 1 || len(am) != 1 {
			t.Fatalf("feedback mails to the seller %d, to the advocate %d", len(sm), len(am))
		}
		sellerTok, advocateTok := token(t, sm[0], "f"), token(t, am[0], "f")
		if sellerTok == advocateTok {
			t.Fatal("seller and advocate got the same link")
		}
		sv, err := l.s.OpenLink(context.Background(), sellerTok)
		if err != nil || sv.Purpose != vouch.LinkSellerFeedback {
			t.Fatalf("seller's feedback link: %+v %v", sv, err)
		}
		av, err := l.s.OpenLink(context.Background(), advocateTok)
		if err != nil || av.Purpose != vouch.LinkAdvocateFeedback {
			t.Fatalf("advocate's feedback link: %+v %v", av, err)
		}
		// A feedback link answers no ask.
		if _, err := l.s.Answer(context.Background(), sellerTok, vouch.Answer{Action: vouch.AnswerAccept}); !errors.Is(err, fulfillment.ErrBadLink) {
			t.Errorf("answering through a feedback link: %v", err)
		}
		// The link decides whose feedback it is, whatever the form says.
		yes := true
		if err := l.s.Feedback(context.Background(), sellerTok, &vouch.Feedback{Source: vouch.FeedbackAdvocate, Rating: 5, Influenced: &yes,
			Impact: "accelerated", Comment: "They signed."}); err != nil {
			t.Fatal(err)
		}
		if err := l.s.Feedback(context.Background(), advocateTok, &vouch.Feedback{Rating: 4, ThankYou: "gift"}); err != nil {
			t.Fatal(err)
		}
		fb, err := db.Feedback(context.Background(), req.ID)
		if err != nil || len(fb) != 2 || fb[0].Source != vouch.FeedbackSeller || fb[0].Rating != 5 || fb[1].Source != vouch.FeedbackAdvocate ||
			fb[1].ThankYou != "gift" {
			t.Errorf("feedback %+v %v", fb, err)
		}
		for _, tok := range []string{sellerTok, advocateTok} {
			if err := l.s.Feedback(context.Background(), tok, &vouch.Feedback{Rating: 1, Influenced: &yes}); !errors.Is(err, vouch.ErrLinkUsed) {
				t.Errorf("feedback twice through one link: %v", err)
			}
		}
		// Feedback links expire.
		req2 := l.request(t, "Fabrikam")
		ivy := l.ref(t, "Ivy Other", nil)
		a2, err := l.s.Ask(l.ctx(l.pm), l.pm, req2.ID, ivy.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.Answer(context.Background(), token(t, l.mailsTo(t, ivy.Email, 0)[0], "a"), vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}
		before = len(l.mails(t))
		if _, err := l.s.Complete(l.ctx(l.pm), l.pm, a2.ID, vouch.OutcomeCompleted, vouch.DateOf(l.now)); err != nil {
			t.Fatal(err)
		}
		late := token(t, l.mailsTo(t, ivy.Email, before)[0], "f")
		l.now = l.now.Add(fulfillment.FeedbackTTL)
		if err := l.s.Feedback(context.Background(), late, &vouch.Feedback{Rating: 3}); !errors.Is(err, vouch.ErrLinkExpired) {
			t.Errorf("feedback through an expired link: %v", err)
		}
	})
}

func TestNoShowAsksForNoFeedback(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.Answer(context.Background(), token(t, l.mailsTo(t, maya.Email, 0)[0], "a"), vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}
		before := len(l.mails(t))
		got, err := l.s.Complete(l.ctx(l.pm), l.pm, ask.ID, vouch.OutcomeNoShow, vouch.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != vouch.OutcomeNoShow || len(l.mails(t)) != before {
			t.Errorf("no-show: ask %+v, %d new mails", got, len(l.mails(t))-before)
		}
		if r, _ := db.Request(context.Background(), req.ID); r.State != vouch.RequestInProgress {
			t.Errorf("after a no-show the request is %s", r.State)
		}
	})
}

func TestRemindThenExpire(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		sent := l.now
		first := token(t, l.mailsTo(t, maya.Email, 0)[0], "a")

		remind := func() []vouch.OutboxMail {
			t.Helper()
			n := len(l.mails(t))
			if err := l.s.Remind(ctx); err != nil {
				t.Fatal(err)
			}
			return l.mailsTo(t, maya.Email, n)
		}
		l.now = sent.Add(fulfillment.RemindAfter - time.Minute)
		if got := remind(); len(got) != 0 {
			t.Errorf("reminded before RemindAfter: %+v", got)
		}
		var toks []string
		for i := 1; i <= fulfillment.MaxReminders; i++ {
			l.now = l.now.Add(fulfillment.RemindAfter + time.Minute)
			got := remind()
			if len(got) != 1 || !strings.HasPrefix(got[0].Subject, "Reminder: ") {
				t.Fatalf("reminder %d: %+v", i, got)
			}
			tok := token(t, got[0], "a")
			if _, err := l.s.OpenLink(ctx, tok); err != nil {
				t.Errorf("reminder %d's link: %v", i, err)
			}
			// The link the mail promises holds until the day it names.
			if m := regexp.MustCompile(`expires on (\d+ \w+ \d{4})`).FindStringSubmatch(got[0].Body); m == nil {
				t.Errorf("reminder %d does not say when its link expires:\n%s", i, got[0].Body)
			} else if day, err := time.Parse("2 January 2006", m[1]); err != nil || day.After(sent.Add(fulfillment.AskTTL)) {
				t.Errorf("reminder %d says its link expires on %s, but the ask expires on %s", i, m[1], sent.Add(fulfillment.AskTTL).Format("2 January 2006"))
			}
			toks = append(toks, tok)
			if got := remind(); len(got) != 0 {
				t.Errorf("reminded twice in a row")
			}
		}
		if toks[0] == first || toks[0] == toks[1] {
			t.Error("a reminder re-used a link")
		}
		if a, _ := db.Ask(ctx, ask.ID); a.Reminders != fulfillment.MaxReminders || a.State != vouch.AskPending {
			t.Errorf("after the reminders the ask is %+v", a)
		}
		l.now = l.now.Add(fulfillment.RemindAfter)
		if got := remind(); len(got) != 0 {
			t.Errorf("more than %d reminders", fulfillment.MaxReminders)
		}
		// Every link still opens the page until the ask expires.
		for _, tok := range append([]string{first}, toks...) {
			if _, err := l.s.OpenLink(ctx, tok); err != nil {
				t.Errorf("a link before the ask expired: %v", err)
			}
		}

		// AskTTL after it was sent, the ask expires and the request goes back to picking.
		l.now = sent.Add(fulfillment.AskTTL + time.Minute)
		if got := remind(); len(got) != 0 {
			t.Errorf("an expiring ask got a reminder: %+v", got)
		}
		if a, _ := db.Ask(ctx, ask.ID); a.State != vouch.AskExpired {
			t.Errorf("after AskTTL the ask is %s", a.State)
		}
		if r, _ := db.Request(ctx, req.ID); r.State != vouch.RequestInProgress {
			t.Errorf("after the ask expired the request is %s", r.State)
		}
		for _, tok := range append([]string{first}, toks...) {
			if _, err := l.s.Answer(ctx, tok, vouch.Answer{Action: vouch.AnswerAccept}); err == nil {
				t.Error("an expired ask was accepted")
			}
		}
		if acts, _ := db.Activities(ctx, maya.ID); len(acts) != 0 {
			t.Errorf("Maya has %d activities", len(acts))
		}
	})
}

// A request refused by the database (an unknown activity type or criterion)
// leaves no opportunity behind when it came with a new one.
func TestRefusedRequestLeavesNoOpportunity(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		cases := []struct {
			name  string
			r     vouch.Request
			field string
		}{
			{"a region as industry", vouch.Request{ActivityTypeID: l.call, DueDate: vouch.DateOf(l.now).AddDays(5),
				Criteria: vouch.Criteria{IndustryID: l.value(t, vouch.TaxRegion, "EMEA")}}, "industry"},
			{"an industry as activity type", vouch.Request{ActivityTypeID: l.value(t, vouch.TaxIndustry, "Healthcare"),
				DueDate: vouch.DateOf(l.now).AddDays(5)}, "activity_type"},
			{"due yesterday", vouch.Request{ActivityTypeID: l.call, DueDate: vouch.DateOf(l.now).AddDays(-1)}, "due_date"},
		}
		for _, c := range cases {
			opp := &vouch.Opportunity{Name: "Contoso platform deal", Prospect: "Contoso"}
			err := l.s.CreateRequest(l.ctx(l.seller), l.seller, &c.r, opp)
			if vouch.ErrorFields(err)[c.field] == "" {
				t.Errorf("%s: %v, want a %s field error", c.name, err, c.field)
			}
		}
		// A bad opportunity is refused as well, and creates no request.
		r := vouch.Request{ActivityTypeID: l.call, DueDate: vouch.DateOf(l.now).AddDays(5)}
		if err := l.s.CreateRequest(l.ctx(l.seller), l.seller, &r, &vouch.Opportunity{Name: "Deal", Currency: "dollars"}); vouch.ErrorFields(err)["opportunity.currency"] == "" {
			t.Errorf("request with a bad opportunity: %v", err)
		}
		if _, n, _ := db.ListOpportunities(context.Background(), vouch.OpportunityFilter{}); n != 0 {
			t.Errorf("refused requests left %d opportunities", n)
		}
		if _, n, _ := db.ListRequests(context.Background(), vouch.RequestFilter{}); n != 0 {
			t.Errorf("refused requests left %d requests", n)
		}
		// Fixed, it is stored with its opportunity, owned by the seller.
		r = vouch.Request{ActivityTypeID: l.call, DueDate: vouch.DateOf(l.now).AddDays(5)}
		opp := &vouch.Opportunity{Name: "Contoso platform deal", Prospect: "Contoso"}
		if err := l.s.CreateRequest(l.ctx(l.seller), l.seller, &r, opp); err != nil {
			t.Fatal(err)
		}
		got, err := db.Opportunity(context.Background(), r.OpportunityID)
		if err != nil || got.ID != opp.ID || got.OwnerID != l.seller.ID || got.Prospect != "Contoso" {
			t.Errorf("the request's opportunity %+v %v", got, err)
		}
	})
}

// An advocate who opts out (or pauses) through one ask's link gets no
// reminders about their other asks.
func TestNoRemindersAfterOptingOut(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		otto := l.ref(t, "Otto Optout", nil)
		paula := l.ref(t, "Paula Pause", nil)
		for _, p := range []string{"Contoso", "Fabrikam"} {
			req := l.request(t, p)
			for _, r := range []*vouch.Reference{otto, paula} {
				if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, r.ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		sent := l.now
		if _, err := l.s.Answer(ctx, token(t, l.mailsTo(t, otto.Email, 0)[0], "a"), vouch.Answer{Action: vouch.AnswerOptOut}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.Answer(ctx, token(t, l.mailsTo(t, paula.Email, 0)[0], "a"),
			vouch.Answer{Action: vouch.AnswerPause, NotBefore: vouch.DateOf(l.now).AddDays(60)}); err != nil {
			t.Fatal(err)
		}
		n := len(l.mails(t))
		l.now = sent.Add(fulfillment.RemindAfter + time.Hour)
		if err := l.s.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		for _, r := range []*vouch.Reference{otto, paula} {
			if got := l.mailsTo(t, r.Email, n); len(got) != 0 {
				t.Errorf("%s, no longer to be contacted, was reminded: %q", r.Name, got[0].Subject)
			}
		}
	})
}

func TestSelfServeAndManualStates(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		if err := db.SetActivityTypeRule(l.ctx(l.pm), vouch.ActivityTypeRule{TypeID: l.call, Workflow: vouch.WorkflowSelfServe, Points: 10}); err != nil {
			t.Fatal(err)
		}
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		if req.Workflow != vouch.WorkflowSelfServe {
			t.Fatalf("request workflow %s", req.Workflow)
		}
		res, err := l.s.Matches(ctx, req, 0, 10)
		if err != nil || len(res.Items) != 1 || res.Items[0].Reference.ID != maya.ID {
			t.Fatalf("matches %+v %v", res.Items, err)
		}
		// Self-serve: the seller picks; another seller may not.
		other := l.user(t, "otto@example.com", vouch.RoleSeller)
		if _, err := l.s.Ask(l.ctx(other), other, req.ID, maya.ID, true); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("another seller picks: %v", err)
		}
		ask, err := l.s.Ask(l.ctx(l.seller), l.seller, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if res, _ := l.s.Matches(ctx, req, 0, 10); len(res.Items) != 0 {
			t.Errorf("a reference asked for the opportunity is still a match: %+v", res.Items)
		}
		if _, err := l.s.Answer(ctx, token(t, l.mailsTo(t, maya.Email, 0)[0], "a"), vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}

		// The seller may cancel their own request, nothing else; the team may.
		if _, err := l.s.ChangeState(l.ctx(l.seller), l.seller, req.ID, 0, vouch.RequestChange{To: vouch.RequestUnfulfilled, Reason: "x"}); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("the seller marks their request unfulfilled: %v", err)
		}
		if _, err := l.s.ChangeState(l.ctx(other), other, req.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "x"}); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("another seller cancels the request: %v", err)
		}
		n := len(l.mails(t))
		r, err := l.s.ChangeState(l.ctx(l.pm), l.pm, req.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "deal lost"})
		if err != nil {
			t.Fatal(err)
		}
		if r.State != vouch.RequestCancelled {
			t.Errorf("request is %s", r.State)
		}
		if sm := l.mailsTo(t, l.seller.Email, n); len(sm) != 1 || !strings.Contains(sm[0].Body, "deal lost") {
			t.Errorf("the seller's mail about the cancellation: %+v", sm)
		}
		if a, _ := db.Ask(ctx, ask.ID); a.State != vouch.AskWithdrawn {
			t.Errorf("after cancelling the ask is %s", a.State)
		}
		if acts, _ := db.Activities(ctx, maya.ID); len(acts) != 0 {
			t.Errorf("the cancelled request keeps Maya booked: %+v", acts)
		}
		// Freed, Maya matches another request.
		req2 := l.request(t, "Fabrikam")
		if res, _ := l.s.Matches(ctx, req2, 0, 10); len(res.Items) != 1 {
			t.Errorf("after the cancellation Maya is no match: %+v", res)
		}
		if _, err := l.s.ChangeState(l.ctx(l.seller), l.seller, req2.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "went with a competitor"}); err != nil {
			t.Errorf("the seller cancels their own request: %v", err)
		}
	})
}

// The seller's calendar invitation lists the advocate's address only when
// the program lets sellers see it (seller_contact); the advocate's own
// invitation always names both.
func TestSellersInvitationFollowsTheContactSetting(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		for _, tc := range []struct {
			setting vouch.ContactSight
			sees    bool
		}{{vouch.ContactNever, false}, {vouch.ContactOnceAccepted, true}} {
			ps, err := db.ProgramSettings(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			ps.SellerContact = tc.setting
			if err := db.SetProgramSettings(l.ctx(l.pm), ps); err != nil {
				t.Fatal(err)
			}
			name := "Ana " + strings.ToUpper(string(tc.setting[:1])) + string(tc.setting[1:3])
			ana := l.ref(t, name, func(r *vouch.Reference) { r.Email = string(tc.setting) + "@customer.example" })
			req := l.request(t, "Contoso")
			ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, ana.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := l.s.Answer(context.Background(), token(t, l.mailsTo(t, ana.Email, 0)[0], "a"), vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
				t.Fatal(err)
			}
			before := len(l.mails(t))
			if _, err := l.s.Schedule(l.ctx(l.pm), l.pm, ask.ID, vouch.Schedule{At: l.now.Add(72 * time.Hour), DurationMinutes: 30}); err != nil {
				t.Fatal(err)
			}
			attendee := "mailto:" + ana.Email
			if m := l.mailsTo(t, ana.Email, before); len(m) != 1 || !strings.Contains(m[0].ICS, attendee) {
				t.Errorf("%s: the advocate's invitation does not list her: %+v", tc.setting, m)
			}
			m := l.mailsTo(t, l.seller.Email, before)
			if len(m) != 1 || strings.Contains(m[0].ICS, attendee) != tc.sees {
				t.Errorf("%s: the seller's invitation lists the advocate's address = %v, want %v:\n%+v", tc.setting, !tc.sees, tc.sees, m)
			}
		}
	})
}
