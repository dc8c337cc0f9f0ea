package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

const rqDay = 24 * time.Hour

func (f *rqFixture) logActivity(t *testing.T, refID int64, on vouch.Date) {
	t.Helper()
	if err := f.db.LogActivity(ctx, &vouch.Activity{ReferenceID: refID, TypeID: f.call, OccurredOn: on}); err != nil {
		t.Fatal(err)
	}
}

func (f *rqFixture) linkUsed(t *testing.T, hash string) bool {
	t.Helper()
	l, err := f.db.LinkByHash(ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	return l.UsedAt != nil
}

func rqAccept(t *testing.T, f *rqFixture, hash string) *vouch.Ask {
	t.Helper()
	a, err := f.db.AnswerAsk(ctx, hash, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{})
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	return a
}

func TestAcceptBooksTheFirstFreeDay(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		one := 1
		ref := f.ref(t, "Maya Okafor", func(r *vouch.Reference) { r.CapacityOverride = &one })
		today := f.today()
		// A call 80 days ago fills every window up to today+9.
		f.logActivity(t, ref.ID, today.AddDays(-80))

		// Due in 5 days: no free day before then. Nothing changes.
		soon := f.request(t, nil, func(r *vouch.Request) { r.DueDate = today.AddDays(5) })
		soonAsk, soonLink := f.ask(t, soon, ref)
		_, err := db.AnswerAsk(ctx, soonLink, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{})
		if !errors.Is(err, vouch.ErrNoLongerAvailable) {
			t.Errorf("accepting with no free day before the due date: %v, want vouch.ErrNoLongerAvailable", err)
		}
		if got := f.mustAsk(t, soonAsk.ID); got.State != vouch.AskPending || got.AnsweredAt != nil || got.Version != 1 {
			t.Errorf("after a refused accept the ask is %+v", got)
		}
		if f.linkUsed(t, soonLink) {
			t.Error("a refused accept used up the link")
		}
		if n := len(f.activities(t, ref.ID)); n != 1 {
			t.Errorf("%d activities after a refused accept, want 1", n)
		}

		// Due in 30 days: booked on the first free day, today+10.
		opp := f.opportunity(t)
		req := f.request(t, opp, nil)
		a, link := f.ask(t, req, ref)
		f.advance(time.Minute)
		got := rqAccept(t, f, link)
		if got.State != vouch.AskAccepted || got.ActivityID == 0 || got.AnsweredAt == nil || !got.AnsweredAt.Equal(f.now) {
			t.Errorf("accepted ask %+v", got)
		}
		if read := f.mustAsk(t, a.ID); read.State != vouch.AskAccepted || read.ActivityID != got.ActivityID || read.Version != 2 {
			t.Errorf("accepted ask read back %+v", read)
		}
		acts := f.activities(t, ref.ID)
		if len(acts) != 2 {
			t.Fatalf("%d activities after accepting, want 2", len(acts))
		}
		booked := acts[0] // newest first
		if booked.ID != got.ActivityID || booked.State != vouch.ActivityBooked || booked.OccurredOn != today.AddDays(10) ||
			booked.RequestID != req.ID || booked.OpportunityID != opp.ID || booked.TypeID != f.call {
			t.Errorf("booked activity %+v, want booked on %s for request %d", booked, today.AddDays(10), req.ID)
		}
		if len(f.audit(t, "activity", booked.ID)) != 1 {
			t.Error("the booking is not audited")
		}
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)
		if !rqHasEvent(f.events(t, req.ID), vouch.EventAnswer, "Advocate accepted") {
			t.Error("the timeline lacks the answer")
		}

		// The next booking counts the first: 90 days after today+10.
		later := f.request(t, nil, func(r *vouch.Request) { r.DueDate = today.AddDays(200) })
		_, laterLink := f.ask(t, later, ref)
		rqAccept(t, f, laterLink)
		if acts := f.activities(t, ref.ID); len(acts) != 3 || acts[0].OccurredOn != today.AddDays(100) {
			t.Errorf("second booking on %s, want %s", acts[0].OccurredOn, today.AddDays(100))
		}
	})
}

func TestDeclinePauseOptOut(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		req := f.request(t, nil, nil)
		dora := f.ref(t, "Dora Decline", nil)
		paul := f.ref(t, "Paul Pause", nil)
		otto := f.ref(t, "Otto Optout", nil)
		doraAsk, doraLink := f.ask(t, req, dora)
		paulAsk, paulLink := f.ask(t, req, paul)
		ottoAsk, ottoLink := f.ask(t, req, otto)

		// No known action: nothing changes.
		if _, err := db.AnswerAsk(ctx, doraLink, vouch.Answer{Action: "maybe"}, vouch.Outgoing{}); vouch.ErrorFields(err)["action"] == "" {
			t.Errorf("answer 'maybe': %v", err)
		}
		if f.linkUsed(t, doraLink) {
			t.Error("an invalid answer used up the link")
		}
		out := vouch.Outgoing{Notifications: []vouch.Notification{{UserID: f.seller.ID, Body: "Dora declined"}}}
		a, err := db.AnswerAsk(ctx, doraLink, vouch.Answer{Action: vouch.AnswerDecline, Note: " Too busy this quarter "}, out)
		if err != nil {
			t.Fatal(err)
		}
		if a.State != vouch.AskDeclined || a.AnswerNote != "Too busy this quarter" {
			t.Errorf("declined ask %+v", a)
		}
		rqWantAskState(t, f, doraAsk.ID, vouch.AskDeclined)
		// Others are still asked: the request waits.
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)
		if !rqHasEvent(f.events(t, req.ID), vouch.EventAnswer, "Advocate declined; note: Too busy this quarter") {
			t.Errorf("timeline lacks the decline: %+v", f.events(t, req.ID))
		}
		if _, n, _ := db.Notifications(ctx, f.seller.ID, 10); n != 1 {
			t.Errorf("the seller has %d notifications, want 1", n)
		}
		if got, _ := db.Reference(ctx, dora.ID); got.Status != vouch.StatusActive {
			t.Errorf("declining changed Dora's status to %s", got.Status)
		}

		// Pausing needs a day after today; a bad one changes nothing.
		for _, nb := range []vouch.Date{{}, f.today()} {
			_, err := db.AnswerAsk(ctx, paulLink, vouch.Answer{Action: vouch.AnswerPause, NotBefore: nb}, vouch.Outgoing{})
			if vouch.ErrorFields(err)["not_before"] == "" {
				t.Errorf("pause until %q: %v, want a not_before error", nb, err)
			}
		}
		if f.linkUsed(t, paulLink) || f.mustAsk(t, paulAsk.ID).State != vouch.AskPending {
			t.Error("a refused pause changed the ask or used the link")
		}
		until := f.today().AddDays(40)
		if _, err := db.AnswerAsk(ctx, paulLink, vouch.Answer{Action: vouch.AnswerPause, NotBefore: until}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantAskState(t, f, paulAsk.ID, vouch.AskDeclined)
		got, _ := db.Reference(ctx, paul.ID)
		if got.Status != vouch.StatusResting || got.RestingUntil != until {
			t.Errorf("after pausing Paul is %s until %s, want resting until %s", got.Status, got.RestingUntil, until)
		}
		hist, _ := db.StatusHistory(ctx, paul.ID)
		if last := hist[len(hist)-1]; last.To != vouch.StatusResting || !strings.Contains(last.Reason, until.String()) {
			t.Errorf("Paul's last status event %+v", last)
		}
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)

		// Opting out: do not contact. The last open ask answered, the request is back to picking.
		if _, err := db.AnswerAsk(ctx, ottoLink, vouch.Answer{Action: vouch.AnswerOptOut}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantAskState(t, f, ottoAsk.ID, vouch.AskDeclined)
		if got, _ := db.Reference(ctx, otto.ID); got.Status != vouch.StatusDoNotContact || got.StatusReason == "" {
			t.Errorf("after opting out Otto is %s (%q)", got.Status, got.StatusReason)
		}
		rqWantState(t, f, req.ID, vouch.RequestInProgress)
		// And neither can be asked again elsewhere.
		other := f.request(t, nil, nil)
		for _, r := range []*vouch.Reference{paul, otto} {
			err := db.CreateAsk(ctx, &vouch.Ask{RequestID: other.ID, ReferenceID: r.ID, State: vouch.AskPending}, f.link(vouch.LinkAnswer), vouch.Outgoing{})
			if vouch.ErrorCode(err) != vouch.ECONFLICT {
				t.Errorf("asking %s after the answer: %v", r.Name, err)
			}
		}
	})
}

func TestAnswerLinks(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		ref := f.ref(t, "Lena Link", nil)
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, ref)

		// Unknown, or for another purpose: not valid.
		if _, err := db.AnswerAsk(ctx, "no-such-hash", vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("unknown link: %v", err)
		}
		yes := true
		err := db.SaveFeedback(ctx, link, &vouch.Feedback{Source: vouch.FeedbackSeller, Rating: 5, Influenced: &yes}, vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("answer link used for feedback: %v", err)
		}

		rqAccept(t, f, link)
		before := f.mustAsk(t, a.ID)
		// Used once: a second use says so and changes nothing, whatever it answers.
		for _, ans := range []vouch.Answer{{Action: vouch.AnswerAccept}, {Action: vouch.AnswerDecline}, {Action: vouch.AnswerOptOut}} {
			_, err := db.AnswerAsk(ctx, link, ans, vouch.Outgoing{Mails: []vouch.Mail{{To: "x@example.com", Subject: "again"}}})
			if !errors.Is(err, vouch.ErrLinkUsed) {
				t.Errorf("second use (%s): %v, want vouch.ErrLinkUsed", ans.Action, err)
			}
		}
		after := f.mustAsk(t, a.ID)
		if after.State != vouch.AskAccepted || after.Version != before.Version {
			t.Errorf("a reused link changed the ask: %+v", after)
		}
		if n := len(f.activities(t, ref.ID)); n != 1 {
			t.Errorf("%d activities after reusing the link, want 1", n)
		}
		if got, _ := db.Reference(ctx, ref.ID); got.Status != vouch.StatusActive {
			t.Errorf("a reused opt-out link made the reference %s", got.Status)
		}
		if _, n, _ := db.ListOutbox(ctx, vouch.OutboxFilter{}); n != 0 {
			t.Errorf("a reused link queued %d mails", n)
		}

		// Expired: refused, nothing changes.
		req2 := f.request(t, nil, nil)
		a2, link2 := f.ask(t, req2, f.ref(t, "Eli Expired", nil))
		f.advance(14 * rqDay)
		_, err = db.AnswerAsk(ctx, link2, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{})
		if !errors.Is(err, vouch.ErrLinkExpired) {
			t.Errorf("link at its expiry: %v, want vouch.ErrLinkExpired", err)
		}
		if got := f.mustAsk(t, a2.ID); got.State != vouch.AskPending || got.Version != 1 {
			t.Errorf("an expired link changed the ask: %+v", got)
		}
		if f.linkUsed(t, link2) {
			t.Error("an expired link was marked used")
		}
		f.advance(-time.Second)
		rqAccept(t, f, link2) // a second before it expires it works
	})
}

func TestScheduleCompleteFeedback(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		if err := db.SetActivityTypeRule(ctx, vouch.ActivityTypeRule{TypeID: f.call, Workflow: vouch.WorkflowProgramManaged, Points: 25}); err != nil {
			t.Fatal(err)
		}
		ref := f.ref(t, "Sana Schedule", nil)
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, ref)
		// Only an accepted ask can be scheduled or completed.
		if _, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: f.now.Add(rqDay)}, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("scheduling a pending ask: %v", err)
		}
		if _, err := db.CompleteAsk(ctx, a.ID, vouch.OutcomeCompleted, vouch.Date{}, nil, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("completing a pending ask: %v", err)
		}
		accepted := rqAccept(t, f, link)
		if _, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{}, vouch.Outgoing{}); vouch.ErrorFields(err)["scheduled_at"] == "" {
			t.Errorf("scheduling without a time: %v", err)
		}

		at := f.today().AddDays(5).Time().Add(15 * time.Hour)
		s, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: at, DurationMinutes: 45, MeetingURL: "https://meet.example.com/x"},
			vouch.Outgoing{Mails: []vouch.Mail{{To: ref.Email, Subject: "Scheduled", ICS: "BEGIN:VCALENDAR"}}})
		if err != nil {
			t.Fatal(err)
		}
		if s.State != vouch.AskScheduled || !s.ScheduledAt.Equal(at) || s.DurationMinutes != 45 {
			t.Errorf("scheduled ask %+v", s)
		}
		rqWantState(t, f, req.ID, vouch.RequestScheduled)
		acts := f.activities(t, ref.ID)
		if len(acts) != 1 || acts[0].ID != accepted.ActivityID || acts[0].OccurredOn != f.today().AddDays(5) || acts[0].State != vouch.ActivityBooked {
			t.Errorf("after scheduling the activity is %+v, want booked on %s", acts, f.today().AddDays(5))
		}
		if mails, _, _ := db.ListOutbox(ctx, vouch.OutboxFilter{}); len(mails) != 1 || mails[0].ICS == "" || mails[0].RequestID != req.ID {
			t.Errorf("outbox after scheduling %+v", mails)
		}
		// Rescheduled: the activity moves again.
		at = at.Add(rqDay)
		if _, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: at}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if acts := f.activities(t, ref.ID); acts[0].OccurredOn != f.today().AddDays(6) {
			t.Errorf("after rescheduling the activity is on %s", acts[0].OccurredOn)
		}
		if !rqHasEvent(f.events(t, req.ID), vouch.EventSchedule, "Rescheduled") {
			t.Error("the timeline lacks the rescheduling")
		}

		// Not in the future.
		if _, err := db.CompleteAsk(ctx, a.ID, vouch.OutcomeCompleted, f.today().AddDays(1), nil, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("completing tomorrow: %v", err)
		}
		if _, err := db.CompleteAsk(ctx, a.ID, "great", vouch.Date{}, nil, vouch.Outgoing{}); vouch.ErrorFields(err)["outcome"] == "" {
			t.Errorf("unknown outcome: %v", err)
		}
		// After the call: done on the scheduled day, with the type's points.
		f.advance(7 * rqDay)
		sellerLink, advocateLink := f.link(vouch.LinkSellerFeedback), f.link(vouch.LinkAdvocateFeedback)
		c, err := db.CompleteAsk(ctx, a.ID, vouch.OutcomeCompleted, vouch.Date{}, []vouch.NewLink{sellerLink, advocateLink}, vouch.Outgoing{})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != vouch.AskCompleted || c.Outcome != vouch.OutcomeCompleted {
			t.Errorf("completed ask %+v", c)
		}
		acts = f.activities(t, ref.ID)
		if len(acts) != 1 || acts[0].State != vouch.ActivityDone || acts[0].Points != 25 || acts[0].OccurredOn != vouch.DateOf(at) {
			t.Errorf("after completion the activity is %+v, want done on %s with 25 points", acts, vouch.DateOf(at))
		}
		got := f.mustRequest(t, req.ID)
		if got.State != vouch.RequestCompleted || got.ClosedAt == nil {
			t.Errorf("after completion the request is %s (closed %v)", got.State, got.ClosedAt)
		}
		if _, err := db.CompleteAsk(ctx, a.ID, vouch.OutcomeCompleted, vouch.Date{}, nil, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("completing twice: %v", err)
		}

		// Feedback: once per source, through the link of that source.
		yes := true
		err = db.SaveFeedback(ctx, sellerLink.NonceHash, &vouch.Feedback{Source: vouch.FeedbackAdvocate, Rating: 2}, vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("the seller's link used for advocate feedback: %v", err)
		}
		err = db.SaveFeedback(ctx, sellerLink.NonceHash, &vouch.Feedback{Source: vouch.FeedbackSeller, Rating: 9}, vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.EINVALID || f.linkUsed(t, sellerLink.NonceHash) {
			t.Errorf("invalid feedback: %v (link used: %v)", err, f.linkUsed(t, sellerLink.NonceHash))
		}
		sf := &vouch.Feedback{Source: vouch.FeedbackSeller, Rating: 5, Influenced: &yes, Impact: "accelerated", Comment: "Closed it."}
		if err := db.SaveFeedback(ctx, sellerLink.NonceHash, sf, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if sf.AskID != a.ID || sf.ID == 0 {
			t.Errorf("saved feedback %+v", sf)
		}
		err = db.SaveFeedback(ctx, sellerLink.NonceHash, &vouch.Feedback{Source: vouch.FeedbackSeller, Rating: 1, Influenced: &yes}, vouch.Outgoing{})
		if !errors.Is(err, vouch.ErrLinkUsed) {
			t.Errorf("seller link twice: %v", err)
		}
		err = db.SaveSellerFeedback(ctx, a.ID, &vouch.Feedback{Rating: 1, Influenced: &yes}, vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "already given") {
			t.Errorf("second seller feedback while signed in: %v", err)
		}
		af := &vouch.Feedback{Source: vouch.FeedbackAdvocate, Rating: 4, ThankYou: "donation"}
		if err := db.SaveFeedback(ctx, advocateLink.NonceHash, af, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		fb, err := db.Feedback(ctx, req.ID)
		if err != nil || len(fb) != 2 || fb[0].Source != vouch.FeedbackSeller || fb[0].Influenced == nil || !*fb[0].Influenced ||
			fb[0].Impact != "accelerated" || fb[1].Source != vouch.FeedbackAdvocate || fb[1].Influenced != nil || fb[1].Rating != 4 {
			t.Errorf("feedback %+v %v", fb, err)
		}
		if !rqHasEvent(f.events(t, req.ID), vouch.EventFeedback, "Seller feedback: 5/5, influenced the deal — Closed it.") {
			t.Errorf("timeline lacks the seller's feedback: %+v", f.events(t, req.ID))
		}
		acts = f.activities(t, ref.ID)
		if acts[0].ThankYou != "donation" || !acts[0].ThankYouSentOn.IsZero() {
			t.Errorf("thank-you on the activity %+v", acts[0])
		}
		if err := db.MarkThankYouSent(ctx, acts[0].ID, "", f.today()); err != nil {
			t.Fatal(err)
		}
		if acts := f.activities(t, ref.ID); acts[0].ThankYou != "donation" || acts[0].ThankYouSentOn != f.today() {
			t.Errorf("after thanking: %+v", acts[0])
		}
		if err := db.MarkThankYouSent(ctx, acts[0].ID, "cash", f.today()); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("unknown thank-you: %v", err)
		}
	})
}

func TestNoShowReleasesTheBooking(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		one := 1
		ref := f.ref(t, "Nora Noshow", func(r *vouch.Reference) { r.CapacityOverride = &one })
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, ref)
		rqAccept(t, f, link)
		if _, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: f.now.Add(2 * rqDay)}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		f.advance(3 * rqDay)
		got, err := db.CompleteAsk(ctx, a.ID, vouch.OutcomeNoShow, vouch.Date{}, nil, vouch.Outgoing{})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.AskWithdrawn || got.Outcome != vouch.OutcomeNoShow || got.ActivityID != 0 {
			t.Errorf("after a no-show the ask is %+v", got)
		}
		if acts := f.activities(t, ref.ID); len(acts) != 0 {
			t.Errorf("after a no-show %d activities remain", len(acts))
		}
		rqWantState(t, f, req.ID, vouch.RequestInProgress)
		if !rqHasEvent(f.events(t, req.ID), vouch.EventComplete, "No-show") {
			t.Error("the timeline lacks the no-show")
		}
		// Her slot is free again.
		_, l := f.ask(t, f.request(t, nil, nil), ref)
		rqAccept(t, f, l)
	})
}

func TestWithdrawAsk(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		ref := f.ref(t, "Wanda Withdrawn", nil)
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, ref)
		rqAccept(t, f, link)
		got, err := db.WithdrawAsk(ctx, a.ID, " found someone closer ", vouch.Outgoing{})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.AskWithdrawn || f.mustAsk(t, a.ID).AnswerNote != "found someone closer" {
			t.Errorf("withdrawn ask %+v", got)
		}
		if n := len(f.activities(t, ref.ID)); n != 0 {
			t.Errorf("withdrawing left %d activities", n)
		}
		rqWantState(t, f, req.ID, vouch.RequestInProgress)
		if _, err := db.WithdrawAsk(ctx, a.ID, "", vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("withdrawing twice: %v", err)
		}
	})
}

func TestSeveralReferencesNeeded(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		req := f.request(t, nil, func(r *vouch.Request) { r.ReferencesNeeded = 2 })
		var asks []*vouch.Ask
		for _, name := range []string{"Ann One", "Ben Two", "Cat Three"} {
			a, l := f.ask(t, req, f.ref(t, name, nil))
			rqAccept(t, f, l)
			asks = append(asks, a)
		}
		if _, err := db.ScheduleAsk(ctx, asks[0].ID, vouch.Schedule{At: f.now.Add(rqDay)}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate) // one of two
		if _, err := db.ScheduleAsk(ctx, asks[1].ID, vouch.Schedule{At: f.now.Add(rqDay)}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestScheduled)
		f.advance(2 * rqDay)
		if _, err := db.CompleteAsk(ctx, asks[0].ID, vouch.OutcomeCompleted, vouch.Date{}, nil, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestScheduled)
		if _, err := db.CompleteAsk(ctx, asks[1].ID, vouch.OutcomeCompleted, vouch.Date{}, nil, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestCompleted)
		// The third, not needed any more, is withdrawn and its booking released.
		if got := f.mustAsk(t, asks[2].ID); got.State != vouch.AskWithdrawn {
			t.Errorf("the third ask is %s after the request completed", got.State)
		}
		if n := len(f.activities(t, asks[2].ReferenceID)); n != 0 {
			t.Errorf("the third reference keeps %d activities", n)
		}
	})
}

func TestApproval(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		req := f.request(t, nil, nil)
		ref := f.ref(t, "Alma Approved", nil)
		a := &vouch.Ask{RequestID: req.ID, ReferenceID: ref.ID, State: vouch.AskAwaitingApproval}
		if err := db.CreateAsk(ctx, a, vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if got := f.mustAsk(t, a.ID); got.State != vouch.AskAwaitingApproval || got.SentAt != nil {
			t.Errorf("ask awaiting approval %+v", got)
		}
		rqWantState(t, f, req.ID, vouch.RequestInProgress)
		// Awaiting approval, the advocate has nothing to answer yet.
		if asks, err := db.AsksToRemind(ctx, f.now.Add(30*rqDay), 2); err != nil || len(asks) != 0 {
			t.Errorf("%d asks awaiting approval are due a reminder (%v)", len(asks), err)
		}
		f.advance(time.Hour)
		l := f.link(vouch.LinkAnswer)
		got, err := db.ApproveAsk(ctx, a.ID, true, " fine by me ", l, vouch.Outgoing{})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.AskPending || got.SentAt == nil || !got.SentAt.Equal(f.now) {
			t.Errorf("approved ask %+v", got)
		}
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)
		if !rqHasEvent(f.events(t, req.ID), vouch.EventAnswer, "approved; advocate asked: fine by me") {
			t.Errorf("timeline %+v", f.events(t, req.ID))
		}
		if _, err := db.ApproveAsk(ctx, a.ID, true, "", f.link(vouch.LinkAnswer), vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("approving twice: %v", err)
		}
		rqAccept(t, f, l.NonceHash)

		// Rejected: the ask ends; nobody is mailed a link.
		req2 := f.request(t, nil, nil)
		b := &vouch.Ask{RequestID: req2.ID, ReferenceID: f.ref(t, "Rex Rejected", nil).ID, State: vouch.AskAwaitingApproval}
		if err := db.CreateAsk(ctx, b, vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApproveAsk(ctx, b.ID, false, "renewal talks under way", vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if got := f.mustAsk(t, b.ID); got.State != vouch.AskRejected || got.AnswerNote != "renewal talks under way" || got.SentAt != nil {
			t.Errorf("rejected ask %+v", got)
		}
		rqWantState(t, f, req2.ID, vouch.RequestInProgress)
	})
}

// A second reference picked while the first is being asked must not send
// the request back to "in progress": the request would then never become
// scheduled or completed when the first one's call happens.
func TestAskAwaitingApprovalKeepsTheRequestMoving(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		req := f.request(t, nil, nil)
		first, link := f.ask(t, req, f.ref(t, "Fred First", nil))
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)
		second := &vouch.Ask{RequestID: req.ID, ReferenceID: f.ref(t, "Sue Second", nil).ID, State: vouch.AskAwaitingApproval}
		if err := db.CreateAsk(ctx, second, vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)

		rqAccept(t, f, link)
		if _, err := db.ScheduleAsk(ctx, first.ID, vouch.Schedule{At: f.now.Add(rqDay)}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestScheduled)
		f.advance(2 * rqDay)
		if _, err := db.CompleteAsk(ctx, first.ID, vouch.OutcomeCompleted, vouch.Date{}, nil, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestCompleted)
		rqWantAskState(t, f, second.ID, vouch.AskWithdrawn)

		// Asked and awaiting approval at once: the request waits on the
		// advocate until both are answered, then goes back to picking.
		req = f.request(t, nil, nil)
		_, link = f.ask(t, req, f.ref(t, "Tia Third", nil))
		fourth := &vouch.Ask{RequestID: req.ID, ReferenceID: f.ref(t, "Fay Fourth", nil).ID, State: vouch.AskAwaitingApproval}
		if err := db.CreateAsk(ctx, fourth, vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerAsk(ctx, link, vouch.Answer{Action: vouch.AnswerDecline}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestAwaitingAdvocate)
		if _, err := db.ApproveAsk(ctx, fourth.ID, false, "not now", vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestInProgress)
	})
}

func TestExpireAsks(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, f.ref(t, "Ivy Idle", nil))
		sent := f.now
		if got, err := db.ExpireAsks(ctx, sent); err != nil || len(got) != 0 {
			t.Errorf("expiring asks sent before they were: %v %v", got, err)
		}
		// An answered ask never expires.
		req2 := f.request(t, nil, nil)
		b, blink := f.ask(t, req2, f.ref(t, "Abe Answered", nil))
		rqAccept(t, f, blink)

		f.advance(15 * rqDay)
		got, err := db.ExpireAsks(ctx, f.now.Add(-14*rqDay))
		if err != nil || len(got) != 1 || got[0].ID != a.ID || got[0].State != vouch.AskExpired {
			t.Fatalf("expired %+v, %v; want ask %d", got, err, a.ID)
		}
		rqWantAskState(t, f, a.ID, vouch.AskExpired)
		rqWantAskState(t, f, b.ID, vouch.AskAccepted)
		rqWantState(t, f, req.ID, vouch.RequestInProgress)
		if !rqHasEvent(f.events(t, req.ID), vouch.EventAnswer, "expired") {
			t.Error("the timeline lacks the expiry")
		}
		if got, _ := db.ExpireAsks(ctx, f.now.Add(-14*rqDay)); len(got) != 0 {
			t.Errorf("expired %d asks a second time", len(got))
		}
		// Its link answers nothing now (the clock is set back so the link itself is still valid).
		f.advance(-14 * rqDay)
		if _, err := db.AnswerAsk(ctx, link, vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{}); !errors.Is(err, vouch.ErrLinkExpired) {
			t.Errorf("accepting an expired ask: %v, want vouch.ErrLinkExpired", err)
		}
	})
}

func TestReminders(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		req := f.request(t, nil, nil)
		a, first := f.ask(t, req, f.ref(t, "Rory Remind", nil))
		remindAfter := 3 * rqDay
		due := func() []*vouch.Ask {
			t.Helper()
			asks, err := db.AsksToRemind(ctx, f.now.Add(-remindAfter), 2)
			if err != nil {
				t.Fatal(err)
			}
			return asks
		}
		if len(due()) != 0 {
			t.Error("a reminder is due at once")
		}
		f.advance(remindAfter + time.Hour)
		if d := due(); len(d) != 1 || d[0].ID != a.ID {
			t.Fatalf("due after 3 days: %+v", d)
		}
		second := f.link(vouch.LinkAnswer)
		if err := db.RemindAsk(ctx, a.ID, f.now.Add(-remindAfter), second, vouch.Outgoing{Mails: []vouch.Mail{{To: "rory@example.com", Subject: "Reminder"}}}); err != nil {
			t.Fatal(err)
		}
		got := f.mustAsk(t, a.ID)
		if got.Reminders != 1 || got.RemindedAt == nil || !got.RemindedAt.Equal(f.now) {
			t.Errorf("after a reminder: %+v", got)
		}
		if !rqHasEvent(f.events(t, req.ID), vouch.EventReminder, "Reminder 1 sent") {
			t.Error("the timeline lacks the reminder")
		}
		if len(due()) != 0 {
			t.Error("a reminder is due right after one was sent")
		}
		f.advance(remindAfter + time.Hour)
		if len(due()) != 1 {
			t.Fatal("no second reminder due")
		}
		third := f.link(vouch.LinkAnswer)
		if err := db.RemindAsk(ctx, a.ID, f.now.Add(-remindAfter), third, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		f.advance(remindAfter + time.Hour)
		if len(due()) != 0 {
			t.Error("a third reminder is due; at most 2")
		}
		// The reminder's link answers the ask; then the others are spent.
		rqAccept(t, f, second.NonceHash)
		for _, h := range []string{first, third.NonceHash} {
			if _, err := db.AnswerAsk(ctx, h, vouch.Answer{Action: vouch.AnswerDecline}, vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT ||
				!strings.Contains(err.Error(), "already answered (accepted)") {
				t.Errorf("an older link after the ask was answered: %v", err)
			}
		}
		rqWantAskState(t, f, a.ID, vouch.AskAccepted)
		// An answered ask gets no reminder.
		if err := db.RemindAsk(ctx, a.ID, f.now, f.link(vouch.LinkAnswer), vouch.Outgoing{Mails: []vouch.Mail{{To: "rory@example.com", Subject: "Late"}}}); err != nil {
			t.Fatal(err)
		}
		if mails, _, _ := db.ListOutbox(ctx, vouch.OutboxFilter{}); len(mails) != 1 {
			t.Errorf("%d mails queued, want the first reminder only", len(mails))
		}

		// A reference who opted out meanwhile gets no reminder, even when
		// asked to remind it directly.
		dora := f.ref(t, "Dora Donot", nil)
		d, _ := f.ask(t, f.request(t, nil, nil), dora)
		if _, err := db.ChangeStatus(ctx, dora.ID, 0, vouch.StatusChange{To: vouch.StatusDoNotContact, Reason: "asked us to stop"}); err != nil {
			t.Fatal(err)
		}
		f.advance(remindAfter + time.Hour)
		for _, a := range due() {
			if a.ID == d.ID {
				t.Error("an ask of a do-not-contact reference is due a reminder")
			}
		}
		if err := db.RemindAsk(ctx, d.ID, f.now.Add(-remindAfter), f.link(vouch.LinkAnswer), vouch.Outgoing{Mails: []vouch.Mail{{To: dora.Email, Subject: "Reminder"}}}); err != nil {
			t.Fatal(err)
		}
		if got := f.mustAsk(t, d.ID); got.Reminders != 0 {
			t.Errorf("a do-not-contact reference was reminded: %+v", got)
		}
		if mails, _, _ := db.ListOutbox(ctx, vouch.OutboxFilter{}); len(mails) != 1 {
			t.Errorf("%d mails queued, want no mail to the do-not-contact reference", len(mails))
		}
	})
}
