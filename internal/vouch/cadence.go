package vouch

import (
	"fmt"
	"strings"
	"time"
)

// Recurrence is how often a cadence task comes back.
type Recurrence string

// The recurrences of cadence tasks.
const (
	RecurDaily     Recurrence = "daily"     // every working day, Monday to Friday
	RecurWeekly    Recurrence = "weekly"    // once a calendar week, on Day (1 Monday … 7 Sunday)
	RecurMonthly   Recurrence = "monthly"   // once a calendar month, on Day (the month's last day when shorter)
	RecurQuarterly Recurrence = "quarterly" // once a fiscal quarter, in its Month (1–3), on Day
)

// Recurrences lists every recurrence, most frequent first.
var Recurrences = []Recurrence{RecurDaily, RecurWeekly, RecurMonthly, RecurQuarterly}

// Label is the recurrence's name for people.
func (r Recurrence) Label() string {
	switch r {
	case RecurDaily:
		return "Daily"
	case RecurWeekly:
		return "Weekly"
	case RecurMonthly:
		return "Monthly"
	case RecurQuarterly:
		return "Quarterly"
	}
	return string(r)
}

// Valid reports whether r is a known recurrence.
func (r Recurrence) Valid() bool {
	for _, x := range Recurrences {
		if r == x {
			return true
		}
	}
	return false
}

// CadenceKind names a task Vouch seeded for a new program, so that Vouch
// knows what it is about (and where to link); "" is a task the team added.
type CadenceKind string

// The cadence tasks every program starts with.
const (
	CadenceTriage        CadenceKind = "triage"         // daily: requests due within 72 hours
	CadenceNominations   CadenceKind = "nominations"    // weekly: review nominations
	CadenceScorecard     CadenceKind = "scorecard"      // monthly: publish the scorecard
	CadenceGoalsReview   CadenceKind = "goals_review"   // quarterly: goals against company objectives
	CadenceReverify      CadenceKind = "reverify"       // quarterly: references not verified in 12 months
	CadenceAdvisoryBoard CadenceKind = "advisory_board" // quarterly: the sales advisory board
)

// CadenceTask is one recurring piece of program work.
type CadenceTask struct {
	ID          int64       `json:"id"`
	Kind        CadenceKind `json:"kind"` // "" for a task the team added
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Recurrence  Recurrence  `json:"recurrence"`
	// Day is the weekday (1 Monday … 7 Sunday) of a weekly task, the day of
	// the month (1–31) of a monthly or quarterly one; unused for daily.
	Day int `json:"day"`
	// Month is which month of its quarter (1–3) a quarterly task is due in.
	Month      int       `json:"month"`
	AssigneeID int64     `json:"assignee_id"` // 0: nobody yet
	Archived   bool      `json:"archived"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate checks a task's fields before it is stored.
func (t *CadenceTask) Validate() error {
	var v Validation
	t.Title = strings.TrimSpace(t.Title)
	t.Description = strings.TrimSpace(t.Description)
	switch {
	case t.Title == "":
		v.Add("title", "is required")
	case len(t.Title) > 200:
		v.Add("title", "must be at most 200 characters")
	}
	if len(t.Description) > 2000 {
		v.Add("description", "must be at most 2000 characters")
	}
	switch t.Recurrence {
	case RecurDaily:
		t.Day, t.Month = 0, 0
	case RecurWeekly:
		t.Month = 0
		if t.Day < 1 || t.Day > 7 {
			v.Add("day", "must be a weekday from 1 (Monday) to 7 (Sunday)")
		}
	case RecurMonthly:
		t.Month = 0
		if t.Day < 1 || t.Day > 31 {
			v.Add("day", "must be a day of the month from 1 to 31 (in shorter months, 31 is their last day)")
		}
	case RecurQuarterly:
		if t.Month < 1 || t.Month > 3 {
			v.Add("month", "must be the month of the quarter: 1, 2 or 3")
		}
		if t.Day < 1 || t.Day > 31 {
			v.Add("day", "must be a day of the month from 1 to 31 (in shorter months, 31 is their last day)")
		}
	default:
		v.Add("recurrence", "must be daily, weekly, monthly or quarterly")
	}
	return v.Err()
}

// Schedule says in words when the task is due: "Every working day",
// "Every Monday", "Monthly on the 31st (last day of shorter months)",
// "Quarterly: 2nd month, on the 15th".
func (t *CadenceTask) Schedule() string {
	switch t.Recurrence {
	case RecurDaily:
		return "Every working day"
	case RecurWeekly:
		if t.Day >= 1 && t.Day <= 7 {
			return "Every " + time.Weekday(t.Day%7).String()
		}
	case RecurMonthly:
		s := "Monthly on the " + ordinal(t.Day)
		if t.Day > 28 {
			s += " (or the month's last day)"
		}
		return s
	case RecurQuarterly:
		s := fmt.Sprintf("Quarterly: %s month of the quarter, on the %s", ordinal(t.Month), ordinal(t.Day))
		if t.Day > 28 {
			s += " (or the month's last day)"
		}
		return s
	}
	return t.Recurrence.Label()
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// CadencePeriod is the run of days one occurrence of a task with
// recurrence r covers, the one that holds day: the day itself, its
// calendar week (Monday to Sunday), its calendar month, or its fiscal
// quarter when the fiscal year starts in month fyStart.
func CadencePeriod(r Recurrence, day Date, fyStart int) Period {
	switch r {
	case RecurWeekly:
		return PeriodOf(PeriodWeek, day)
	case RecurMonthly:
		return PeriodOf(PeriodMonth, day)
	case RecurQuarterly:
		return FiscalPeriodOf(PeriodQuarter, day, fyStart)
	}
	return Period{Kind: "day", First: day, Last: day}
}

// DueIn is the day the task is due in period p (one CadencePeriod gave): a
// weekly task on its weekday; a monthly one on its day, or on the month's
// last day when the month is shorter (the 31st falls on 30 April and on 28
// or 29 February); a quarterly one on its day of its month of the quarter.
// A daily task is due on the day itself.
func (t *CadenceTask) DueIn(p Period) Date {
	switch t.Recurrence {
	case RecurWeekly:
		return p.First.AddDays(t.Day - 1)
	case RecurMonthly:
		return dayOfMonth(p.First, t.Day)
	case RecurQuarterly:
		y, m, _ := p.First.t.Date()
		return dayOfMonth(NewDate(y, m+time.Month(t.Month-1), 1), t.Day)
	}
	return p.First
}

// dayOfMonth is day d of first's month, or the month's last day when it
// has fewer days.
func dayOfMonth(first Date, d int) Date {
	y, m, _ := first.t.Date()
	last := NewDate(y, m+1, 1).AddDays(-1)
	if d > last.t.Day() {
		return last
	}
	return NewDate(y, m, d)
}

// CadenceOccurrence is one time a task comes due: the period it covers,
// its due day, and what became of it.
type CadenceOccurrence struct {
	ID     int64 `json:"id"`
	TaskID int64 `json:"task_id"`
	// PeriodFirst and PeriodLast are the days the occurrence covers (the
	// week, month or quarter of its task's recurrence).
	PeriodFirst Date             `json:"period_first"`
	PeriodLast  Date             `json:"period_last"`
	DueOn       Date             `json:"due_on"`
	AssigneeID  int64            `json:"assignee_id"` // whose it is: the task's assignee when it came due, or as reassigned
	Status      OccurrenceStatus `json:"status"`
	Note        string           `json:"note"`
	ClosedBy    int64            `json:"closed_by"` // who marked it done or skipped
	ClosedAt    *time.Time       `json:"closed_at"`
	RemindedOn  Date             `json:"reminded_on"` // zero until its assignee was reminded
	CreatedAt   time.Time        `json:"created_at"`
}

// OccurrenceStatus is where an occurrence of a cadence task stands.
type OccurrenceStatus string

// The statuses of an occurrence.
const (
	OccurrenceOpen    OccurrenceStatus = "open"
	OccurrenceDone    OccurrenceStatus = "done"
	OccurrenceSkipped OccurrenceStatus = "skipped"
)

// Label is the status's name for people.
func (s OccurrenceStatus) Label() string {
	switch s {
	case OccurrenceOpen:
		return "Open"
	case OccurrenceDone:
		return "Done"
	case OccurrenceSkipped:
		return "Skipped"
	}
	return string(s)
}

// CheckClose says whether an occurrence may become to (done or skipped):
// only an open one may, and a skip says why (the note), so the history
// explains every gap.
func (o *CadenceOccurrence) CheckClose(to OccurrenceStatus, note string) error {
	var v Validation
	switch {
	case to != OccurrenceDone && to != OccurrenceSkipped:
		v.Add("status", "must be done or skipped")
	case o.Status != OccurrenceOpen:
		return Errorf(ECONFLICT, "This occurrence is %s already.", strings.ToLower(o.Status.Label()))
	case to == OccurrenceSkipped && strings.TrimSpace(note) == "":
		v.Add("note", "is required when skipping: say why, so the history explains the gap")
	}
	if len(note) > 2000 {
		v.Add("note", "must be at most 2000 characters")
	}
	return v.Err()
}

// Overdue reports whether the occurrence is open past its due day.
func (o *CadenceOccurrence) Overdue(today Date) bool {
	return o.Status == OccurrenceOpen && o.DueOn.Before(today)
}

// DueBetween lists the occurrences of t due from first to last inclusive,
// in order: for each period of its recurrence overlapping those days, the
// due day when it falls in them. Daily tasks skip Saturdays and Sundays.
func (t *CadenceTask) DueBetween(first, last Date, fyStart int) []CadenceOccurrence {
	var out []CadenceOccurrence
	for day := first; !day.After(last); {
		p := CadencePeriod(t.Recurrence, day, fyStart)
		due := t.DueIn(p)
		weekend := t.Recurrence == RecurDaily && (due.t.Weekday() == time.Saturday || due.t.Weekday() == time.Sunday)
		if !weekend && !due.Before(first) && !due.After(last) {
			out = append(out, CadenceOccurrence{TaskID: t.ID, PeriodFirst: p.First, PeriodLast: p.Last, DueOn: due,
				AssigneeID: t.AssigneeID, Status: OccurrenceOpen})
		}
		day = p.Last.AddDays(1)
	}
	return out
}

// WeekOf is the calendar week (Monday to Sunday) that holds day: the
// "this week" view's days.
func WeekOf(day Date) Period { return PeriodOf(PeriodWeek, day) }
