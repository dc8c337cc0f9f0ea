package vouch

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// RequestState is where a reference request is in fulfillment.
type RequestState string

// The states of a request: submitted → in progress → awaiting advocate →
// scheduled → completed, or it ends declined, cancelled or unfulfilled.
const (
	RequestSubmitted        RequestState = "submitted"
	RequestInProgress       RequestState = "in_progress"
	RequestAwaitingAdvocate RequestState = "awaiting_advocate"
	RequestScheduled        RequestState = "scheduled"
	RequestCompleted        RequestState = "completed"
	RequestDeclined         RequestState = "declined"
	RequestCancelled        RequestState = "cancelled"
	RequestUnfulfilled      RequestState = "unfulfilled"
)

// RequestStates lists every state in fulfillment order.
var RequestStates = []RequestState{RequestSubmitted, RequestInProgress, RequestAwaitingAdvocate, RequestScheduled,
	RequestCompleted, RequestDeclined, RequestCancelled, RequestUnfulfilled}

// Label is the state for people.
func (s RequestState) Label() string {
	switch s {
	case RequestSubmitted:
		return "Submitted"
	case RequestInProgress:
		return "In progress"
	case RequestAwaitingAdvocate:
		return "Awaiting advocate"
	case RequestScheduled:
		return "Scheduled"
	case RequestCompleted:
		return "Completed"
	case RequestDeclined:
		return "Declined"
	case RequestCancelled:
		return "Cancelled"
	case RequestUnfulfilled:
		return "Unfulfilled"
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s RequestState) Valid() bool { return slices.Contains(RequestStates, s) }

// Closed reports whether the request is finished, one way or another.
func (s RequestState) Closed() bool {
	return s == RequestCompleted || s == RequestDeclined || s == RequestCancelled || s == RequestUnfulfilled
}

// requestTransitions lists the allowed moves. An advocate who declines sends
// the request back to in progress; a no-show sends a scheduled one back too.
var requestTransitions = map[RequestState][]RequestState{
	RequestSubmitted:        {RequestInProgress, RequestAwaitingAdvocate, RequestDeclined, RequestCancelled, RequestUnfulfilled},
	RequestInProgress:       {RequestAwaitingAdvocate, RequestDeclined, RequestCancelled, RequestUnfulfilled},
	RequestAwaitingAdvocate: {RequestInProgress, RequestScheduled, RequestCancelled, RequestUnfulfilled},
	RequestScheduled:        {RequestCompleted, RequestInProgress, RequestCancelled, RequestUnfulfilled},
}

// NextStates lists where a request in s may go.
func (s RequestState) NextStates() []RequestState { return requestTransitions[s] }

// RequestChange is a move of a request to another state.
type RequestChange struct {
	To     RequestState `json:"state"`
	Reason string       `json:"reason"`
}

// CheckRequestTransition validates moving a request from → c.To.
func CheckRequestTransition(from RequestState, c RequestChange) error {
	if !c.To.Valid() {
		return &Error{Code: EINVALID, Message: "Unknown request state.",
			Fields: map[string]string{"state": "must be one of " + requestStateNames(RequestStates)}}
	}
	if !slices.Contains(from.NextStates(), c.To) {
		if from.Closed() {
			return Errorf(ECONFLICT, "This request is %s; it cannot change any more.", strings.ToLower(from.Label()))
		}
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf("A request that is %s cannot become %s; it can become %s.",
			strings.ToLower(from.Label()), strings.ToLower(c.To.Label()), requestStateNames(from.NextStates())),
			Fields: map[string]string{"state": "cannot change from " + string(from) + " to " + string(c.To)}}
	}
	switch c.To {
	case RequestDeclined, RequestCancelled, RequestUnfulfilled:
		if strings.TrimSpace(c.Reason) == "" {
			return &Error{Code: EINVALID, Message: "Say why the request is " + strings.ToLower(c.To.Label()) + ".",
				Fields: map[string]string{"reason": "is required when a request becomes " + strings.ToLower(c.To.Label())}}
		}
	}
	return nil
}

func requestStateNames(states []RequestState) string {
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = strings.ToLower(s.Label())
	}
	return strings.Join(names, ", ")
}

// Workflow is how requests of an activity type are fulfilled.
type Workflow string

// Workflows.
const (
	WorkflowProgramManaged Workflow = "program_managed" // the program team picks and asks
	WorkflowSelfServe      Workflow = "self_serve"      // the seller picks from the matches
)

// ActivityTypeRule configures one activity type: its workflow, whether the
// reference's account owner approves each ask, and the points it earns.
type ActivityTypeRule struct {
	TypeID   int64    `json:"activity_type_id"`
	Workflow Workflow `json:"workflow"`
	Approval bool     `json:"approval"`
	Points   int      `json:"points"`
}

// DefaultActivityTypeRule is the rule of an activity type nobody configured.
func DefaultActivityTypeRule(typeID int64) ActivityTypeRule {
	return ActivityTypeRule{TypeID: typeID, Workflow: WorkflowProgramManaged, Points: 10}
}

// Criteria are what a seller wants in a reference. Zero values mean "any".
type Criteria struct {
	IndustryID   int64  `json:"industry_id,omitempty"`
	RegionID     int64  `json:"region_id,omitempty"`
	CountryID    int64  `json:"country_id,omitempty"`
	SizeID       int64  `json:"company_size_id,omitempty"`
	ProductID    int64  `json:"product_id,omitempty"`
	UseCaseID    int64  `json:"use_case_id,omitempty"`
	CompetitorID int64  `json:"competitor_id,omitempty"`
	Language     string `json:"language,omitempty"`
	Seniority    string `json:"seniority,omitempty"`
}

// Request is a seller's request for references for an opportunity.
type Request struct {
	ID               int64        `json:"id"`
	RequesterID      int64        `json:"requester_id"`
	OpportunityID    int64        `json:"opportunity_id"`
	ActivityTypeID   int64        `json:"activity_type_id"`
	ReferencesNeeded int          `json:"references_needed"`
	Criteria         Criteria     `json:"criteria"`
	DueDate          Date         `json:"due_date"`
	Context          string       `json:"context"`
	Workflow         Workflow     `json:"workflow"`
	State            RequestState `json:"state"`
	StateReason      string       `json:"state_reason"`
	AssigneeID       int64        `json:"assignee_id,omitempty"`
	Version          int          `json:"version"`
	CreatedAt        time.Time    `json:"created_at"`
	UpdatedAt        time.Time    `json:"updated_at"`
	ClosedAt         *time.Time   `json:"closed_at"`
}

// Validate normalises and checks a request as submitted on day today.
func (r *Request) Validate(today Date) error {
	var v Validation
	r.Context = strings.TrimSpace(r.Context)
	r.Criteria.Language = strings.TrimSpace(r.Criteria.Language)
	r.Criteria.Seniority = strings.ToLower(strings.TrimSpace(r.Criteria.Seniority))
	if r.OpportunityID == 0 {
		v.Add("opportunity", "is required")
	}
	if r.ActivityTypeID == 0 {
		v.Add("activity_type", "is required")
	}
	if r.ReferencesNeeded == 0 {
		r.ReferencesNeeded = 1
	}
	if r.ReferencesNeeded < 1 || r.ReferencesNeeded > 10 {
		v.Add("references_needed", "must be between 1 and 10")
	}
	if r.DueDate.IsZero() {
		v.Add("due_date", "is required")
	} else if r.DueDate.Before(today) {
		v.Add("due_date", "must not be in the past")
	}
	if r.Criteria.Seniority != "" && !oneOf(r.Criteria.Seniority, Seniorities) {
		v.Add("seniority", "must be executive, director, manager or practitioner")
	}
	if len(r.Context) > 10000 {
		v.Add("context", "must be at most 10,000 characters")
	}
	return v.Err()
}

// RequestEvent is one entry of a request's timeline.
type RequestEvent struct {
	ID          int64        `json:"id"`
	Kind        string       `json:"kind"` // state, ask, answer, message, schedule, reminder, feedback
	From        RequestState `json:"from,omitempty"`
	To          RequestState `json:"to,omitempty"`
	ReferenceID int64        `json:"reference_id,omitempty"`
	Body        string       `json:"body"`
	Actor       string       `json:"actor"`
	At          time.Time    `json:"at"`
}

// Kinds of request events.
const (
	EventState    = "state"
	EventAsk      = "ask"
	EventAnswer   = "answer"
	EventMessage  = "message"
	EventSchedule = "schedule"
	EventReminder = "reminder"
	EventFeedback = "feedback"
	EventComplete = "complete"
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
	Version         int        `json:"version"`
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

// Notification is an in-app message to a user.
type Notification struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
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

// Mail is one email to send; it is stored in the outbox in the same
// transaction as the change it tells about, and sent from there.
type Mail struct {
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`          // plain text
	ICS       string `json:"ics,omitempty"` // an iCalendar invitation to attach
	RequestID int64  `json:"request_id,omitempty"`
}

// Outgoing is what a change tells people: mails and in-app notifications,
// written with the change so none is lost or sent for a change rolled back.
type Outgoing struct {
	Mails         []Mail
	Notifications []Notification
}

// LoggablePath is a request path fit for logs: the secret token of a
// signed link (/a/…, /f/…) is cut off, since anyone reading the log could
// otherwise answer for the advocate.
func LoggablePath(p string) string {
	if strings.HasPrefix(p, "/a/") || strings.HasPrefix(p, "/f/") {
		return p[:3] + "…"
	}
	return p
}
