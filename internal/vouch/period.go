package vouch

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind is how long a reporting period is.
type PeriodKind string

// The kinds of period a scorecard or a goal can cover.
const (
	PeriodWeek    PeriodKind = "week" // Monday to Sunday, numbered as ISO 8601 weeks
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter" // January–March is Q1
	PeriodYear    PeriodKind = "year"
)

// PeriodKinds lists the kinds of period, shortest first.
var PeriodKinds = []PeriodKind{PeriodWeek, PeriodMonth, PeriodQuarter, PeriodYear}

// Period is a run of whole days, from First to Last inclusive. Which day
// "today" is comes from the Clock (the program's time zone); a period is
// then only calendar arithmetic, the same on every instance.
type Period struct {
	Kind  PeriodKind
	First Date
	Last  Date
}

// PeriodOf is the period of the kind that day falls in; the zero Period
// when kind is not one of PeriodKinds or day is no date.
func PeriodOf(kind PeriodKind, day Date) Period {
	if day.IsZero() {
		return Period{}
	}
	y, m, _ := day.t.Date()
	var first, next Date
	switch kind {
	case PeriodWeek:
		// Go's weekdays start on Sunday (0); Monday is day 0 of a week here.
		first = day.AddDays(-((int(day.t.Weekday()) + 6) % 7))
		next = first.AddDays(7)
	case PeriodMonth:
		first = NewDate(y, m, 1)
		next = NewDate(y, m+1, 1)
	case PeriodQuarter:
		first = NewDate(y, (m-1)/3*3+1, 1)
		next = NewDate(y, (m-1)/3*3+4, 1)
	case PeriodYear:
		first = NewDate(y, time.January, 1)
		next = NewDate(y+1, time.January, 1)
	default:
		return Period{}
	}
	return Period{Kind: kind, First: first, Last: next.AddDays(-1)}
}

// IsZero reports whether p is no period.
func (p Period) IsZero() bool { return p.First.IsZero() }

// Contains reports whether day is one of p's days.
func (p Period) Contains(day Date) bool {
	return !p.IsZero() && !day.IsZero() && !day.Before(p.First) && !day.After(p.Last)
}

// Days is the number of days in p.
func (p Period) Days() int {
	if p.IsZero() {
		return 0
	}
	return p.First.DaysUntil(p.Last) + 1
}

// Previous is the period of the same kind just before p.
func (p Period) Previous() Period {
	if p.IsZero() {
		return Period{}
	}
	return PeriodOf(p.Kind, p.First.AddDays(-1))
}

// Next is the period of the same kind just after p.
func (p Period) Next() Period {
	if p.IsZero() {
		return Period{}
	}
	return PeriodOf(p.Kind, p.Last.AddDays(1))
}

// String names p: "2026" (year), "2026-Q3", "2026-11" (month), "2026-W05"
// (ISO week); "" for no period. ParsePeriod reads it back.
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	y, m, _ := p.First.t.Date()
	switch p.Kind {
	case PeriodWeek:
		wy, w := p.First.t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", wy, w)
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", y, int(m))
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", y, (int(m)-1)/3+1)
	case PeriodYear:
		return fmt.Sprintf("%04d", y)
	}
	return ""
}

// ParsePeriod reads a period named as String names it: "2026", "2026-Q3",
// "2026-11" or "2026-W05". The error is a sentence fit to show.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a period like 2026, 2026-Q3, 2026-11 or 2026-W05", s)
	if len(s) < 4 {
		return Period{}, bad
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1 || s[0] == '+' || s[0] == '-' {
		return Period{}, bad
	}
	rest := strings.ToUpper(s[4:])
	var p Period
	switch {
	case rest == "":
		p = PeriodOf(PeriodYear, NewDate(y, time.January, 1))
	case strings.HasPrefix(rest, "-Q") && len(rest) == 3:
		q := int(rest[2] - '0')
		if q < 1 || q > 4 {
			return Period{}, bad
		}
		p = PeriodOf(PeriodQuarter, NewDate(y, time.Month(q*3-2), 1))
	case strings.HasPrefix(rest, "-W") && len(rest) == 4:
		w, err := strconv.Atoi(rest[2:])
		if err != nil || w < 1 || w > 53 {
			return Period{}, bad
		}
		// Week 1 is the week with the year's first Thursday, so it holds 4 January.
		jan4 := NewDate(y, time.January, 4)
		p = PeriodOf(PeriodWeek, jan4.AddDays(7*(w-1)))
	case len(rest) == 3 && rest[0] == '-':
		m, err := strconv.Atoi(rest[1:])
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		p = PeriodOf(PeriodMonth, NewDate(y, time.Month(m), 1))
	default:
		return Period{}, bad
	}
	if p.String() != strings.ToUpper(s) {
		return Period{}, bad // week 53 of a year that has 52
	}
	return p, nil
}
