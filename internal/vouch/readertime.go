package vouch

import (
	"strings"
	"time"
)

// How a moment is written for someone who reads it. A call is agreed in one
// party's zone and read by people in others: each reader sees the other
// party's time first and their own beside it, so the advocate's "10:00"
// and the seller's "18:00" are visibly the same call.

// timeLayout is a moment with its weekday, date and zone: "Mon 2 Mar 2026, 10:00 MST".
const timeLayout = "Mon 2 Jan 2006, 15:04 MST"

// TimeIn writes t in loc with the zone's abbreviation: "Mon 2 Mar 2026,
// 10:00 MST". A nil loc is UTC.
func TimeIn(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(timeLayout)
}

// TimeFor writes t for a reader in the zone reader about someone in the
// zone other (the advocate of a call, say): the time in other, and, where
// the reader's clock shows another time, the reader's time beside it —
// "Mon 2 Mar 2026, 10:00 MST · 18:00 your time", with the reader's day
// named when it is another day. A nil zone is UTC.
func TimeFor(t time.Time, other, reader *time.Location) string {
	if other == nil {
		other = time.UTC
	}
	if reader == nil {
		reader = time.UTC
	}
	theirs, mine := t.In(other), t.In(reader)
	s := theirs.Format(timeLayout)
	// Zones whose clocks agree at t (Denver and Phoenix in winter) are one.
	if _, a := theirs.Zone(); a == offset(mine) {
		return s
	}
	y1, m1, d1 := theirs.Date()
	y2, m2, d2 := mine.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return s + " · " + mine.Format("15:04") + " your time"
	}
	return s + " · " + mine.Format("Mon 2 Jan, 15:04") + " your time"
}

// The timeline keeps a scheduled call's time as written when it was set,
// in UTC (ScheduledEvent); EventFor rewrites it for each reader.
const (
	scheduledPrefix   = "Scheduled for "
	rescheduledPrefix = "Rescheduled to "
	eventTimeLayout   = "2 Jan 2006 15:04 UTC"
)

// EventFor is a timeline entry's text for a reader in the zone reader: the
// time of a scheduled or rescheduled call is written as TimeFor does, with
// other the advocate's zone; every other entry is body itself.
func EventFor(body string, other, reader *time.Location) string {
	for _, prefix := range []string{scheduledPrefix, rescheduledPrefix} {
		if rest, ok := strings.CutPrefix(body, prefix); ok {
			at, err := time.Parse(eventTimeLayout, rest)
			if err != nil {
				return body
			}
			return prefix + TimeFor(at, other, reader)
		}
	}
	return body
}

// offset is t's zone's offset from UTC in seconds.
func offset(t time.Time) int {
	_, off := t.Zone()
	return off
}
