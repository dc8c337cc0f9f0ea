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

// Validate checks the rule's workflow and points.
func (r ActivityTypeRule) Validate() error {
	var v Validation
	if r.Workflow != WorkflowProgramManaged && r.Workflow != WorkflowSelfServe {
		v.Add("workflow", "must be program_managed or self_serve")
	}
	if r.Points < 0 || r.Points > 10000 {
		v.Add("points", "must be between 0 and 10,000")
	}
	return v.Err()
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

// RequestValue is one picklist value a request names: its field, the kind
// of value it must be, and the value (0 when not given).
type RequestValue struct {
	Field string
	Kind  TaxonomyKind
	ID    int64
}

// Values lists the picklist values a request names — its activity type and
// criteria — so every check of them walks one list.
func (r *Request) Values() []RequestValue {
	c := r.Criteria
	return []RequestValue{{"activity_type", TaxActivityType, r.ActivityTypeID}, {"industry", TaxIndustry, c.IndustryID},
		{"region", TaxRegion, c.RegionID}, {"country", TaxCountry, c.CountryID},
		{"company_size", TaxCompanySize, c.SizeID}, {"product", TaxProduct, c.ProductID},
		{"use_case", TaxUseCase, c.UseCaseID}, {"competitor", TaxCompetitor, c.CompetitorID}}
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
	// ProposedReferenceID is the reference the requester proposed, asking
	// from its profile (0: none); the team starts picking from it.
	ProposedReferenceID int64 `json:"proposed_reference_id,omitempty"`
	// OppStage and OppAmountCents are the opportunity's stage and amount
	// when the request was made ("stage at request"), kept as they were
	// when the deal later moves on.
	OppStage       string     `json:"opp_stage"`
	OppAmountCents int64      `json:"opp_amount_cents"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	ClosedAt       *time.Time `json:"closed_at"`
}

// Validate normalises and checks a request as submitted on day today.
func (r *Request) Validate(today Date) error {
	var v Validation
	r.check(&v, today, false)
	return v.Err()
}

// CheckNewRequest normalises and checks a new request submitted on day
// today and, when it comes with one, the new opportunity to create with
// it, recording every problem in v: the request's fields by their names,
// the opportunity's as "opportunity.<field>". One pass: a seller sees
// every mistake at once.
func CheckNewRequest(v *Validation, r *Request, opp *Opportunity, today Date) {
	r.check(v, today, opp != nil)
	if opp != nil {
		for f, reason := range ErrorFields(opp.Validate()) {
			v.Add("opportunity."+f, reason)
		}
	}
}

// MayRequestFor reports whether u may request references for opp: a
// seller for the opportunities they own; the program team for any.
func MayRequestFor(u *User, opp *Opportunity) bool {
	return u.Can(PermManageProgram) || (opp.OwnerID != 0 && opp.OwnerID == u.ID)
}

// NotYourOpportunity is the problem with an opportunity_id the requester
// may not request for (see MayRequestFor).
const NotYourOpportunity = "is not one of your opportunities: choose one you own, or describe a new one"

// check records the request's problems in v; newOpportunity says the
// opportunity comes with the request and has no id yet.
func (r *Request) check(v *Validation, today Date, newOpportunity bool) {
	r.Context = strings.TrimSpace(r.Context)
	r.Criteria.Language = strings.TrimSpace(r.Criteria.Language)
	r.Criteria.Seniority = strings.ToLower(strings.TrimSpace(r.Criteria.Seniority))
	if r.OpportunityID == 0 && !newOpportunity {
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
}

// RequestFilter selects requests; zero fields select all.
type RequestFilter struct {
	RequesterID int64
	AssigneeID  int64
	Unassigned  bool
	States      []RequestState
	Open        bool // not completed, declined, cancelled or unfulfilled
	DueBefore   Date // due on or before this day
	// OpportunityIDs, when given, keeps the requests on these deals.
	OpportunityIDs []int64
	Offset         int
	Limit          int // 0 = 100
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

// Notification is an in-app message to a user.
type Notification struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
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

// CheckRequestAssignable refuses assigning a closed request.
func CheckRequestAssignable(r *Request) error {
	if r.State.Closed() {
		return Errorf(ECONFLICT, "This request is %s; it cannot be assigned any more.", strings.ToLower(r.State.Label()))
	}
	return nil
}

// CheckRequestMessage normalises and checks a message for a request's timeline.
func CheckRequestMessage(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return body, &Error{Code: EINVALID, Message: "Write a message first.", Fields: map[string]string{"body": "is required"}}
	}
	if len(body) > 10000 {
		return body, &Error{Code: EINVALID, Message: "That message is too long.", Fields: map[string]string{"body": "must be at most 10,000 characters"}}
	}
	return body, nil
}

// SubmittedEvent is the first entry of a request's timeline.
const SubmittedEvent = "Request submitted"

// AssignedEvent is the entry of a request given to name ("" is nobody).
func AssignedEvent(name string) string {
	if name == "" {
		name = "nobody"
	}
	return "Assigned to " + name
}
