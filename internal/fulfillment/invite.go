package fulfillment

import "time"

// TEMPORARY adapter until internal/notify's ICS lands.
type Event struct {
	UID         string
	Sequence    int
	Start       time.Time
	Duration    time.Duration
	Summary     string
	Description string
	Location    string
	Organizer   string
	Attendees   []Attendee
	Stamp       time.Time
}

type Attendee struct{ Name, Email string }

func Invite(e Event) string { return "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" }
