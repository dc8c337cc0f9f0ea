package store_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Moving a booking to another day must not overfill a 90-day window there.
func TestRescheduleChecksCapacityOnTheNewDay(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		one := 1
		ref := f.ref(t, "Rita Reschedule", func(r *vouch.Reference) { r.CapacityOverride = &one })
		// A call already booked 100 days ahead: days from 11 to 189 ahead are
		// in a window with it.
		f.logActivity(t, ref.ID, f.today().AddDays(100))
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, ref)
		rqAccept(t, f, link)
		soon := f.today().AddDays(3).Time().Add(15 * 3600e9)
		if _, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: soon}, vouch.Outgoing{}); err != nil {
			t.Fatalf("scheduling on a free day: %v", err)
		}
		late := f.today().AddDays(40).Time().Add(15 * 3600e9)
		_, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: late}, vouch.Outgoing{})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorFields(err)["scheduled_at"] == "" {
			t.Fatalf("rescheduling into a full window: %v, want a conflict on scheduled_at", err)
		}
		got := f.mustAsk(t, a.ID)
		if !got.ScheduledAt.Equal(soon) {
			t.Errorf("a refused reschedule moved the ask to %v", got.ScheduledAt)
		}
		for _, act := range f.activities(t, ref.ID) {
			if act.ID == got.ActivityID && act.OccurredOn != f.today().AddDays(3) {
				t.Errorf("a refused reschedule moved the booking to %s", act.OccurredOn)
			}
		}
	})
}

// An advocate who opts out through one ask's link is asked nothing more:
// their other asks end, bookings are given back, those requests go back to picking.
func TestOptOutEndsTheAdvocatesOtherAsks(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		ref := f.ref(t, "Otto Optout", nil)
		first := f.request(t, nil, nil)
		_, firstLink := f.ask(t, first, ref)
		second := f.request(t, nil, nil)
		secondAsk, secondLink := f.ask(t, second, ref)
		rqAccept(t, f, secondLink) // booked for the second request
		third := f.request(t, nil, nil)
		thirdAsk, _ := f.ask(t, third, ref)

		if _, err := db.AnswerAsk(ctx, firstLink, vouch.Answer{Action: vouch.AnswerOptOut}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantAskState(t, f, secondAsk.ID, vouch.AskWithdrawn)
		rqWantAskState(t, f, thirdAsk.ID, vouch.AskWithdrawn)
		rqWantState(t, f, second.ID, vouch.RequestInProgress)
		rqWantState(t, f, third.ID, vouch.RequestInProgress)
		if acts := f.activities(t, ref.ID); len(acts) != 0 {
			t.Errorf("the opted-out advocate still has bookings: %+v", acts)
		}
		if r, err := db.Reference(ctx, ref.ID); err != nil || r.Status != vouch.StatusDoNotContact {
			t.Errorf("after opting out the reference is %v (%v)", r.Status, err)
		}
	})
}

// A pause ends asks still waiting on the advocate but keeps what they
// already accepted.
func TestPauseEndsOnlyWaitingAsks(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		ref := f.ref(t, "Paula Pause", nil)
		first := f.request(t, nil, nil)
		_, firstLink := f.ask(t, first, ref)
		second := f.request(t, nil, nil)
		secondAsk, secondLink := f.ask(t, second, ref)
		rqAccept(t, f, secondLink)
		third := f.request(t, nil, nil)
		thirdAsk, _ := f.ask(t, third, ref)

		if _, err := db.AnswerAsk(ctx, firstLink, vouch.Answer{Action: vouch.AnswerPause, NotBefore: f.today().AddDays(60)}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantAskState(t, f, secondAsk.ID, vouch.AskAccepted)
		rqWantAskState(t, f, thirdAsk.ID, vouch.AskWithdrawn)
		rqWantState(t, f, third.ID, vouch.RequestInProgress)
	})
}

// A request sent back to in progress by hand while its advocate had
// accepted still becomes scheduled and completed when the call happens.
func TestRequestMovedBackByHandStillCompletes(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		ref := f.ref(t, "Hana Hand", nil)
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, ref)
		rqAccept(t, f, link)
		if _, err := db.ChangeRequestState(ctx, req.ID, 0, vouch.RequestChange{To: vouch.RequestInProgress}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: f.now.Add(rqDay)}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestScheduled)
		f.advance(2 * rqDay)
		if _, err := db.CompleteAsk(ctx, a.ID, vouch.OutcomeCompleted, vouch.Date{}, nil, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		rqWantState(t, f, req.ID, vouch.RequestCompleted)
	})
}

// Approving an ask re-checks the reference: one who became do-not-contact
// since being picked is not mailed.
func TestApprovalRechecksTheReference(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		ref := f.ref(t, "Dora Dnc", nil)
		req := f.request(t, nil, nil)
		a := &vouch.Ask{RequestID: req.ID, ReferenceID: ref.ID, State: vouch.AskAwaitingApproval}
		if err := db.CreateAsk(ctx, a, vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ChangeStatus(ctx, ref.ID, 0, vouch.StatusChange{To: vouch.StatusDoNotContact, Reason: "asked by phone"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApproveAsk(ctx, a.ID, true, "", f.link(vouch.LinkAnswer), vouch.Outgoing{}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Fatalf("approving an ask to a do-not-contact reference: %v, want a conflict", err)
		}
		rqWantAskState(t, f, a.ID, vouch.AskAwaitingApproval)
	})
}

// The owner of an asked reference's account finds the requests waiting for
// their approval, and may see them; once decided, they leave the list.
func TestRequestsAwaitingApproval(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		owner := mustUser(t, db, "olga@example.com", vouch.RoleSeller)
		f.acct.OwnerID = owner.ID
		if err := db.UpdateAccount(ctx, f.acct); err != nil {
			t.Fatal(err)
		}
		ref := f.ref(t, "Anna Approve", nil)
		other := f.ref(t, "Ben Pending", nil)
		waiting := f.request(t, nil, nil)
		a := &vouch.Ask{RequestID: waiting.ID, ReferenceID: ref.ID, State: vouch.AskAwaitingApproval}
		if err := db.CreateAsk(ctx, a, vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		asked := f.request(t, nil, nil)
		f.ask(t, asked, other) // sent straight away: nothing to approve
		f.request(t, nil, nil) // nobody asked

		got, err := db.RequestsAwaitingApproval(ctx, owner.ID)
		if err != nil || len(got) != 1 || got[0].ID != waiting.ID {
			t.Fatalf("awaiting approval: %v (%v), want request %d", got, err, waiting.ID)
		}
		if none, _ := db.RequestsAwaitingApproval(ctx, f.team.ID); len(none) != 0 {
			t.Errorf("someone who owns no account has %d to approve", len(none))
		}
		for _, req := range []*vouch.Request{waiting, asked} {
			if owners, err := db.AskAccountOwners(ctx, req.ID); err != nil || len(owners) != 1 || slices.Collect(maps.Values(owners))[0] != owner.ID {
				t.Errorf("owners asked for request %d: %v (%v)", req.ID, owners, err)
			}
		}
		if _, err := db.ApproveAsk(ctx, a.ID, false, "not now", vouch.NewLink{}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.RequestsAwaitingApproval(ctx, owner.ID); len(got) != 0 {
			t.Errorf("after deciding, %d still await approval", len(got))
		}
	})
}

// A call's day is the advocate's: 8 pm in Los Angeles is that day's
// activity, although it is already the next day in UTC.
func TestActivityDayIsTheAdvocatesDay(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newRQFixture(t, db)
		ref := f.ref(t, "Lara Angeles", func(r *vouch.Reference) { r.TimeZone = "America/Los_Angeles" })
		req := f.request(t, nil, nil)
		a, link := f.ask(t, req, ref)
		rqAccept(t, f, link)
		la, _ := time.LoadLocation("America/Los_Angeles")
		local := f.today().AddDays(5).Time()
		at := time.Date(local.Year(), local.Month(), local.Day(), 20, 0, 0, 0, la) // 03:00 or 04:00 UTC the next day
		if _, err := db.ScheduleAsk(ctx, a.ID, vouch.Schedule{At: at}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		want := f.today().AddDays(5)
		for _, act := range f.activities(t, ref.ID) {
			if act.OccurredOn != want {
				t.Errorf("the booking is on %s, want %s (the advocate's day)", act.OccurredOn, want)
			}
		}
		f.now = at.Add(time.Hour).UTC()
		if _, err := db.CompleteAsk(ctx, a.ID, vouch.OutcomeCompleted, vouch.Date{}, nil, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}
		if acts := f.activities(t, ref.ID); len(acts) != 1 || acts[0].OccurredOn != want || acts[0].State != vouch.ActivityDone {
			t.Errorf("the done activity is %+v, want on %s", acts, want)
		}
	})
}
