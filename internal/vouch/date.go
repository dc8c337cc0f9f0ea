package vouch

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day without time or zone (a go-live date, a due date).
// The zero Date means "no date" and is JSON null.
type Date struct{ t time.Time }

// DateOf returns the day of t in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateIn returns the day of t where the time zone zone is (a reference's
// zone, e.g. "America/Los_Angeles"); in UTC when zone is empty or unknown.
// A call at 8 pm in California is that day's activity, not the next's.
func DateIn(t time.Time, zone string) Date {
	if loc, ok := Zone(zone); ok {
		y, m, d := t.In(loc).Date()
		return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	}
	return DateOf(t)
}

// NewDate returns the given day.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate reads "2006-01-02"; the empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2026-03-14", s)
	}
	return Date{t}, nil
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is "2006-01-02", or "" for no date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// Time is midnight UTC of the day.
func (d Date) Time() time.Time { return d.t }

// AddDays returns the day n days later.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// DaysUntil is the number of days from d to e.
func (d Date) DaysUntil(e Date) int { return int(e.t.Sub(d.t).Hours() / 24) }

// MarshalJSON writes "2006-01-02" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "2006-01-02" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a date like \"2026-03-14\"")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
