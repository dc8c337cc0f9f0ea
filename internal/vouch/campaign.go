package vouch

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EntityCampaign and EntityCampaignContact are the audit log's kinds of
// recruiting campaigns and their outreach.
const (
	EntityCampaign        EntityKind = "campaign"
	EntityCampaignContact EntityKind = "campaign_contact"
	EntityDriveAdvocate   EntityKind = "drive_advocate"
)

// What a campaign is aimed at.
const (
	// AimGap recruits references for a gap in coverage: a value of a
	// coverage dimension and an activity type.
	AimGap = "gap"
	// AimGoal recruits for a program goal: candidates come from the goal's
	// filter, or are every customer without an active reference.
	AimGoal = "goal"
	// AimDrive is a review-site or content drive ("10 reviews on G2 this
	// quarter"): a target count of items by a due day, asked of existing
	// references, tracked per advocate.
	AimDrive = "drive"
)

// CampaignAims lists the aims.
var CampaignAims = []string{AimGap, AimGoal, AimDrive}

// Campaign recruits references for a gap in coverage or a goal, or runs a
// review-site or content drive among existing references.
type Campaign struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	Aim            string    `json:"aim"`                 // gap, goal or drive
	Dimension      string    `json:"dimension,omitempty"` // a gap's: industry, region, product, segment or size
	ValueID        int64     `json:"value_id,omitempty"`
	ActivityTypeID int64     `json:"activity_type_id,omitempty"` // a gap's; a goal's optionally (what nominees might do)
	GoalID         int64     `json:"goal_id,omitempty"`          // a goal campaign's goal
	DriveWhat      string    `json:"drive_what,omitempty"`       // a drive's item, e.g. "Review on G2"
	DriveTarget    int       `json:"drive_target,omitempty"`     // a drive's target count of items done
	DueOn          Date      `json:"due_on"`                     // a drive's due day
	CreatedBy      int64     `json:"created_by,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	// OutreachSubject and OutreachBody are the outreach mail, with
	// {{name}}, {{account}} and {{sender}} filled in per contact; empty,
	// the default text.
	OutreachSubject string `json:"outreach_subject"`
	OutreachBody    string `json:"outreach_body"`
	// State is open until the program team closes the campaign, on
	// ClosedOn, by ClosedBy, with an optional note of its Outcome.
	State    CampaignState `json:"state"`
	ClosedOn Date          `json:"closed_on"`
	ClosedBy int64         `json:"closed_by,omitempty"`
	Outcome  string        `json:"outcome"`
	Version  int           `json:"version"` // optimistic concurrency: bumped by every rename, close and reopen
}

// CampaignState is whether a campaign still runs.
type CampaignState string

// Campaign states.
const (
	CampaignOpen   CampaignState = "open"
	CampaignClosed CampaignState = "closed"
)

// Closed tells whether the campaign was closed: it takes no more outreach
// or invitations, while its history, funnel and metrics still count.
func (c *Campaign) Closed() bool { return c.State == CampaignClosed }

// CampaignChange renames, closes or reopens a campaign: nil fields are
// unchanged. Note is the outcome, kept when closing.
type CampaignChange struct {
	Name  *string
	State *CampaignState
	Note  *string
}

// Apply checks the change and applies it to c, closed on day today by user
// by: closing records the day, who and the outcome note; reopening clears
// them (the audit log keeps them). It answers whether anything changed.
func (ch CampaignChange) Apply(c *Campaign, today Date, by int64) (bool, error) {
	var v Validation
	before := *c
	if ch.Name != nil {
		name := strings.Join(strings.Fields(*ch.Name), " ")
		if name == "" || utf8.RuneCountInString(name) > 200 {
			v.Add("name", "must be 1–200 characters")
		}
		c.Name = name
	}
	var note string
	if ch.Note != nil {
		note = strings.TrimSpace(*ch.Note)
		if utf8.RuneCountInString(note) > 5000 {
			v.Add("note", "must be at most 5,000 characters")
		}
	}
	to := c.State
	if ch.State != nil {
		to = *ch.State
		if to != CampaignOpen && to != CampaignClosed {
			v.Add("state", "must be open or closed")
		}
	}
	if ch.Note != nil && to != CampaignClosed {
		v.Add("note", "is the outcome of a closed campaign: close it to record one")
	}
	if err := v.Err(); err != nil {
		*c = before
		return false, err
	}
	switch {
	case to == CampaignClosed && c.State != CampaignClosed:
		c.State, c.ClosedOn, c.ClosedBy, c.Outcome = CampaignClosed, today, by, note
	case to == CampaignClosed && ch.Note != nil:
		c.Outcome = note
	case to == CampaignOpen && c.State == CampaignClosed:
		c.State, c.ClosedOn, c.ClosedBy, c.Outcome = CampaignOpen, Date{}, 0, ""
	}
	return c.Name != before.Name || c.State != before.State || c.Outcome != before.Outcome, nil
}

// ErrCampaignClosed refuses what a closed campaign no longer takes.
func ErrCampaignClosed(c *Campaign) error {
	return &Error{Code: EINVALID, Message: "The campaign “" + c.Name + "” is closed: reopen it to go on.",
		Fields: map[string]string{"campaign": "is closed since " + c.ClosedOn.String() + ": reopen it to go on"}}
}

// CampaignDimensions are the dimensions a campaign can aim at.
var CampaignDimensions = []string{"industry", "region", "product", "segment", "size"}

// Validate checks what a campaign needs for its aim (empty: a gap).
func (c *Campaign) Validate() error {
	var v Validation
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.DriveWhat = strings.Join(strings.Fields(c.DriveWhat), " ")
	if c.Aim == "" {
		c.Aim = AimGap
	}
	if c.Name == "" || len(c.Name) > 200 {
		v.Add("name", "must be 1–200 characters")
	}
	switch c.Aim {
	case AimGap:
		if !slices.Contains(CampaignDimensions, c.Dimension) {
			v.Add("dimension", "must be one of "+strings.Join(CampaignDimensions, ", "))
		}
		if c.ValueID <= 0 {
			v.Add("value_id", "must name a value of the dimension")
		}
		if c.ActivityTypeID <= 0 {
			v.Add("activity_type_id", "must name an activity type")
		}
	case AimGoal:
		if c.GoalID <= 0 {
			v.Add("goal_id", "must name the program goal the campaign recruits for")
		}
		c.Dimension, c.ValueID = "", 0
	case AimDrive:
		if c.DriveWhat == "" || len(c.DriveWhat) > 200 {
			v.Add("drive_what", "must say what each advocate is asked for, e.g. Review on G2 (1–200 characters)")
		}
		if c.DriveTarget < 1 || c.DriveTarget > 10000 {
			v.Add("drive_target", "must be a whole number from 1 to 10,000")
		}
		if c.DueOn.IsZero() {
			v.Add("due_on", "must be the day the drive is due, like 2027-03-31")
		}
		c.Dimension, c.ValueID, c.ActivityTypeID = "", 0, 0
	default:
		v.Add("aim", "must be one of "+strings.Join(CampaignAims, ", "))
	}
	return v.Err()
}

// AimLabel is the aim as pages name it.
func (c *Campaign) AimLabel() string {
	switch c.Aim {
	case AimGoal:
		return "Goal"
	case AimDrive:
		return "Drive"
	}
	return "Gap"
}

// OutreachState is where the outreach to one candidate contact stands.
type OutreachState string

// Outreach states, in order.
const (
	OutreachToContact  OutreachState = "to_contact"
	OutreachContacted  OutreachState = "contacted"
	OutreachInterested OutreachState = "interested"
	OutreachNominated  OutreachState = "nominated"
	OutreachDeclined   OutreachState = "declined"
)

// OutreachStates lists the states in order.
var OutreachStates = []OutreachState{OutreachToContact, OutreachContacted, OutreachInterested, OutreachNominated, OutreachDeclined}

// Label is the state as pages show it.
func (s OutreachState) Label() string {
	switch s {
	case OutreachToContact:
		return "To contact"
	case OutreachContacted:
		return "Contacted"
	case OutreachInterested:
		return "Interested"
	case OutreachNominated:
		return "Nominated"
	case OutreachDeclined:
		return "Declined"
	}
	return string(s)
}

// Next lists the states outreach may move to from s: forward one step, or
// declined; nominated and declined are final.
func (s OutreachState) Next() []OutreachState {
	switch s {
	case OutreachToContact:
		return []OutreachState{OutreachContacted, OutreachDeclined}
	case OutreachContacted:
		return []OutreachState{OutreachInterested, OutreachDeclined}
	case OutreachInterested:
		return []OutreachState{OutreachNominated, OutreachDeclined}
	}
	return nil
}

// CanMove reports whether outreach may move from s to to.
func (s OutreachState) CanMove(to OutreachState) bool { return slices.Contains(s.Next(), to) }

// CampaignContact is one contact at a candidate account and where the
// outreach to them stands. Notes keep the replies, newest last.
type CampaignContact struct {
	ID           int64         `json:"id"`
	CampaignID   int64         `json:"campaign_id"`
	AccountID    int64         `json:"account_id"`
	Name         string        `json:"name"`
	Email        string        `json:"email"`
	State        OutreachState `json:"state"`
	Notes        string        `json:"notes"`
	NominationID int64         `json:"nomination_id,omitempty"` // the nomination made when nominated
	// ContactedOn is the day the outreach mail went out (the ask in the
	// account's ledger); zero not yet. ContactedBy sent it.
	ContactedOn Date      `json:"contacted_on"`
	ContactedBy int64     `json:"contacted_by,omitempty"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks a new contact.
func (c *CampaignContact) Validate() error {
	var v Validation
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.Email = NormalizeEmail(c.Email)
	if c.Name == "" || len(c.Name) > 200 {
		v.Add("name", "must be 1–200 characters")
	}
	if c.Email != "" && !validEmail(c.Email) {
		v.Add("email", "must be an email address like name@example.com")
	}
	if c.AccountID <= 0 {
		v.Add("account_id", "must name the candidate account")
	}
	return v.Err()
}

// The outreach mail a campaign sends when it has none of its own. The
// placeholders are filled in per contact by RenderOutreach.
const (
	DefaultOutreachSubject = "Would you tell others about your work with us, {{name}}?"
	DefaultOutreachBody    = `Hello {{name}},

Thank you for all you and the team at {{account}} do with us. Other companies
like yours often ask to hear from a customer before they decide, and we would
love to introduce them to you from time to time: a short call, a quote or a
case study, always at a time that suits you and never more often than you
agree to.

Would you be open to it? Reply to this mail and I will tell you more.

Best regards,
{{sender}}`
)

// OutreachPlaceholders are the placeholders an outreach template may use.
var OutreachPlaceholders = []string{"{{name}}", "{{account}}", "{{sender}}"}

// OutreachTemplate is the campaign's outreach mail, or the default.
func (c *Campaign) OutreachTemplate() (subject, body string) {
	subject, body = c.OutreachSubject, c.OutreachBody
	if strings.TrimSpace(subject) == "" {
		subject = DefaultOutreachSubject
	}
	if strings.TrimSpace(body) == "" {
		body = DefaultOutreachBody
	}
	return subject, body
}

// RenderOutreach fills in the placeholders of an outreach template for the
// contact name at account, sent by sender.
func RenderOutreach(tpl, name, account, sender string) string {
	return strings.NewReplacer("{{name}}", name, "{{account}}", account, "{{sender}}", sender).Replace(tpl)
}

// ValidateOutreach checks an outreach mail (a template, or one rendered
// and edited before sending): a one-line subject, a body, and no
// placeholder left that RenderOutreach does not know.
func ValidateOutreach(subject, body string) error {
	var v Validation
	if s := strings.TrimSpace(subject); s == "" || len(s) > 200 || strings.ContainsAny(s, "\r\n") {
		v.Add("subject", "must be one line of 1–200 characters")
	}
	if b := strings.TrimSpace(body); b == "" || len(b) > 20000 {
		v.Add("body", "must be 1–20,000 characters")
	}
	for field, text := range map[string]string{"subject": subject, "body": body} {
		rest := RenderOutreach(text, "", "", "")
		if i := strings.Index(rest, "{{"); i >= 0 && strings.Contains(rest[i:], "}}") {
			end := strings.Index(rest[i:], "}}")
			v.Add(field, "has the unknown placeholder "+rest[i:i+end+2]+"; use "+strings.Join(OutreachPlaceholders, ", "))
		}
	}
	return v.Err()
}

// AdvocateState is where one advocate of a drive stands.
type AdvocateState string

// Advocate states, in order.
const (
	AdvocateInvited  AdvocateState = "invited"
	AdvocateAgreed   AdvocateState = "agreed"
	AdvocateDone     AdvocateState = "done"
	AdvocateDeclined AdvocateState = "declined"
)

// AdvocateStates lists the states in order.
var AdvocateStates = []AdvocateState{AdvocateInvited, AdvocateAgreed, AdvocateDone, AdvocateDeclined}

// Label is the state as pages show it.
func (s AdvocateState) Label() string {
	switch s {
	case AdvocateInvited:
		return "Invited"
	case AdvocateAgreed:
		return "Agreed"
	case AdvocateDone:
		return "Done"
	case AdvocateDeclined:
		return "Declined"
	}
	return string(s)
}

// Next lists the states an advocate may move to from s: invited → agreed →
// done, or declined before done; done and declined are final.
func (s AdvocateState) Next() []AdvocateState {
	switch s {
	case AdvocateInvited:
		return []AdvocateState{AdvocateAgreed, AdvocateDeclined}
	case AdvocateAgreed:
		return []AdvocateState{AdvocateDone, AdvocateDeclined}
	}
	return nil
}

// DriveAdvocate is one existing reference asked for an item of a drive.
type DriveAdvocate struct {
	ID            int64         `json:"id"`
	CampaignID    int64         `json:"campaign_id"`
	ReferenceID   int64         `json:"reference_id"`
	ReferenceName string        `json:"reference_name"`
	AccountName   string        `json:"account_name"`
	State         AdvocateState `json:"state"`
	// Evidence is where the item can be seen, e.g. the review's address;
	// required once done.
	Evidence  string    `json:"evidence"`
	Notes     string    `json:"notes"`
	InvitedOn Date      `json:"invited_on"` // the ask in the reference's ledger
	InvitedBy int64     `json:"invited_by,omitempty"`
	DoneOn    Date      `json:"done_on"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CheckAdvocateMove checks moving an advocate from one state to another
// with the evidence given: done needs the address where the item is seen.
func CheckAdvocateMove(from, to AdvocateState, evidence string) error {
	var v Validation
	if !slices.Contains(from.Next(), to) {
		v.Add("state", "cannot move from "+from.Label()+" to "+to.Label())
	}
	if to == AdvocateDone && evidence == "" {
		v.Add("evidence", "must be the address where the item can be seen, like https://www.g2.com/…")
	}
	if evidence != "" {
		if why := CheckContentURL(evidence); why != "" {
			v.Add("evidence", why)
		}
	}
	return v.Err()
}

// DriveProgress is a drive's items done against its target.
type DriveProgress struct {
	Invited  int `json:"invited"`
	Agreed   int `json:"agreed"`
	Done     int `json:"done"`
	Declined int `json:"declined"`
	Target   int `json:"target"`
	Percent  int `json:"percent"` // done per target, at most 100
}

// ProgressOf counts a drive's advocates against its target.
func ProgressOf(target int, advocates []*DriveAdvocate) DriveProgress {
	p := DriveProgress{Target: target}
	for _, a := range advocates {
		switch a.State {
		case AdvocateInvited:
			p.Invited++
		case AdvocateAgreed:
			p.Agreed++
		case AdvocateDone:
			p.Done++
		case AdvocateDeclined:
			p.Declined++
		}
	}
	if target > 0 {
		p.Percent = min(100, p.Done*100/target)
	}
	return p
}
