package vouch

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ETOOLARGE is the code of a request body over its limit (HTTP 413). It sits
// with the rules for input rather than with the other codes because only the
// edges' body limits give it.
const ETOOLARGE = "too_large"

// TooLarge is the error for a body over limit bytes; what says what was sent
// ("The request body", "The upload").
func TooLarge(what string, limit int64) error {
	return Errorf(ETOOLARGE, "%s is larger than %s, the most Vouch accepts here.", what, FormatBytes(limit))
}

// FormatBytes writes a size the way the docs state limits: "1 MiB", "256 KiB".
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// longText names the fields that hold prose, where a tab or a line break is
// part of the text. Every other field is one line. The names are the same in
// the JSON API and the forms.
var longText = map[string]bool{
	"story": true, "notes": true, "note": true, "context": true, "comment": true,
	"body": true, "message": true, "reason": true, "status_reason": true, "state_reason": true,
	"answer_note": true, "impact": true, "proposed_times": true, "description": true,
	"recipients": true, // a scheduled scorecard's addresses, one per line
	// The measurement settings' form: stage names and exchange rates, one per line.
	"won_stages": true, "lost_stages": true, "currency_rates": true,
	"outreach_body": true, // a recruiting campaign's outreach mail template
}

// textLabels names, in CheckText's sentences, fields whose name says little.
var textLabels = map[string]string{"q": "The search"}

// LongText reports whether field holds prose that may span lines. For a path
// such as "criteria.notes" the last name decides.
func LongText(field string) bool {
	if i := strings.LastIndexAny(field, ".]"); i >= 0 {
		field = field[i+1:]
	}
	return longText[field]
}

// CheckText refuses text Vouch would store or show wrongly: invalid UTF-8
// (PostgreSQL refuses it, and so does NUL) and control characters, which
// can rewrite a terminal (ESC) or hide text. Long text (multiline) may hold
// tab, line feed and carriage return; other text no control character at
// all. The error is EINVALID and names field.
func CheckText(field, value string, multiline bool) error {
	reason := TextProblem(value, multiline)
	if reason == "" {
		return nil
	}
	label := textLabels[field]
	if label == "" {
		label = strings.ReplaceAll(field, "_", " ")
	}
	if label != "" {
		label = strings.ToUpper(label[:1]) + label[1:]
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("%s %s; remove it and try again.", label, reason),
		Fields: map[string]string{field: reason}}
}

// TextProblem is CheckText's reason ("contains a control character (U+0000)"),
// or "" when value is acceptable.
func TextProblem(value string, multiline bool) string {
	for i, r := range value {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(value[i:]); size == 1 {
				return "is not valid UTF-8 text"
			}
		}
		lineBreakOrTab := r == '\t' || r == '\n' || r == '\r'
		if isControl(r) && (!multiline || !lineBreakOrTab) {
			return fmt.Sprintf("contains a control character (U+%04X)", r)
		}
	}
	return ""
}

// isControl reports the C0 and C1 control characters and DEL.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// Printable returns s with every control character and invalid byte written
// as an escape (\x1b, \u0085), for printing names to a terminal safely.
func Printable(s string) string {
	if TextProblem(s, false) == "" {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}
