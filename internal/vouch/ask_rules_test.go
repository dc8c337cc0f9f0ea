package vouch

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheckAskStep(t *testing.T) {
	all := []AskState{AskAwaitingApproval, AskPending, AskAccepted, AskScheduled, AskCompleted, AskDeclined,
		AskRejected, AskWithdrawn, AskExpired}
	for _, c := range []struct {
		step    AskStep
		allowed map[AskState]AskState // from → to; every other state is refused
		refusal string                // a part of the refusal of a state not allowed, from completed
	}{
		{StepApprove, map[AskState]AskState{AskAwaitingApproval: AskPending}, "not awaiting approval"},
		{StepReject, map[AskState]AskState{AskAwaitingApproval: AskRejected}, "not awaiting approval"},
		{StepAccept, map[AskState]AskState{AskPending: AskAccepted}, "already answered (completed)"},
		{StepDecline, map[AskState]AskState{AskPending: AskDeclined}, "already answered (completed)"},
		{StepSchedule, map[AskState]AskState{AskAccepted: AskScheduled, AskScheduled: AskScheduled}, "Only an accepted ask can be scheduled"},
		{StepComplete, map[AskState]AskState{AskAccepted: AskCompleted, AskScheduled: AskCompleted}, "Only an accepted or scheduled ask can be completed"},
		{StepNoShow, map[AskState]AskState{AskAccepted: AskWithdrawn, AskScheduled: AskWithdrawn}, "Only an accepted or scheduled ask can be completed"},
		{StepWithdraw, map[AskState]AskState{AskAwaitingApproval: AskWithdrawn, AskPending: AskWithdrawn,
			AskAccepted: AskWithdrawn, AskScheduled: AskWithdrawn}, "This ask is completed already."},
		{StepExpire, map[AskState]AskState{AskPending: AskExpired}, "This ask is completed already."},
	} {
		for _, from := range all {
			to, err := CheckAskStep(from, c.step)
			want, ok := c.allowed[from]
			switch {
			case ok && (err != nil || to != want):
				t.Errorf("%s from %s: %s, %v; want %s", c.step, from, to, err, want)
			case !ok && ErrorCode(err) != ECONFLICT:
				t.Errorf("%s from %s: %s, %v; want a conflict", c.step, from, to, err)
			case !ok && from == AskCompleted && !strings.Contains(ErrorMessage(err), c.refusal):
				t.Errorf("%s from completed: %q, want it to say %q", c.step, ErrorMessage(err), c.refusal)
			}
		}
	}
	if !CanTakeStep(AskAccepted, StepSchedule) || CanTakeStep(AskCompleted, StepWithdraw) {
		t.Error("CanTakeStep disagrees with CheckAskStep")
	}
	if _, err := CheckAskStep(AskPending, "dance"); err == nil {
		t.Error("an unknown step was allowed")
	}
}

func TestAskNotOpen(t *testing.T) {
	for s, want := range map[AskState]string{
		AskExpired:          "This link has expired.",
		AskWithdrawn:        "no longer open",
		AskRejected:         "no longer open",
		AskAwaitingApproval: "no longer open",
		AskAccepted:         "already answered (accepted)",
		AskDeclined:         "already answered (declined)",
	} {
		if got := ErrorMessage(AskNotOpen(s)); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", s, got, want)
		}
	}
}

func TestReleasesBooking(t *testing.T) {
	for _, s := range []AskStep{StepApprove, StepReject, StepAccept, StepDecline, StepSchedule, StepComplete, StepNoShow, StepWithdraw, StepExpire} {
		want := s == StepNoShow || s == StepWithdraw
		if ReleasesBooking(s) != want {
			t.Errorf("%s releases the booking: %v, want %v", s, !want, want)
		}
	}
}

func TestAnswerEffect(t *testing.T) {
	today := day("2026-03-10")
	for _, c := range []struct {
		name      string
		answer    Answer
		step      AskStep
		status    Status // "" leaves the reference's status
		endOthers []AskState
		event     string
		field     string // a field the answer is refused on
	}{
		{name: "accept with times", answer: Answer{Action: AnswerAccept, ProposedTimes: " Tue 10:00 ", Note: "glad to"},
			step: StepAccept, event: "Advocate accepted; proposed times: Tue 10:00; note: glad to"},
		{name: "decline", answer: Answer{Action: AnswerDecline}, step: StepDecline, event: "Advocate declined"},
		{name: "pause", answer: Answer{Action: AnswerPause, NotBefore: day("2026-06-01")}, step: StepDecline,
			status: StatusResting, endOthers: []AskState{AskPending, AskAwaitingApproval},
			event: "Advocate declined and asked not to be contacted before 2026-06-01"},
		{name: "pause until today", answer: Answer{Action: AnswerPause, NotBefore: today}, field: "not_before"},
		{name: "pause without a day", answer: Answer{Action: AnswerPause}, field: "not_before"},
		{name: "opt out", answer: Answer{Action: AnswerOptOut}, step: StepDecline, status: StatusDoNotContact,
			endOthers: OpenAskStates, event: "Advocate opted out of the reference program"},
		{name: "no action", answer: Answer{}, field: "action"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := c.answer.Effect(today)
			if c.field != "" {
				if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" {
					t.Fatalf("%v, want it refused on %s", err, c.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Step != c.step || e.Event != c.event || !slices.Equal(e.EndOthers, c.endOthers) {
				t.Errorf("got %+v", e)
			}
			if (e.Status == nil) != (c.status == "") || (e.Status != nil && (e.Status.To != c.status || e.Status.Reason == "")) {
				t.Errorf("status change %+v, want %q with a reason", e.Status, c.status)
			}
			if len(c.endOthers) > 0 && e.EndReason == "" {
				t.Error("other asks end without a reason")
			}
			if c.status == StatusResting && e.Status.Until != c.answer.NotBefore {
				t.Errorf("resting until %s, want %s", e.Status.Until, c.answer.NotBefore)
			}
		})
	}
}

func TestRequestStateAfterAsk(t *testing.T) {
	for _, c := range []struct {
		from  RequestState
		asked AskState
		want  RequestState
	}{
		{RequestSubmitted, AskPending, RequestAwaitingAdvocate},
		{RequestInProgress, AskPending, RequestAwaitingAdvocate},
		{RequestSubmitted, AskAwaitingApproval, RequestInProgress},
		{RequestInProgress, AskAwaitingApproval, RequestInProgress},
		{RequestAwaitingAdvocate, AskAwaitingApproval, RequestAwaitingAdvocate},
		{RequestScheduled, AskAwaitingApproval, RequestScheduled},
	} {
		if got := RequestStateAfterAsk(c.from, c.asked); got != c.want {
			t.Errorf("%s, ask %s: %s, want %s", c.from, c.asked, got, c.want)
		}
	}
}

func TestOutcomeStep(t *testing.T) {
	if s, err := OutcomeStep(OutcomeCompleted); s != StepComplete || err != nil {
		t.Errorf("completed: %s, %v", s, err)
	}
	if s, err := OutcomeStep(OutcomeNoShow); s != StepNoShow || err != nil {
		t.Errorf("no_show: %s, %v", s, err)
	}
	if _, err := OutcomeStep("great"); ErrorFields(err)["outcome"] == "" {
		t.Errorf("an unknown outcome: %v, want it refused on outcome", err)
	}
}

func TestCompletionDay(t *testing.T) {
	now := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) // evening of 9 March in California
	past := time.Date(2026, 3, 5, 17, 0, 0, 0, time.UTC)
	future := time.Date(2026, 3, 20, 17, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name      string
		given     Date
		scheduled *time.Time
		tz        string
		made      Date // the request's day; zero for no limit
		want      string
		refused   bool
	}{
		{name: "today in UTC", want: "2026-03-10"},
		{name: "today where the advocate is", tz: "America/Los_Angeles", want: "2026-03-09"},
		{name: "the scheduled day once passed", scheduled: &past, want: "2026-03-05"},
		{name: "today when scheduled ahead", scheduled: &future, want: "2026-03-10"},
		{name: "a day given", given: day("2026-03-01"), want: "2026-03-01"},
		{name: "a day in the future", given: day("2026-03-11"), refused: true},
		{name: "early: the day it actually took place", given: day("2026-03-08"), scheduled: &future, want: "2026-03-08"},
		{name: "early: in the future", given: day("2026-03-12"), scheduled: &future, refused: true},
		{name: "the day the request was made", given: day("2026-03-02"), made: day("2026-03-02"), want: "2026-03-02"},
		{name: "before the request was made", given: day("2026-03-01"), made: day("2026-03-02"), refused: true},
		{name: "the request's day where the advocate is", tz: "America/Los_Angeles", given: day("2026-03-09"), made: day("2026-03-09"), want: "2026-03-09"},
	} {
		day, err := CompletionDay(c.given, c.scheduled, now, c.tz, c.made)
		if c.refused {
			if ErrorFields(err)["occurred_on"] == "" {
				t.Errorf("%s: %s, %v; want it refused on occurred_on", c.name, day, err)
			}
			continue
		}
		if err != nil || day.String() != c.want {
			t.Errorf("%s: %s, %v; want %s", c.name, day, err, c.want)
		}
	}
}

func TestFirstFreeDay(t *testing.T) {
	d := day("2026-03-10")
	full := []Date{d.AddDays(-10), d.AddDays(-5)}
	if _, ok := FirstFreeDay(2, full, d, d.AddDays(70)); ok {
		t.Error("a free day while two activities fill every window up to 79 days ahead")
	}
	if got, ok := FirstFreeDay(2, full, d, d.AddDays(90)); !ok || got != d.AddDays(80) {
		t.Errorf("first free day %s, %v; want %s, the day the first activity leaves the window", got, ok, d.AddDays(80))
	}
	if got, ok := FirstFreeDay(3, full, d, d); !ok || got != d {
		t.Errorf("with room today: %s, %v", got, ok)
	}
}

func TestAskEvents(t *testing.T) {
	yes, at := true, time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	for got, want := range map[string]string{
		AskedEvent("Maya", AskPending):                      "Asked Maya",
		AskedEvent("Maya", AskAwaitingApproval):             "Maya picked; waiting for the account owner's approval",
		ApprovalEvent(true, " fine "):                       "Account owner approved; advocate asked: fine",
		ApprovalEvent(false, ""):                            "Account owner did not approve asking",
		WithdrawnEvent(""):                                  "Ask withdrawn",
		WithdrawnEvent("found another"):                     "Ask withdrawn: found another",
		ScheduledEvent(at, false):                           "Scheduled for 10 Mar 2026 15:30 UTC",
		ScheduledEvent(at, true):                            "Rescheduled to 10 Mar 2026 15:30 UTC",
		CompletedEvent(OutcomeCompleted, day("2026-03-09")): "Completed on 2026-03-09",
		CompletedEvent(OutcomeNoShow, Date{}):               "No-show",
		ReminderEvent(2):                                    "Reminder 2 sent",
		FeedbackEvent(&Feedback{Source: FeedbackSeller, Rating: 4, Influenced: &yes, Comment: "Great"}): "Seller feedback: 4/5, influenced the deal — Great",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

func TestPickAgainReason(t *testing.T) {
	for _, s := range []AskStep{StepReject, StepDecline, StepNoShow, StepWithdraw, StepExpire} {
		if PickAgainReason(s) == "" {
			t.Errorf("%s ends an ask without saying why the request is picked again", s)
		}
	}
	for _, s := range []AskStep{StepApprove, StepAccept, StepSchedule, StepComplete} {
		if PickAgainReason(s) != "" {
			t.Errorf("%s leaves the ask open but sends the request back to picking", s)
		}
	}
}

// day parses a date the test writes by hand.
func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
