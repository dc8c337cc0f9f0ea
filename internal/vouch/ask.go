package vouch

import (
	"strings"
	"time"
)

// AskState is where one ask of one reference stands.
type AskState string

// Ask states: waiting for the account owner's approval, sent and waiting
// for the advocate, accepted (capacity booked), scheduled, completed; or
// declined by the advocate, rejected by the owner, withdrawn by the team, expired.
const (
	AskAwaitingApproval AskState = "awaiting_approval"
	AskPending          AskState = "pending"
	AskAccepted         AskState = "accepted"
	AskScheduled        AskState = "scheduled"
	AskCompleted        AskState = "completed"
	AskDeclined         AskState = "declined"
	AskRejected         AskState = "rejected"
	AskWithdrawn        AskState = "withdrawn"
	AskExpired          AskState = "expired"
)

// Open reports whether the ask still holds or may hold the reference.
func (s AskState) Open() bool {
	return s == AskAwaitingApproval || s == AskPending || s == AskAccepted || s == AskScheduled
}

// Label is the ask state for people.
func (s AskState) Label() string {
	switch s {
	case AskAwaitingApproval:
		return "Awaiting approval"
	case AskPending:
		return "Asked"
	case AskAccepted:
		return "Accepted"
	case AskScheduled:
		return "Scheduled"
	case AskCompleted:
		return "Completed"
	case AskDeclined:
		return "Declined"
	case AskRejected:
		return "Not approved"
	case AskWithdrawn:
		return "Withdrawn"
	case AskExpired:
		return "Expired"
	}
	return string(s)
}

// Reason is one contribution to a match's fit score.
type Reason struct {
	Label  string `json:"label"`
	Points int    `json:"points"`
}

// Ask is one reference asked to help with one request.
type Ask struct {
	ID              int64      `json:"id"`
	RequestID       int64      `json:"request_id"`
	ReferenceID     int64      `json:"reference_id"`
	State           AskState   `json:"state"`
	Score           int        `json:"score"`
	Reasons         []Reason   `json:"reasons"`
	CreatedAt       time.Time  `json:"created_at"`
	SentAt          *time.Time `json:"sent_at"`
	AnsweredAt      *time.Time `json:"answered_at"`
	RemindedAt      *time.Time `json:"reminded_at"`
	Reminders       int        `json:"reminders"`
	AnswerNote      string     `json:"answer_note"`
	ProposedTimes   string     `json:"proposed_times"`
	ScheduledAt     *time.Time `json:"scheduled_at"`
	DurationMinutes int        `json:"duration_minutes"`
	MeetingURL      string     `json:"meeting_url"`
	Outcome         string     `json:"outcome"` // completed, no_show
	ActivityID      int64      `json:"activity_id,omitempty"`
	// Note is the personal note of the team member who asked, shown in the
	// mail and on the advocate's answer page.
	Note string `json:"note"`
	// AskedBy is the user who asked (0 when unknown): they sign its mails.
	AskedBy int64 `json:"asked_by,omitempty"`
	Version int   `json:"version"`
}

// Schedule is the agreed time of an accepted ask.
type Schedule struct {
	At              time.Time `json:"scheduled_at"`
	DurationMinutes int       `json:"duration_minutes"`
	MeetingURL      string    `json:"meeting_url"`
}

// Validate checks the schedule.
func (s *Schedule) Validate() error {
	var v Validation
	s.MeetingURL = strings.TrimSpace(s.MeetingURL)
	if s.At.IsZero() {
		v.Add("scheduled_at", "is required")
	}
	if s.DurationMinutes == 0 {
		s.DurationMinutes = 30
	}
	if s.DurationMinutes < 5 || s.DurationMinutes > 480 {
		v.Add("duration_minutes", "must be between 5 and 480")
	}
	if s.MeetingURL != "" && !strings.HasPrefix(s.MeetingURL, "https://") && !strings.HasPrefix(s.MeetingURL, "http://") {
		v.Add("meeting_url", "must be a web address starting with https://")
	}
	return v.Err()
}

// AskInput is what the team gives when it asks a reference for a request:
// who, and an optional personal note for the advocate (at most AskNoteMax
// characters), shown in the mail and on the answer page.
type AskInput struct {
	RequestID   int64  `json:"request_id"`
	ReferenceID int64  `json:"reference_id"`
	Note        string `json:"note"`
	// Confirmed asks despite the warnings (criteria missed, fatigue) a
	// first try answered with.
	Confirmed bool `json:"confirm"`
}

// Answer is what an advocate says through the signed link.
type Answer struct {
	Action        string `json:"action"` // accept, decline, pause, opt_out
	ProposedTimes string `json:"proposed_times"`
	Note          string `json:"note"`
	NotBefore     Date   `json:"not_before"` // for pause
}

// Advocate answers.
const (
	AnswerAccept  = "accept"
	AnswerDecline = "decline"
	AnswerPause   = "pause"
	AnswerOptOut  = "opt_out"
)

// Feedback sources.
const (
	FeedbackSeller   = "seller"
	FeedbackAdvocate = "advocate"
)

// Deal impacts a seller can report.
var DealImpacts = []string{"accelerated", "no_change", "delayed"}

// ThankYous are the thank-yous an advocate can prefer.
var ThankYous = []string{"gift", "donation", "swag", "none"}

// Feedback is a rating of one completed ask, by the seller or the advocate.
type Feedback struct {
	ID         int64     `json:"id"`
	AskID      int64     `json:"ask_id"`
	Source     string    `json:"source"`
	Rating     int       `json:"rating"`     // 1–5: helpfulness (seller), experience (advocate)
	Influenced *bool     `json:"influenced"` // seller: did it influence the deal
	Impact     string    `json:"impact"`     // seller: accelerated, no_change, delayed
	ThankYou   string    `json:"thank_you"`  // advocate: preferred thank-you
	Comment    string    `json:"comment"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks feedback.
func (f *Feedback) Validate() error {
	var v Validation
	f.Comment = strings.TrimSpace(f.Comment)
	if f.Source != FeedbackSeller && f.Source != FeedbackAdvocate {
		v.Add("source", "must be seller or advocate")
	}
	if f.Rating < 1 || f.Rating > 5 {
		v.Add("rating", "must be between 1 and 5")
	}
	if f.Source == FeedbackSeller && f.Influenced == nil {
		v.Add("influenced", "say whether the reference influenced the deal")
	}
	if f.Impact != "" && !oneOf(f.Impact, DealImpacts) {
		v.Add("impact", "must be accelerated, no_change or delayed")
	}
	if f.ThankYou != "" && !oneOf(f.ThankYou, ThankYous) {
		v.Add("thank_you", "must be gift, donation, swag or none")
	}
	if len(f.Comment) > 5000 {
		v.Add("comment", "must be at most 5,000 characters")
	}
	return v.Err()
}

// CanBook reports whether one more activity on day d keeps every rolling
// window that contains d within max. dates are the reference's activities
// (done and booked), in any order.
func CanBook(max int, dates []Date, d Date) bool {
	if max <= 0 {
		return false
	}
	// Every window [s, s+89] with s in [d-89, d] contains d; it is full when
	// it already holds max activities.
	for s := d.AddDays(-CapacityWindowDays + 1); !s.After(d); s = s.AddDays(1) {
		end := s.AddDays(CapacityWindowDays - 1)
		n := 0
		for _, x := range dates {
			if !x.Before(s) && !x.After(end) {
				n++
			}
		}
		if n >= max {
			return false
		}
	}
	return true
}
