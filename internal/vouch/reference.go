package vouch

import (
	"fmt"
	"strings"
	"time"
)

// Status is where a reference is in its lifecycle.
type Status string

// The lifecycle: nominated → qualifying → active → resting → retired; any → do-not-contact.
const (
	StatusNominated    Status = "nominated"
	StatusQualifying   Status = "qualifying"
	StatusActive       Status = "active"
	StatusResting      Status = "resting"
	StatusRetired      Status = "retired"
	StatusDoNotContact Status = "do_not_contact"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusNominated, StatusQualifying, StatusActive, StatusResting, StatusRetired, StatusDoNotContact}

// Label is the status for people.
func (s Status) Label() string {
	switch s {
	case StatusNominated:
		return "Nominated"
	case StatusQualifying:
		return "Qualifying"
	case StatusActive:
		return "Active"
	case StatusResting:
		return "Resting"
	case StatusRetired:
		return "Retired"
	case StatusDoNotContact:
		return "Do not contact"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// ParseStatus accepts a status by value or label, in any case ("Do not contact", "do-not-contact").
func ParseStatus(s string) (Status, bool) {
	k := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	if k == "dnc" {
		k = "do_not_contact"
	}
	st := Status(k)
	return st, st.Valid()
}

// transitions lists the allowed moves. Any status may also go to do-not-contact.
// Retired and do-not-contact references can be re-qualified when a customer
// comes back; they never jump straight to active without qualifying again.
var transitions = map[Status][]Status{
	StatusNominated:    {StatusQualifying, StatusRetired},
	StatusQualifying:   {StatusActive, StatusRetired, StatusNominated},
	StatusActive:       {StatusResting, StatusRetired},
	StatusResting:      {StatusActive, StatusRetired},
	StatusRetired:      {StatusQualifying},
	StatusDoNotContact: {StatusQualifying},
}

// NextStatuses lists where a reference in s may go.
func (s Status) NextStatuses() []Status {
	out := append([]Status(nil), transitions[s]...)
	if s != StatusDoNotContact {
		out = append(out, StatusDoNotContact)
	}
	return out
}

// StatusChange is a request to move a reference to another status.
type StatusChange struct {
	To     Status `json:"status"`
	Reason string `json:"reason"`
	Until  Date   `json:"until"` // for resting: back to active on this day
}

// CheckTransition validates moving from → c.To on day today.
func CheckTransition(from Status, c StatusChange, today Date) error {
	var v Validation
	if !c.To.Valid() {
		v.Add("status", "must be one of nominated, qualifying, active, resting, retired, do_not_contact")
		return v.Err()
	}
	allowed := false
	for _, s := range from.NextStatuses() {
		if s == c.To {
			allowed = true
		}
	}
	if !allowed && from != c.To {
		names := []string{}
		for _, s := range from.NextStatuses() {
			names = append(names, s.Label())
		}
		return &Error{Code: EINVALID, Message: fmt.Sprintf("A %s reference cannot become %s; it can become %s.",
			strings.ToLower(from.Label()), strings.ToLower(c.To.Label()), strings.Join(names, ", ")),
			Fields: map[string]string{"status": "cannot change from " + string(from) + " to " + string(c.To)}}
	}
	switch c.To {
	case StatusRetired, StatusDoNotContact:
		if strings.TrimSpace(c.Reason) == "" {
			v.Add("reason", "is required when a reference becomes "+strings.ToLower(c.To.Label()))
		}
	case StatusResting:
		if c.Until.IsZero() {
			v.Add("until", "is required: the day the reference is active again")
		} else if !c.Until.After(today) {
			v.Add("until", "must be after today")
		}
	}
	return v.Err()
}

// StatusEvent is one transition in a reference's history.
type StatusEvent struct {
	ID     int64     `json:"id"`
	From   Status    `json:"from"`
	To     Status    `json:"to"`
	Reason string    `json:"reason"`
	Until  Date      `json:"until"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
}

// Seniority levels of a reference.
var Seniorities = []string{"executive", "director", "manager", "practitioner"}

// Deployments of the product at the customer.
var Deployments = []string{"cloud", "on-premises", "hybrid"}

// AgreedActivity is an activity type a reference has agreed to, and when.
type AgreedActivity struct {
	TypeID      int64 `json:"activity_type_id"`
	ConsentedOn Date  `json:"consented_on"`
}

// Reference is a person at a customer account who vouches for us.
type Reference struct {
	ID               int64            `json:"id"`
	AccountID        int64            `json:"account_id"`
	Name             string           `json:"name"`
	Title            string           `json:"title"`
	Seniority        string           `json:"seniority"`
	Email            string           `json:"email"`
	Phone            string           `json:"phone"`
	TimeZone         string           `json:"time_zone"`
	Languages        []string         `json:"languages"`
	ProductIDs       []int64          `json:"product_ids"`
	UseCaseIDs       []int64          `json:"use_case_ids"`
	CompetitorIDs    []int64          `json:"competitor_ids"` // competitors replaced
	Deployment       string           `json:"deployment"`
	GoLive           Date             `json:"go_live"`
	Story            string           `json:"story"`
	Activities       []AgreedActivity `json:"activities"`
	OwnerID          int64            `json:"owner_id,omitempty"`
	LastVerified     Date             `json:"last_verified"`
	Status           Status           `json:"status"`
	StatusReason     string           `json:"status_reason"`
	RestingUntil     Date             `json:"resting_until"`
	CapacityOverride *int             `json:"capacity_override"` // activities per rolling 90 days; nil = the default
	CRMID            string           `json:"crm_id"`
	Version          int              `json:"version"`
	CreatedAt        time.Time        `json:"created_at"`
	UpdatedAt        time.Time        `json:"updated_at"`
}

// StaleAfter is how long a verification lasts.
const StaleAfterDays = 365

// Stale reports whether the reference has not been verified in the last 12 months.
func (r *Reference) Stale(today Date) bool {
	return r.LastVerified.IsZero() || r.LastVerified.AddDays(StaleAfterDays).Before(today)
}

// EffectiveStatus is the status as of today: a rest that has ended counts as active.
func (r *Reference) EffectiveStatus(today Date) Status {
	if r.Status == StatusResting && !r.RestingUntil.IsZero() && !today.Before(r.RestingUntil) {
		return StatusActive
	}
	return r.Status
}

// Normalize writes the fields a person types in their stored form: spaces
// trimmed, email and choices in lower case, languages without repeats, a
// missing status nominated. It checks nothing; the store applies it to
// every save, so unique emails and CRM ids compare alike.
func (r *Reference) Normalize() {
	r.Name = strings.Join(strings.Fields(r.Name), " ")
	r.Title = strings.TrimSpace(r.Title)
	r.Email = NormalizeEmail(r.Email)
	r.Phone = strings.TrimSpace(r.Phone)
	r.TimeZone = strings.TrimSpace(r.TimeZone)
	r.Seniority = strings.ToLower(strings.TrimSpace(r.Seniority))
	r.Deployment = strings.ToLower(strings.TrimSpace(r.Deployment))
	r.CRMID = strings.TrimSpace(r.CRMID)
	if r.Status == "" {
		r.Status = StatusNominated
	}
	langs := r.Languages[:0]
	seen := map[string]bool{}
	for _, l := range r.Languages {
		l = strings.TrimSpace(l)
		if l != "" && !seen[strings.ToLower(l)] {
			seen[strings.ToLower(l)] = true
			langs = append(langs, l)
		}
	}
	r.Languages = langs
}

// Validate normalises and checks the fields a person types. The services
// and the import plan run it once per save; the store does not repeat it.
func (r *Reference) Validate() error {
	var v Validation
	r.Normalize()
	if r.Name == "" {
		v.Add("name", "is required")
	} else if len(r.Name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if r.AccountID == 0 {
		v.Add("account", "is required")
	}
	if r.Email != "" {
		if msg := ValidateEmail(r.Email); msg != "" {
			v.Add("email", msg)
		}
	}
	if r.Seniority != "" && !oneOf(r.Seniority, Seniorities) {
		v.Add("seniority", "must be executive, director, manager or practitioner")
	}
	if r.Deployment != "" && !oneOf(r.Deployment, Deployments) {
		v.Add("deployment", "must be cloud, on-premises or hybrid")
	}
	if r.TimeZone != "" {
		if !KnownTimeZone(r.TimeZone) {
			v.Add("time_zone", "must be a time zone like Europe/Berlin or America/New_York")
		}
	}
	if !r.Status.Valid() {
		v.Add("status", "must be one of nominated, qualifying, active, resting, retired, do_not_contact")
	}
	if r.CapacityOverride != nil && (*r.CapacityOverride < 0 || *r.CapacityOverride > 100) {
		v.Add("capacity", "must be between 0 and 100 activities per 90 days")
	}
	if len(r.Story) > 20000 {
		v.Add("story", "must be at most 20,000 characters")
	}
	return v.Err()
}

// CapacityWindowDays is the rolling window over which activities count against capacity.
const CapacityWindowDays = 90

// Capacity is how much a reference may still be asked to do.
type Capacity struct {
	Max      int  `json:"max"`       // activities allowed per rolling window
	Used     int  `json:"used"`      // activities in the window ending today
	NextFree Date `json:"next_free"` // when a slot frees up, if none is free now
}

// Free reports whether a slot is free now.
func (c Capacity) Free() bool { return c.Used < c.Max }

// ComputeCapacity counts activity dates in the window ending today. dates may be in any order.
func ComputeCapacity(max int, dates []Date, today Date) Capacity {
	start := today.AddDays(-CapacityWindowDays + 1)
	var in []Date
	for _, d := range dates {
		if !d.Before(start) && !d.After(today) {
			in = append(in, d)
		}
	}
	c := Capacity{Max: max, Used: len(in)}
	// With a limit of 0 no slot ever frees.
	if max > 0 && c.Used >= max {
		// The slot frees when enough of the oldest activities leave the window.
		sortDates(in)
		k := c.Used - max // the (k+1)-th oldest must leave
		c.NextFree = in[k].AddDays(CapacityWindowDays)
	}
	return c
}

func sortDates(ds []Date) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Before(ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// Activity is something a reference did for the program (a call, a case study …).
type Activity struct {
	ID          int64  `json:"id"`
	ReferenceID int64  `json:"reference_id"`
	TypeID      int64  `json:"activity_type_id"`
	OccurredOn  Date   `json:"occurred_on"`
	Notes       string `json:"notes"`
	// State is "done", or "booked" for one an advocate accepted that has
	// not happened yet; both count against capacity.
	State         string `json:"state"`
	RequestID     int64  `json:"request_id,omitempty"`
	OpportunityID int64  `json:"opportunity_id,omitempty"`
	// OppStage and OppAmountCents are the opportunity's stage and amount
	// when the activity was tied to it (for imported history: the file's
	// stage, else the deal's stage only while it is open).
	OppStage       string    `json:"opp_stage"`
	OppAmountCents int64     `json:"opp_amount_cents"`
	Points         int       `json:"points"`            // earned by the advocate
	ThankYou       string    `json:"thank_you"`         // gift, donation, swag, none
	ThankYouSentOn Date      `json:"thank_you_sent_on"` // zero: not sent yet
	CreatedAt      time.Time `json:"created_at"`
}

// Activity states.
const (
	ActivityDone   = "done"
	ActivityBooked = "booked"
)

// DefaultCapacity is the number of activities per 90 days a reference may do unless overridden.
const DefaultCapacity = 3

// Availability is what a page says of whether a reference can be asked
// now: the capacity of an active one; of any other, why not — a retired or
// nominated reference with free slots is still not to be asked.
type Availability struct {
	Askable bool   // active: its capacity is what counts
	Note    string // why it cannot be asked, when it cannot: "Retired — not asked any more"
}

// AvailabilityOf decides the availability of a reference in status s as of
// today (EffectiveStatus), resting until restingUntil when it rests.
func AvailabilityOf(s Status, restingUntil Date) Availability {
	switch s {
	case StatusActive:
		return Availability{Askable: true}
	case StatusNominated:
		return Availability{Note: "Nominated — not asked before qualifying"}
	case StatusQualifying:
		return Availability{Note: "Qualifying — not asked yet"}
	case StatusResting:
		if !restingUntil.IsZero() {
			return Availability{Note: "Resting — not asked before " + restingUntil.Time().Format("2 Jan 2006")}
		}
		return Availability{Note: "Resting — not asked for now"}
	case StatusRetired:
		return Availability{Note: "Retired — not asked any more"}
	case StatusDoNotContact:
		return Availability{Note: "Do not contact"}
	}
	return Availability{Note: s.Label()}
}
