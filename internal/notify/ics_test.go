package notify

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// icsProp is one content line of an iCalendar file, unfolded and split.
type icsProp struct {
	Name   string
	Params map[string]string
	Value  string
}

// parseICS unfolds and splits an iCalendar file the way RFC 5545 reads it,
// failing the test on anything a strict reader would refuse.
func parseICS(t *testing.T, s string) []icsProp {
	t.Helper()
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("the file does not end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var lines []string
	for i, l := range raw {
		if strings.Contains(l, "\n") || strings.Contains(l, "\r") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, over 75: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(lines) == 0 {
				t.Fatalf("the file starts with a continuation line")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var out []icsProp
	for _, l := range lines {
		// The name and parameters end at the first colon outside quotes.
		inQuote, colon := false, -1
		for i, r := range l {
			if r == '"' {
				inQuote = !inQuote
			}
			if r == ':' && !inQuote {
				colon = i
				break
			}
		}
		if colon < 0 {
			t.Fatalf("content line without a value: %q", l)
		}
		head, value := l[:colon], l[colon+1:]
		parts := splitParams(head)
		p := icsProp{Name: parts[0], Params: map[string]string{}, Value: value}
		for _, kv := range parts[1:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("parameter without a value in %q", l)
			}
			p.Params[k] = strings.Trim(v, `"`)
		}
		out = append(out, p)
	}
	return out
}

func splitParams(s string) []string {
	var parts []string
	inQuote, start := false, 0
	for i, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == ';' && !inQuote:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// unescapeText reverses RFC 5545 TEXT escaping; an unknown escape fails.
func unescapeText(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ';' || c == ',' {
			t.Errorf("unescaped %q in TEXT %q", c, s)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			t.Fatalf("TEXT ends with a backslash: %q", s)
		}
		switch s[i] {
		case '\\', ';', ',':
			b.WriteByte(s[i])
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			t.Errorf("unknown escape \\%c in %q", s[i], s)
		}
	}
	return b.String()
}

func props(ps []icsProp, name string) []icsProp {
	var out []icsProp
	for _, p := range ps {
		if p.Name == name {
			out = append(out, p)
		}
	}
	return out
}

func TestICSParsesBack(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	start := time.Date(2026, 3, 14, 15, 30, 0, 0, paris)
	desc := "Reference call for Acme, Inc.; bring numbers.\nAgenda:\r\n1. Intro\\setup\r2. Q&A — ünïcödé " + strings.Repeat("ß", 60)
	ev := Event{
		UID:         "ask-42@vouch",
		Sequence:    2,
		Stamp:       time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		Start:       start,
		End:         start.Add(45 * time.Minute),
		Summary:     "Call: Acme, Inc. ↔ Globex; 45 min",
		Description: desc,
		Location:    "https://meet.example.com/abc-defg-hij?pwd=" + strings.Repeat("x", 80),
		Organizer:   Person{Name: "Pat Program", Email: "pat@example.com"},
		Attendees: []Person{
			{Name: `Ada "The Countess" Lovelace, PhD; Acme`, Email: "ada@acme.example"},
			{Name: "", Email: "seller@example.com"},
			{Name: "Nobody"},
		},
	}
	s := ICS(ev)
	ps := parseICS(t, s)
	if ps[0].Name != "BEGIN" || ps[0].Value != "VCALENDAR" || ps[len(ps)-1].Name != "END" || ps[len(ps)-1].Value != "VCALENDAR" {
		t.Fatalf("not one VCALENDAR:\n%s", s)
	}
	depth := 0
	for _, p := range ps {
		switch p.Name {
		case "BEGIN":
			depth++
		case "END":
			depth--
		}
		if depth < 0 {
			t.Fatalf("END before BEGIN:\n%s", s)
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced BEGIN/END:\n%s", s)
	}
	one := func(name string) icsProp {
		t.Helper()
		p := props(ps, name)
		if len(p) != 1 {
			t.Fatalf("%d %s properties, want 1:\n%s", len(p), name, s)
		}
		return p[0]
	}
	for name, want := range map[string]string{
		"VERSION": "2.0", "METHOD": "REQUEST", "UID": "ask-42@vouch", "SEQUENCE": "2",
		"DTSTAMP": "20260301T090000Z", "DTSTART": "20260314T143000Z", "DTEND": "20260314T151500Z",
	} {
		if got := one(name).Value; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	one("PRODID")
	if got := unescapeText(t, one("SUMMARY").Value); got != ev.Summary {
		t.Errorf("SUMMARY parses back as %q, want %q", got, ev.Summary)
	}
	wantDesc := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(desc)
	if got := unescapeText(t, one("DESCRIPTION").Value); got != wantDesc {
		t.Errorf("DESCRIPTION parses back as %q, want %q", got, wantDesc)
	}
	if got := unescapeText(t, one("LOCATION").Value); got != ev.Location {
		t.Errorf("LOCATION parses back as %q", got)
	}
	if got := one("URL").Value; got != ev.Location {
		t.Errorf("URL = %q", got)
	}
	org := one("ORGANIZER")
	if org.Value != "mailto:pat@example.com" || org.Params["CN"] != "Pat Program" {
		t.Errorf("ORGANIZER = %+v", org)
	}
	att := props(ps, "ATTENDEE")
	if len(att) != 2 {
		t.Fatalf("%d attendees, want 2 (one has no address):\n%s", len(att), s)
	}
	if att[0].Value != "mailto:ada@acme.example" || att[0].Params["CN"] != "Ada The Countess Lovelace, PhD; Acme" ||
		att[0].Params["RSVP"] != "TRUE" || att[0].Params["PARTSTAT"] != "NEEDS-ACTION" {
		t.Errorf("first attendee: %+v", att[0])
	}
	if _, ok := att[1].Params["CN"]; ok || att[1].Value != "mailto:seller@example.com" {
		t.Errorf("second attendee: %+v", att[1])
	}
}

func TestICSEscape(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:             `plain`,
		`a\b`:               `a\\b`,
		`a;b,c`:             `a\;b\,c`,
		"one\ntwo\r\nthree": `one\ntwo\nthree`,
		"mac\rline":         `mac\nline`,
		"bell\x07 tab\t":    "bell tab\t",
		`\;,`:               `\\\;\,`,
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestICSFold(t *testing.T) {
	if got := fold("SHORT:x"); got != "SHORT:x\r\n" {
		t.Errorf("short line: %q", got)
	}
	exact := "X:" + strings.Repeat("a", 73)
	if got := fold(exact); got != exact+"\r\n" {
		t.Errorf("a 75-octet line was folded: %q", got)
	}
	long := "X:" + strings.Repeat("a", 74)
	if got := fold(long); got != "X:"+strings.Repeat("a", 73)+"\r\n a\r\n" {
		t.Errorf("a 76-octet line: %q", got)
	}
	// Multi-byte characters are never split, and unfolding restores the line.
	for n := range 10 {
		line := "SUMMARY:" + strings.Repeat("a", n) + strings.Repeat("é€😀", 40)
		f := fold(line)
		for _, l := range strings.Split(strings.TrimSuffix(f, "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("folded line %q: %d octets, valid UTF-8 %v", l, len(l), utf8.ValidString(l))
			}
		}
		if got := strings.ReplaceAll(strings.TrimSuffix(f, "\r\n"), "\r\n ", ""); got != line {
			t.Errorf("unfolds to %q, want %q", got, line)
		}
	}
}

func TestICSDefaults(t *testing.T) {
	start := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	ps := parseICS(t, ICS(Event{Start: start, Summary: "Call"}))
	var uid, end string
	for _, p := range ps {
		switch p.Name {
		case "UID":
			uid = p.Value
		case "DTEND":
			end = p.Value
		case "DESCRIPTION", "LOCATION", "ORGANIZER", "ATTENDEE", "URL":
			t.Errorf("empty field written: %+v", p)
		}
	}
	if !strings.HasSuffix(uid, "@vouch") || len(uid) < 20 {
		t.Errorf("UID = %q, want a random one", uid)
	}
	if end != "20260501T103000Z" {
		t.Errorf("DTEND = %q, want 30 minutes after the start", end)
	}
}
