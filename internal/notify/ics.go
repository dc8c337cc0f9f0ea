package notify

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is a meeting to invite people to with an iCalendar file.
type Event struct {
	// UID names the meeting for good: an update or cancellation of it must
	// carry the same UID (and a higher Sequence). Empty: a random one.
	UID      string
	Sequence int
	Stamp    time.Time // when the invitation was made (DTSTAMP), by the caller's clock; zero: Start
	Start    time.Time
	End      time.Time // zero: 30 minutes after Start
	Summary  string
	// Description is plain text; newlines are kept.
	Description string
	Location    string // the meeting URL, or a place
	Organizer   Person
	Attendees   []Person
}

// Person is an organizer or attendee of an Event.
type Person struct {
	Name  string
	Email string
}

const icsTime = "20060102T150405Z"

// ICS renders ev as an RFC 5545 calendar with METHOD:REQUEST and one
// VEVENT, times in UTC, text escaped and lines folded at 75 octets, with
// CRLF line ends.
func ICS(ev Event) string {
	uid := ev.UID
	if uid == "" {
		b := make([]byte, 16)
		rand.Read(b)
		uid = hex.EncodeToString(b) + "@vouch"
	}
	stamp := ev.Stamp
	if stamp.IsZero() {
		stamp = ev.Start // a renderer reads no clock: the same event renders the same
	}
	end := ev.End
	if end.IsZero() || !end.After(ev.Start) {
		end = ev.Start.Add(30 * time.Minute)
	}
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Vouch//Vouch//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:REQUEST")
	line("BEGIN:VEVENT")
	line("UID:" + escapeText(uid))
	line("SEQUENCE:" + strconv.Itoa(max(ev.Sequence, 0)))
	line("DTSTAMP:" + stamp.UTC().Format(icsTime))
	line("DTSTART:" + ev.Start.UTC().Format(icsTime))
	line("DTEND:" + end.UTC().Format(icsTime))
	line("SUMMARY:" + escapeText(ev.Summary))
	if ev.Description != "" {
		line("DESCRIPTION:" + escapeText(ev.Description))
	}
	if ev.Location != "" {
		line("LOCATION:" + escapeText(ev.Location))
		if u := strings.TrimSpace(ev.Location); (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, " \t\r\n\"") {
			line("URL:" + u)
		}
	}
	if ev.Organizer.Email != "" {
		line("ORGANIZER" + cn(ev.Organizer.Name) + ":mailto:" + cleanAddress(ev.Organizer.Email))
	}
	for _, a := range ev.Attendees {
		if a.Email == "" {
			continue
		}
		line("ATTENDEE" + cn(a.Name) + ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:" + cleanAddress(a.Email))
	}
	line("STATUS:CONFIRMED")
	line("TRANSP:OPAQUE")
	line("END:VEVENT")
	line("END:VCALENDAR")
	return b.String()
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon,
// comma and newlines; other control characters but tab are dropped.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
		case r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cn is the CN parameter of a name: quoted (it may hold : ; ,), without
// the characters a parameter value cannot hold.
func cn(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		return ""
	}
	return `;CN="` + name + `"`
}

// cleanAddress keeps an email address to characters a calendar URI value may hold.
func cleanAddress(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f || r == '"' || r == '<' || r == '>' {
			return -1
		}
		return r
	}, s)
}

// fold ends a content line with CRLF, breaking it into lines of at most 75
// octets (continuations start with a space) without splitting a character.
func fold(s string) string {
	const limit = 75
	var b strings.Builder
	width := limit
	for len(s) > width {
		cut := width
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		width = limit - 1 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
