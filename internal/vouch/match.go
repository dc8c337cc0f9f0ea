package vouch

import (
	"fmt"
	"strings"
	"unicode"
)

// Matching a reference to a request: hard rules decide who may be asked at
// all; the request's criteria are points, not filters, so every reference
// that passes the rules is listed, best first, with the criteria it meets
// and misses. This file holds the words of both, so the index, the service
// and the pages say them alike.

// Criterion names for people, as reasons say them ("industry: Healthcare").
const (
	CritIndustry   = "industry"
	CritRegion     = "region"
	CritProduct    = "product"
	CritCountry    = "country"
	CritSize       = "company size"
	CritUseCase    = "use case"
	CritCompetitor = "competitor"
	CritLanguage   = "language"
	CritSeniority  = "seniority"
)

// CriterionPoints are what meeting each criterion of a request earns, most
// important first. References and content are ranked for a request by the
// same points, so "fits" means the same on both lists.
var CriterionPoints = map[string]int{CritIndustry: 40, CritRegion: 25, CritProduct: 20, CritCountry: 15,
	CritSize: 10, CritUseCase: 15, CritCompetitor: 15, CritLanguage: 10, CritSeniority: 10}

// Criterion is one criterion of a request held against one reference.
type Criterion struct {
	Name   string `json:"name"`   // "industry"
	Value  string `json:"value"`  // "Insurance"
	Points int    `json:"points"` // what meeting it earns
	Met    bool   `json:"met"`
}

// Label is the criterion in words: "industry: Insurance".
func (c Criterion) Label() string { return c.Name + ": " + c.Value }

// String marks the criterion met or missed: "✓ industry: Insurance",
// "✗ product: Mobile".
func (c Criterion) String() string {
	if c.Met {
		return "✓ " + c.Label()
	}
	return "✗ " + c.Label()
}

// The hard rules of matching, as RuleFailure.Rule names them.
const (
	RuleAskedForOpportunity = "asked_for_opportunity" // already asked for the same opportunity
	RuleStatus              = "status"                // not active (a rest that ended counts as active)
	RuleActivityType        = "activity_type"         // not agreed to the request's activity type
	RuleCapacity            = "capacity"              // no free capacity from today to the due date
	RuleHeldBack            = "held_back"             // held back by the ask ledger's fatigue rules
)

// RuleFailure is one hard rule a reference fails for a request, in words:
// "at capacity until 14 Mar 2027", "not agreed to a call", "do not contact".
type RuleFailure struct {
	Rule string `json:"rule"`
	Text string `json:"text"`
}

// StatusFailure is the failure of a reference that is not active on today.
func StatusFailure(r *Reference, today Date) RuleFailure {
	var text string
	switch s := r.EffectiveStatus(today); s {
	case StatusResting:
		text = "resting"
		if !r.RestingUntil.IsZero() {
			text = "resting until " + ShortDate(r.RestingUntil, today)
		}
	case StatusNominated, StatusQualifying:
		text = strings.ToLower(s.Label()) + ", not active yet"
	default:
		text = strings.ToLower(s.Label())
	}
	if reason := strings.TrimSpace(r.StatusReason); reason != "" && r.Status != StatusActive {
		text += " (“" + reason + "”)"
	}
	return RuleFailure{Rule: RuleStatus, Text: text}
}

// ActivityFailure is the failure of a reference that has not agreed to the
// request's activity type, named for people ("Call").
func ActivityFailure(typeName string) RuleFailure {
	return RuleFailure{Rule: RuleActivityType, Text: "not agreed to " + WithArticle(typeName)}
}

// CapacityFailure is the failure of a reference with no free capacity
// before the due date: max activities per 90 days, the first day one is
// free again (zero: never, as with a capacity of 0).
func CapacityFailure(max int, nextFree, today Date) RuleFailure {
	if max <= 0 || nextFree.IsZero() {
		return RuleFailure{Rule: RuleCapacity, Text: "takes no activities (capacity 0)"}
	}
	return RuleFailure{Rule: RuleCapacity, Text: "at capacity until " + ShortDate(nextFree, today)}
}

// AskedForOpportunityFailure is the failure of a reference already asked
// for the request's opportunity: a prospect hears from each advocate once.
func AskedForOpportunityFailure() RuleFailure {
	return RuleFailure{Rule: RuleAskedForOpportunity, Text: "already asked for this opportunity"}
}

// HeldBackFailure is the failure of a reference the ask ledger's fatigue
// rules hold back, with their sentence (FatigueRules.HoldBack).
func HeldBackFailure(reason string) RuleFailure {
	return RuleFailure{Rule: RuleHeldBack, Text: "held back: " + reason}
}

// ShortDate is a day for a sentence: "14 Mar", with the year when it is
// not today's year ("14 Mar 2028").
func ShortDate(d, today Date) string {
	if d.Time().Year() == today.Time().Year() {
		return d.Time().Format("2 Jan")
	}
	return d.Time().Format("2 Jan 2006")
}

// WithArticle is "a call", "an analyst", "an RFP"-style wording of an
// activity type's name, for sentences; acronyms keep their capitals.
func WithArticle(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return "the activity"
	}
	if strings.ToUpper(name) != name {
		name = strings.ToLower(name)
	}
	article := "a "
	if strings.ContainsRune("aeiouAEIOU", rune(name[0])) || (unicode.IsUpper(rune(name[0])) && strings.ContainsRune("FHLMNRSX", rune(name[0]))) {
		article = "an "
	}
	return article + name
}

// MatchSummary is the one sentence above a request's matches: how many of
// the eligible references meet every one of the asked criteria. Empty when
// nothing needs saying (no criteria, nobody eligible, everyone meets them).
func MatchSummary(eligible, meetAll, criteria int) string {
	switch {
	case criteria == 0 || eligible == 0 || meetAll == eligible:
		return ""
	case meetAll == 0:
		return "No reference meets every criterion; best first."
	case meetAll == 1:
		return "1 meets every criterion; the others follow, best first."
	}
	return fmt.Sprintf("%d meet every criterion; the others follow, best first.", meetAll)
}

// AskWarnings are what the team confirms before asking a reference it
// chose itself: each criterion of the request it misses, then each sign
// that it was asked or used a lot lately (fatigue, as the matcher reports
// it: "asked 9 days ago", "2 activities in the last 90 days").
func AskWarnings(criteria []Criterion, fatigue []string) []string {
	var out []string
	for _, c := range criteria {
		if !c.Met {
			out = append(out, "Does not meet "+c.Label())
		}
	}
	for _, f := range fatigue {
		if f != "" {
			out = append(out, strings.ToUpper(f[:1])+f[1:])
		}
	}
	return out
}

// UnconfirmedAsk is the answer to asking, unconfirmed, a reference with
// warnings: nothing was asked; the warnings are to be shown and the ask
// made again, confirmed. Its code is ECONFLICT.
type UnconfirmedAsk struct {
	Reference string   // the reference's name
	Warnings  []string // AskWarnings
}

// Error implements the error interface.
func (e *UnconfirmedAsk) Error() string { return e.err().Message }

// Unwrap lets ErrorCode and ErrorMessage read it as an *Error.
func (e *UnconfirmedAsk) Unwrap() error { return e.err() }

func (e *UnconfirmedAsk) err() *Error {
	n := len(e.Warnings)
	word := "warning"
	if n != 1 {
		word = "warnings"
	}
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("Confirm asking %s despite %d %s: %s.", e.Reference, n, word,
		strings.Join(e.Warnings, "; ")), Fields: map[string]string{"confirm": "is required to ask despite the warnings"}}
}
