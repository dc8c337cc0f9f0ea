package vouch

import (
	"fmt"
	"strings"
	"time"
)

// The teams whose asks of a customer land in the ask ledger. Asks made
// for a request are the sales team's.
const (
	TeamMarketing        = "marketing"
	TeamPR               = "pr"
	TeamAnalystRelations = "analyst_relations"
	TeamSales            = "sales"
	TeamReviewCampaign   = "review_campaign"
	TeamOther            = "other"
	// TeamReferenceProgram is the program team's own recruiting outreach;
	// it is logged by the campaign, never by hand.
	TeamReferenceProgram = "reference_program"
)

// AskTeams are the teams an ask can be logged for, in the order forms offer them.
var AskTeams = []string{TeamMarketing, TeamPR, TeamAnalystRelations, TeamSales, TeamReviewCampaign, TeamOther}

// TeamLabel is how a team is named on pages.
func TeamLabel(team string) string {
	switch team {
	case TeamMarketing:
		return "Marketing"
	case TeamPR:
		return "PR"
	case TeamAnalystRelations:
		return "Analyst relations"
	case TeamSales:
		return "Sales"
	case TeamReviewCampaign:
		return "Review campaign"
	case TeamReferenceProgram:
		return "Reference program"
	}
	return "Other"
}

// Where a ledger entry comes from.
const (
	LedgerFromRequest = "request" // an ask made for a seller's request
	LedgerFromTeam    = "team"    // an ask another team made, logged by the program team
	// LedgerFromCampaign is a recruiting campaign's outreach to a contact
	// at an account: an ask of the account (the contact is no reference yet).
	LedgerFromCampaign = "campaign"
)

// LedgerEntry is one ask of a customer in the ask ledger: a request's ask
// or another team's logged ask.
type LedgerEntry struct {
	Source        string    `json:"source"`         // request, team or campaign
	ID            int64     `json:"id"`             // the ask's or the logged ask's id
	ReferenceID   int64     `json:"reference_id"`   //
	ReferenceName string    `json:"reference_name"` //
	AccountID     int64     `json:"account_id"`     //
	AccountName   string    `json:"account_name"`   //
	Team          string    `json:"team"`           // one of AskTeams
	AskedOn       Date      `json:"asked_on"`       // the day the customer was asked
	AskedBy       int64     `json:"asked_by,omitempty"`
	AskedByName   string    `json:"asked_by_name"` // who asked (or logged) it; "" not known
	What          string    `json:"what"`          // what was asked, e.g. "Press quote"
	Outcome       string    `json:"outcome"`       // "" not known yet
	RequestID     int64     `json:"request_id,omitempty"`
	CampaignID    int64     `json:"campaign_id,omitempty"` // the campaign whose outreach it is
	CreatedAt     time.Time `json:"created_at"`
}

// TeamAsk is an ask another team made of a reference, as logged.
type TeamAsk struct {
	ID          int64  `json:"id"`
	ReferenceID int64  `json:"reference_id"`
	Team        string `json:"team"`
	AskedOn     Date   `json:"asked_on"`
	What        string `json:"what"`
	Outcome     string `json:"outcome"`
	LoggedBy    int64  `json:"logged_by,omitempty"`
}

// Normalize trims the logged ask's text.
func (a *TeamAsk) Normalize() {
	a.Team = strings.TrimSpace(strings.ToLower(a.Team))
	a.What, a.Outcome = strings.TrimSpace(a.What), strings.TrimSpace(a.Outcome)
}

// Validate checks a logged ask names its reference, team, day and what was
// asked; the day may not be in the future.
func (a *TeamAsk) Validate(today Date) error {
	var v Validation
	if a.ReferenceID <= 0 {
		v.Add("reference_id", "is required")
	}
	known := false
	for _, t := range AskTeams {
		known = known || t == a.Team
	}
	if !known {
		v.Add("team", "must be one of "+strings.Join(AskTeams, ", "))
	}
	if a.AskedOn.IsZero() {
		v.Add("asked_on", "is required")
	} else if a.AskedOn.After(today) {
		v.Add("asked_on", "may not be in the future")
	}
	if a.What == "" {
		v.Add("what", "is required")
	} else if len(a.What) > 500 {
		v.Add("what", "must be at most 500 characters")
	}
	if len(a.Outcome) > 500 {
		v.Add("outcome", "must be at most 500 characters")
	}
	return v.Err()
}

// FatigueRules protect customers from being asked by every team at once.
// A cap of 0 is no cap; a cool-down of 0 days is none.
type FatigueRules struct {
	PeriodDays   int // the rolling window the caps count over
	ReferenceCap int // asks per reference per period
	AccountCap   int // asks per account (all its references) per period
	CooldownDays int // days after an activity before the reference is asked again
}

// FatigueRules are the program's fatigue rules from its settings.
func (s ProgramSettings) FatigueRules() FatigueRules {
	return FatigueRules{PeriodDays: s.LedgerPeriodDays, ReferenceCap: s.LedgerReferenceCap,
		AccountCap: s.LedgerAccountCap, CooldownDays: s.LedgerCooldownDays}
}

// FatigueFacts are what the rules look at for one reference on one day.
type FatigueFacts struct {
	ReferenceName string
	AccountName   string
	ReferenceAsks []Date // days the reference was asked (any team)
	AccountAsks   []Date // days any reference of the account was asked (any team)
	LastActivity  Date   // the reference's latest activity on or before today; zero none
	ActivityType  string // its type's name, e.g. "Call"
	FlagReason    string // the account's flag: escalation, renewal; "" not flagged
	FlagUntil     Date
}

// ErrHeldBack is the error of an ask refused by the fatigue rules: the
// reason is the sentence a page shows.
func ErrHeldBack(reason string) error {
	return Errorf(ECONFLICT, "%s", reason)
}

// HoldBack is why the fatigue rules hold a reference back today, or ""
// when it may be asked. A flag ends after its until-day; a cool-down runs
// CooldownDays from the activity's day.
func (r FatigueRules) HoldBack(f FatigueFacts, today Date) string {
	if f.FlagReason != "" && (f.FlagUntil.IsZero() || !today.After(f.FlagUntil)) {
		if f.FlagUntil.IsZero() {
			return fmt.Sprintf("%s is flagged: %s", f.AccountName, f.FlagReason)
		}
		return fmt.Sprintf("%s is flagged: %s until %s", f.AccountName, f.FlagReason, shortDay(f.FlagUntil))
	}
	if r.CooldownDays > 0 && !f.LastActivity.IsZero() {
		until := f.LastActivity.AddDays(r.CooldownDays)
		if today.Before(until) {
			what := "an activity"
			if f.ActivityType != "" {
				what = WithArticle(f.ActivityType)
			}
			return fmt.Sprintf("%s: cool-down until %s after %s on %s", f.ReferenceName, shortDay(until),
				what, shortDay(f.LastActivity))
		}
	}
	period := r.PeriodDays
	if period <= 0 {
		period = DefaultLedgerPeriodDays
	}
	if r.AccountCap > 0 {
		if n := countSince(f.AccountAsks, today, period); n >= r.AccountCap {
			return fmt.Sprintf("%s has been asked %d %s in %d days (cap %d)", f.AccountName, n, times(n), period, r.AccountCap)
		}
	}
	if r.ReferenceCap > 0 {
		if n := countSince(f.ReferenceAsks, today, period); n >= r.ReferenceCap {
			return fmt.Sprintf("%s has been asked %d %s in %d days (cap %d)", f.ReferenceName, n, times(n), period, r.ReferenceCap)
		}
	}
	return ""
}

// countSince counts the days within the period ending today.
func countSince(days []Date, today Date, period int) int {
	from := today.AddDays(-period + 1)
	n := 0
	for _, d := range days {
		if !d.Before(from) && !d.After(today) {
			n++
		}
	}
	return n
}

func times(n int) string {
	if n == 1 {
		return "time"
	}
	return "times"
}

// shortDay is a day as a sentence says it: "14 Jan 2027".
func shortDay(d Date) string { return d.Time().Format("2 Jan 2006") }

// AccountFlag holds every reference of an account back while an
// escalation or a renewal is open, through its until-day.
type AccountFlag struct {
	Reason string `json:"reason"` // e.g. "renewal", "escalation"; "" not flagged
	Until  Date   `json:"until"`
}

// ValidateAccountFlag checks a flag being set: a reason needs an
// until-day that is not past; clearing (no reason) needs nothing.
func ValidateAccountFlag(reason string, until, today Date) error {
	var v Validation
	if reason == "" {
		return nil
	}
	if len(reason) > 200 {
		v.Add("reason", "must be at most 200 characters")
	}
	if until.IsZero() {
		v.Add("until", "is required: the day the escalation or renewal is expected to close")
	} else if until.Before(today) {
		v.Add("until", "may not be in the past")
	}
	return v.Err()
}
