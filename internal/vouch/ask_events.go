package vouch

import (
	"fmt"
	"strings"
	"time"
)

// The texts of a request's timeline entries about its asks. They are
// written once, when the step is taken, and read by everyone who opens the
// request, in pages and through the API alike.

// AskedEvent is the entry of a new ask of refName, in state s.
func AskedEvent(refName string, s AskState) string {
	if s == AskAwaitingApproval {
		return refName + " picked; waiting for the account owner's approval"
	}
	return "Asked " + refName
}

// ApprovalEvent is the entry of the account owner's decision, with their note.
func ApprovalEvent(approve bool, note string) string {
	body := "Account owner did not approve asking"
	if approve {
		body = "Account owner approved; advocate asked"
	}
	if note = strings.TrimSpace(note); note != "" {
		body += ": " + note
	}
	return body
}

// WithdrawnEvent is the entry of an ask withdrawn for reason.
func WithdrawnEvent(reason string) string {
	if reason = strings.TrimSpace(reason); reason != "" {
		return "Ask withdrawn: " + reason
	}
	return "Ask withdrawn"
}

// ExpiredEvent is the entry of an ask nobody answered in time.
const ExpiredEvent = "No answer from the advocate; the ask expired"

// ScheduledEvent is the entry of an ask scheduled at at; rescheduled when
// it was scheduled before. The time is kept in UTC: EventFor writes it in
// each reader's zone.
func ScheduledEvent(at time.Time, rescheduled bool) string {
	if rescheduled {
		return rescheduledPrefix + at.UTC().Format(eventTimeLayout)
	}
	return scheduledPrefix + at.UTC().Format(eventTimeLayout)
}

// CompletedEvent is the entry of an ask's outcome.
func CompletedEvent(outcome string, day Date) string {
	if outcome == OutcomeNoShow {
		return "No-show"
	}
	return "Completed on " + day.String()
}

// ReminderEvent is the entry of the nth reminder sent to an advocate.
func ReminderEvent(n int) string { return fmt.Sprintf("Reminder %d sent", n) }

// FeedbackEvent is the entry of feedback given.
func FeedbackEvent(f *Feedback) string {
	body := fmt.Sprintf("%s feedback: %d/5", strings.ToUpper(f.Source[:1])+f.Source[1:], f.Rating)
	if f.Influenced != nil {
		body += map[bool]string{true: ", influenced the deal", false: ", did not influence the deal"}[*f.Influenced]
	}
	if f.Comment != "" {
		body += " — " + f.Comment
	}
	return body
}
