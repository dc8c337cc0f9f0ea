package vouch

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// AskStep is something that happens to an ask: a decision of the account
// owner, an answer of the advocate, a step of the program team, or time
// passing. The store takes each step in a transaction; whether it may be
// taken, and where it leads, is decided here.
type AskStep string

// Ask steps.
const (
	StepApprove  AskStep = "approve"  // the account owner lets the advocate be asked
	StepReject   AskStep = "reject"   // the account owner does not
	StepAccept   AskStep = "accept"   // the advocate agrees; capacity is booked
	StepDecline  AskStep = "decline"  // the advocate says no (also when pausing or opting out)
	StepSchedule AskStep = "schedule" // the time is agreed (or changed)
	StepComplete AskStep = "complete" // it happened
	StepNoShow   AskStep = "no_show"  // it did not happen; the booking is given back
	StepWithdraw AskStep = "withdraw" // the team (or an answer elsewhere) ends it
	StepExpire   AskStep = "expire"   // nobody answered in time
)

// askMove is one row of the ask state machine: the states a step may be
// taken from, and the state it leads to.
type askMove struct {
	from []AskState
	to   AskState
}

// askMoves is the ask state machine.
var askMoves = map[AskStep]askMove{
	StepApprove:  {[]AskState{AskAwaitingApproval}, AskPending},
	StepReject:   {[]AskState{AskAwaitingApproval}, AskRejected},
	StepAccept:   {[]AskState{AskPending}, AskAccepted},
	StepDecline:  {[]AskState{AskPending}, AskDeclined},
	StepSchedule: {[]AskState{AskAccepted, AskScheduled}, AskScheduled},
	StepComplete: {[]AskState{AskAccepted, AskScheduled}, AskCompleted},
	StepNoShow:   {[]AskState{AskAccepted, AskScheduled}, AskWithdrawn},
	StepWithdraw: {[]AskState{AskAwaitingApproval, AskPending, AskAccepted, AskScheduled}, AskWithdrawn},
	StepExpire:   {[]AskState{AskPending}, AskExpired},
}

// CheckAskStep decides whether step may be taken on an ask in state from,
// and returns the state it leads to; a step that does not apply is a
// conflict saying why, in the words of the person who tried it.
func CheckAskStep(from AskState, step AskStep) (AskState, error) {
	m, ok := askMoves[step]
	if !ok {
		return from, fmt.Errorf("unknown ask step %q", step)
	}
	if slices.Contains(m.from, from) {
		return m.to, nil
	}
	state := strings.ToLower(from.Label())
	switch step {
	case StepApprove, StepReject:
		return from, Errorf(ECONFLICT, "This ask is %s, not awaiting approval.", state)
	case StepAccept, StepDecline:
		return from, AskNotOpen(from)
	case StepSchedule:
		return from, Errorf(ECONFLICT, "Only an accepted ask can be scheduled; this one is %s.", state)
	case StepComplete, StepNoShow:
		return from, Errorf(ECONFLICT, "Only an accepted or scheduled ask can be completed; this one is %s.", state)
	}
	return from, Errorf(ECONFLICT, "This ask is %s already.", state)
}

// CanTakeStep reports whether step may be taken on an ask in state from:
// the pages offer only the actions the state machine allows.
func CanTakeStep(from AskState, step AskStep) bool {
	_, err := CheckAskStep(from, step)
	return err == nil
}

// ReleasesBooking reports whether step gives back the capacity the ask
// booked: an ask that ends without the activity frees its slot.
func ReleasesBooking(step AskStep) bool { return step == StepWithdraw || step == StepNoShow }

// OpenAskStates are the states in which an ask holds or may hold its reference.
var OpenAskStates = []AskState{AskAwaitingApproval, AskPending, AskAccepted, AskScheduled}

// AskNotOpen says why the answer link of an ask in state s answers nothing
// any more. Only an advocate who answered is told so: an ask that expired
// unanswered is an expired link, and one the team withdrew (or the account
// owner did not approve) is a request no longer open.
func AskNotOpen(s AskState) error {
	switch s {
	case AskExpired:
		return ErrLinkExpired
	case AskWithdrawn, AskRejected, AskAwaitingApproval:
		return Errorf(ECONFLICT, "This request is no longer open: the team has closed it. Thank you all the same.")
	}
	return Errorf(ECONFLICT, "This request was already answered (%s). Thank you!", strings.ToLower(s.Label()))
}

// ErrNoLongerAvailable is the answer to an accept that finds the
// reference's capacity taken meanwhile.
var ErrNoLongerAvailable = Errorf(ECONFLICT,
	"Thank you — this reference is no longer available: the slots for this period were just taken. Nothing was booked.")

// ErrFeedbackGiven is the answer to a second feedback on one activity.
var ErrFeedbackGiven = Errorf(ECONFLICT, "Feedback for this activity was already given. Thank you!")

// CheckAskable checks the hard rules of asking ref for req on day today
// that do not depend on capacity: the reference is active and agreed to
// the request's kind of activity.
func CheckAskable(ref *Reference, req *Request, today Date) error {
	if st := ref.EffectiveStatus(today); st != StatusActive {
		return Errorf(ECONFLICT, "%s is %s, not active, and cannot be asked.", ref.Name, strings.ToLower(st.Label()))
	}
	if !slices.ContainsFunc(ref.Activities, func(x AgreedActivity) bool { return x.TypeID == req.ActivityTypeID }) {
		return Errorf(ECONFLICT, "%s has not agreed to this kind of activity.", ref.Name)
	}
	return nil
}

// CheckRequestTakesAsks refuses asking anyone for a request that is closed.
func CheckRequestTakesAsks(req *Request) error {
	if req.State.Closed() {
		return Errorf(ECONFLICT, "This request is %s; nobody can be asked for it any more.", strings.ToLower(req.State.Label()))
	}
	return nil
}

// CheckRequestTakesAnswers refuses an advocate's answer on a request that
// was closed meanwhile.
func CheckRequestTakesAnswers(req *Request) error {
	if req.State.Closed() {
		return Errorf(ECONFLICT, "This request is no longer open: it was %s. Thank you all the same.", strings.ToLower(req.State.Label()))
	}
	return nil
}

// ErrAskedBefore is the refusal to ask a reference twice for one opportunity.
func ErrAskedBefore(refName string) error {
	return Errorf(ECONFLICT, "%s has already been asked for this opportunity.", refName)
}

// RequestStateAfterAsk is where a request in state from goes when an ask in
// state asked is made for it: an ask sent straight to the advocate waits on
// them; one awaiting approval moves only a submitted request on to in
// progress. A request that already waits on another advocate (or is
// scheduled) stays: sent back to in progress it could never become
// scheduled or completed when that advocate's call happens.
func RequestStateAfterAsk(from RequestState, asked AskState) RequestState {
	if asked == AskPending {
		return RequestAwaitingAdvocate
	}
	if from == RequestSubmitted {
		return RequestInProgress
	}
	return from
}

// Ask outcomes.
const (
	OutcomeCompleted = "completed"
	OutcomeNoShow    = "no_show"
)

// OutcomeStep is the step an outcome of a scheduled ask is.
func OutcomeStep(outcome string) (AskStep, error) {
	switch outcome {
	case OutcomeCompleted:
		return StepComplete, nil
	case OutcomeNoShow:
		return StepNoShow, nil
	}
	return "", &Error{Code: EINVALID, Message: "Say how it went.", Fields: map[string]string{"outcome": "must be completed or no_show"}}
}

// CompletionDay is the day an activity counts on when it is completed at
// now: the day given, or the scheduled day once it passed, or today — all
// in the advocate's time zone. Completed before its scheduled time, it took
// place earlier than planned: the page asks for that day, today unless
// told. A day in the future, or before the request was made (made, in the
// same zone), is refused.
func CompletionDay(given Date, scheduledAt *time.Time, now time.Time, tz string, made Date) (Date, error) {
	today := DateIn(now, tz)
	day := given
	if day.IsZero() {
		day = today
		if scheduledAt != nil && scheduledAt.Before(now) {
			day = DateIn(*scheduledAt, tz)
		}
	}
	if day.After(today) {
		return day, &Error{Code: EINVALID, Message: "An activity cannot be completed in the future.",
			Fields: map[string]string{"occurred_on": "must be today or earlier"}}
	}
	if !made.IsZero() && day.Before(made) {
		return day, &Error{Code: EINVALID, Message: "The activity cannot have taken place before the request was made.",
			Fields: map[string]string{"occurred_on": "must be on or after " + made.Time().Format("2 Jan 2006") + ", the day the request was made"}}
	}
	return day, nil
}

// Enough reports whether done asks fulfil a request that needs needed
// references: then it is scheduled (counting scheduled and completed asks)
// or completed (counting completed ones).
func Enough(done, needed int) bool { return done >= needed }

// AnswerEffect is what an advocate's answer does: the step it takes on
// the ask, the status it gives the reference, the advocate's other asks it
// ends, and the entry it adds to the request's timeline.
type AnswerEffect struct {
	Step AskStep
	// Status is the reference's new status; nil leaves it.
	Status *StatusChange
	// EndOthers are the states of the advocate's other asks that end with
	// this answer (withdrawn, bookings given back), for EndReason.
	EndOthers []AskState
	EndReason string
	// Event is the timeline entry of the answer.
	Event string
}

// Effect decides what answer a does on day today. Declining ends this ask
// only; pausing also rests the reference until NotBefore and ends their
// other asks still waiting; opting out makes them do-not-contact and ends
// every open ask of theirs.
func (a Answer) Effect(today Date) (AnswerEffect, error) {
	var e AnswerEffect
	switch a.Action {
	case AnswerAccept:
		e.Step, e.Event = StepAccept, "Advocate accepted"
	case AnswerDecline:
		e.Step, e.Event = StepDecline, "Advocate declined"
	case AnswerPause:
		if a.NotBefore.IsZero() || !a.NotBefore.After(today) {
			return e, &Error{Code: EINVALID, Message: "Choose the first day we may ask again.",
				Fields: map[string]string{"not_before": "must be a day after today"}}
		}
		day := a.NotBefore.String()
		e.Step, e.Event = StepDecline, "Advocate declined and asked not to be contacted before "+day
		e.Status = &StatusChange{To: StatusResting, Until: a.NotBefore, Reason: "Asked through a request link not to be contacted before " + day}
		e.EndOthers, e.EndReason = []AskState{AskPending, AskAwaitingApproval}, "the advocate asked not to be contacted before "+day
	case AnswerOptOut:
		e.Step, e.Event = StepDecline, "Advocate opted out of the reference program"
		e.Status = &StatusChange{To: StatusDoNotContact, Reason: "Opted out through a request link"}
		e.EndOthers, e.EndReason = OpenAskStates, "the advocate opted out of the reference program"
	default:
		return e, &Error{Code: EINVALID, Message: "Choose an answer.", Fields: map[string]string{"action": "must be accept, decline, pause or opt_out"}}
	}
	if p := strings.TrimSpace(a.ProposedTimes); p != "" {
		e.Event += "; proposed times: " + p
	}
	if n := strings.TrimSpace(a.Note); n != "" {
		e.Event += "; note: " + n
	}
	return e, nil
}

// FirstFreeDay is the first day from from to last on which one more
// activity keeps the reference within max per rolling window, given the
// days of its activities; false when there is none.
func FirstFreeDay(max int, dates []Date, from, last Date) (Date, bool) {
	for d := from; !d.After(last); d = d.AddDays(1) {
		if CanBook(max, dates, d) {
			return d, true
		}
	}
	return Date{}, false
}

// ErrNoFreeSlot refuses moving a booking of ref to day, which has no free
// capacity within max activities per 90 days.
func ErrNoFreeSlot(refName string, day Date, max int) error {
	return &Error{Code: ECONFLICT,
		Message: fmt.Sprintf("%s has no free slot around %s: %d activities per 90 days are already booked or done then. Choose another day.",
			refName, day.Time().Format("2 Jan 2006"), max),
		Fields: map[string]string{"scheduled_at": "has no free capacity on that day"}}
}

// CheckFeedbackOn refuses feedback on an ask that is not completed.
func CheckFeedbackOn(s AskState) error {
	if s != AskCompleted {
		return Errorf(ECONFLICT, "Feedback is for completed activities; this one is %s.", strings.ToLower(s.Label()))
	}
	return nil
}

// pickAgainReasons say, on the request's timeline, why a request went back
// to picking after a step ended its last open ask.
var pickAgainReasons = map[AskStep]string{
	StepReject:   "the account owner did not approve",
	StepDecline:  "the advocate declined",
	StepNoShow:   "no-show",
	StepWithdraw: "ask withdrawn",
	StepExpire:   "the ask expired",
}

// PickAgainReason is why a request goes back to picking when step ended
// its last open ask; "" when step leaves the ask open.
func PickAgainReason(step AskStep) string { return pickAgainReasons[step] }

// CheckThankYou refuses a thank-you that is not one of ThankYous ("" keeps
// the one the advocate preferred).
func CheckThankYou(kind string) error {
	if kind != "" && !slices.Contains(ThankYous, kind) {
		return &Error{Code: EINVALID, Message: "Unknown thank-you.", Fields: map[string]string{"thank_you": "must be gift, donation, swag or none"}}
	}
	return nil
}

// CheckThankable refuses thanking an advocate for an activity in state
// (booked, not done yet).
func CheckThankable(state string) error {
	if state != ActivityDone {
		return Errorf(ECONFLICT, "Thank the advocate once the activity is done.")
	}
	return nil
}
