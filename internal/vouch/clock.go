package vouch

import (
	"sync/atomic"
	"time"
)

// Clock is the program's one source of "now" and of "today". The store,
// the services, the read models and the pages are given the same Clock, so
// a due date checked by the API and by a page, a capacity window and a
// period's first and last day all agree. Today is the day in the program's
// time zone (a program setting, UTC unless changed).
//
// A Clock is safe for concurrent use. Tests pin it with Set and move it
// with Advance; the program's clock follows the wall clock.
type Clock struct {
	now   func() time.Time
	zone  atomic.Pointer[time.Location]
	fixed atomic.Pointer[time.Time] // set by Set or Advance: the clock stands still there
}

// NewClock returns a clock reading now, in UTC until SetZone; nil now is the wall clock.
func NewClock(now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now}
}

// FixedClock returns a clock that stands still at at until Set or Advance
// moves it: for tests, and for replaying a history as if it happened.
func FixedClock(at time.Time) *Clock {
	c := NewClock(nil)
	c.Set(at)
	return c
}

// Now is the current instant.
func (c *Clock) Now() time.Time {
	if t := c.fixed.Load(); t != nil {
		return *t
	}
	return c.now()
}

// Today is the current day in the program's time zone.
func (c *Clock) Today() Date { return c.DayOf(c.Now()) }

// DayOf is the day of t in the program's time zone: which day an instant
// belongs to when nobody in particular is asked.
func (c *Clock) DayOf(t time.Time) Date {
	y, m, d := t.In(c.Zone()).Date()
	return NewDate(y, m, d)
}

// TodayIn is the current day where the time zone zone is (an advocate's,
// e.g. "America/Los_Angeles"); in the program's zone when zone is empty or
// unknown.
func (c *Clock) TodayIn(zone string) Date { return c.DayIn(c.Now(), zone) }

// DayIn is the day of t where the time zone zone is: an activity's day is
// the advocate's day. A reference without a known zone counts in the
// program's zone.
func (c *Clock) DayIn(t time.Time, zone string) Date {
	if zone != "" && KnownTimeZone(zone) {
		return DateIn(t, zone)
	}
	return c.DayOf(t)
}

// ZoneFor is the time zone in which someone in zone counts their days:
// zone itself when known, else the program's.
func (c *Clock) ZoneFor(zone string) string {
	if zone != "" && KnownTimeZone(zone) {
		return zone
	}
	return c.Zone().String()
}

// LocationFor is the time zone someone in zone reads times in (a user's,
// an advocate's): zone itself when known, else the program's.
func (c *Clock) LocationFor(zone string) *time.Location {
	if loc, ok := Zone(zone); ok {
		return loc
	}
	return c.Zone()
}

// Zone is the program's time zone.
func (c *Clock) Zone() *time.Location {
	if z := c.zone.Load(); z != nil {
		return z
	}
	return time.UTC
}

// SetZone makes loc the program's time zone; nil is UTC. It is the one way
// the zone changes: when the program settings are saved here, and when
// another instance's change to them is seen.
func (c *Clock) SetZone(loc *time.Location) {
	if loc == nil {
		loc = time.UTC
	}
	c.zone.Store(loc)
}

// Pinned is where Set or Advance pinned the clock; nil while it follows the
// wall clock. With Restore it lets a caller move the clock for a while and
// give it back as it was.
func (c *Clock) Pinned() *time.Time { return c.fixed.Load() }

// Restore puts the clock back where Pinned said it was (nil: the wall clock).
func (c *Clock) Restore(p *time.Time) { c.fixed.Store(p) }

// Set pins the clock at t: it reads t until set or advanced again.
func (c *Clock) Set(t time.Time) { c.fixed.Store(&t) }

// Advance moves the clock d later and pins it there; a clock that was
// following the wall clock is pinned at the wall clock's time plus d.
func (c *Clock) Advance(d time.Duration) {
	for {
		old := c.fixed.Load()
		base := c.now()
		if old != nil {
			base = *old
		}
		next := base.Add(d)
		if c.fixed.CompareAndSwap(old, &next) {
			return
		}
	}
}
