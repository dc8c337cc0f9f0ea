package vouch

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Sharing the scorecard: read-only links for executives without an
// account, and scorecards mailed when a month or quarter closes.

// Entity kinds of sharing, as the audit log records them.
const (
	EntityScorecardShare    EntityKind = "scorecard_share"
	EntityScorecardSchedule EntityKind = "scorecard_schedule"
)

// ScorecardShareLetter is the purpose letter of a scorecard link's signed
// token (see internal/signedlink); proof pages and the request loop use others.
const ScorecardShareLetter = 'c'

// ShareDays are the lifetimes a scorecard link may be given, in days;
// ShareDefaultDays is the one chosen unless another is.
var ShareDays = []int{7, 30, 90}

// ShareDefaultDays is a scorecard link's lifetime unless another is chosen.
const ShareDefaultDays = 30

// Periods a shared scorecard shows.
const (
	SharePeriodMonth   = "current_month"   // always the month in progress
	SharePeriodQuarter = "current_quarter" // always the (fiscal) quarter in progress
	SharePeriodFixed   = "fixed"           // From to To
)

// ShareQuery is what a scorecard link shows: a period that moves with the
// calendar or fixed days, and the filters.
type ShareQuery struct {
	Period string       `json:"period"`
	From   Date         `json:"from,omitempty"`
	To     Date         `json:"to,omitempty"`
	Filter MetricFilter `json:"filter"`
}

// Resolve is the metric query q stands for on day today, with fiscal
// quarters counted from startMonth.
func (q ShareQuery) Resolve(today Date, startMonth int) MetricQuery {
	switch q.Period {
	case SharePeriodMonth:
		p := PeriodOf(PeriodMonth, today)
		return MetricQuery{Filter: q.Filter, From: p.First, To: p.Last}
	case SharePeriodQuarter:
		p := FiscalPeriodOf(PeriodQuarter, today, startMonth)
		return MetricQuery{Filter: q.Filter, From: p.First, To: p.Last}
	}
	return MetricQuery{Filter: q.Filter, From: q.From, To: q.To}
}

// CheckShareQuery checks what a link is to show.
func CheckShareQuery(q *ShareQuery, v *Validation) {
	switch q.Period {
	case "":
		q.Period = SharePeriodMonth
	case SharePeriodMonth, SharePeriodQuarter:
	case SharePeriodFixed:
		switch {
		case q.From.IsZero() || q.To.IsZero():
			v.Add("period", "a fixed period needs both its first and last day (YYYY-MM-DD)")
		case q.To.Before(q.From):
			v.Add("to", "must not be before the first day")
		case q.From.DaysUntil(q.To) > 366*3:
			v.Add("to", "a shared period covers at most three years")
		}
	default:
		v.Add("period", fmt.Sprintf("%q must be %s, %s or %s", q.Period, SharePeriodMonth, SharePeriodQuarter, SharePeriodFixed))
	}
	if q.Period != SharePeriodFixed {
		q.From, q.To = Date{}, Date{}
	}
}

// ScorecardShare is a read-only scorecard link. Only the hash of its
// token's nonce is stored: the link itself is shown once, when made.
type ScorecardShare struct {
	ID            int64      `json:"id"`
	Query         ShareQuery `json:"query"`
	Note          string     `json:"note"`
	CreatedBy     int64      `json:"created_by"`
	CreatedByName string     `json:"created_by_name"`
	CreatedAt     time.Time  `json:"created_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
}

// States of a scorecard link.
const (
	ShareActive  = "active"
	ShareExpired = "expired"
	ShareRevoked = "revoked"
)

// State is whether the link still opens at now.
func (s *ScorecardShare) State(now time.Time) string {
	switch {
	case s.RevokedAt != nil:
		return ShareRevoked
	case !now.Before(s.ExpiresAt):
		return ShareExpired
	}
	return ShareActive
}

// CheckScorecardShare normalises and checks a new link lasting days (0:
// ShareDefaultDays, else one of ShareDays) from now, and sets ExpiresAt.
func CheckScorecardShare(s *ScorecardShare, days int, now time.Time) error {
	var v Validation
	CheckShareQuery(&s.Query, &v)
	s.Note = strings.TrimSpace(s.Note)
	if len(s.Note) > 500 {
		v.Add("note", "must be at most 500 characters")
	}
	if days == 0 {
		days = ShareDefaultDays
	}
	ok := false
	for _, d := range ShareDays {
		ok = ok || d == days
	}
	if !ok {
		v.Add("expires_in_days", "must be 7, 30 or 90")
	}
	s.ExpiresAt = now.Add(time.Duration(days) * 24 * time.Hour).UTC()
	return v.Err()
}

// Cadences of scheduled delivery.
const (
	CadenceMonthly   = "monthly"
	CadenceQuarterly = "quarterly"
)

// ScheduleMaxRecipients bounds the addresses of one schedule.
const ScheduleMaxRecipients = 50

// ScorecardSchedule mails the scorecard of each month or quarter, when it
// has closed, to Recipients. LastPeriod is the key of the last period
// sent (see ScheduleKey); each period goes out once.
type ScorecardSchedule struct {
	ID            int64        `json:"id"`
	Cadence       string       `json:"cadence"`
	Recipients    []string     `json:"recipients"`
	Filter        MetricFilter `json:"filter"`
	LastPeriod    string       `json:"last_period"`
	CreatedBy     int64        `json:"created_by"`
	CreatedByName string       `json:"created_by_name"`
	Version       int          `json:"version"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// ParseRecipients reads addresses given one per line or separated by
// commas or semicolons; each bad one is named.
func ParseRecipients(s string, v *Validation) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' || r == '\r' }) {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		a, err := mail.ParseAddress(f)
		if err != nil || !strings.Contains(a.Address, ".") {
			v.Add("recipients", fmt.Sprintf("%q is not an email address", f))
			continue
		}
		addr := strings.ToLower(a.Address)
		if !seen[addr] {
			seen[addr] = true
			out = append(out, addr)
		}
	}
	return out
}

// CheckScorecardSchedule normalises and checks a schedule.
func CheckScorecardSchedule(s *ScorecardSchedule) error {
	var v Validation
	if s.Cadence != CadenceMonthly && s.Cadence != CadenceQuarterly {
		v.Add("cadence", "must be monthly or quarterly")
	}
	s.Recipients = ParseRecipients(strings.Join(s.Recipients, "\n"), &v)
	switch {
	case len(s.Recipients) == 0 && v.Err() == nil:
		v.Add("recipients", "name at least one address to send the scorecard to")
	case len(s.Recipients) > ScheduleMaxRecipients:
		v.Add("recipients", fmt.Sprintf("at most %d addresses", ScheduleMaxRecipients))
	}
	return v.Err()
}

// ClosedPeriod is the period of the cadence that closed last before today
// (the month or fiscal quarter before today's), and its key for
// ScorecardSchedule.LastPeriod: "2026-11", "2026-Q3" ("FY2027 Q1" when the
// fiscal year does not start in January).
func ClosedPeriod(cadence string, today Date, startMonth int) (Period, string) {
	kind := PeriodMonth
	if cadence == CadenceQuarterly {
		kind = PeriodQuarter
	}
	p := PreviousFiscal(FiscalPeriodOf(kind, today, startMonth), startMonth)
	return p, FiscalName(p, startMonth)
}
