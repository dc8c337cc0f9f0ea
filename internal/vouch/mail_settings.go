package vouch

import (
	"fmt"
	"strings"
)

// MailSettings say who the program's mails come from and what they say:
// the company's name (advocates are told who asks), the program's sender
// (who signs the mails nobody sent by hand, like reminders), and the
// templates an admin edited.
type MailSettings struct {
	Company     string `json:"company"`      // "Northwind"; mails say "our company" until it is set
	SenderName  string `json:"sender_name"`  // "Northwind customer references"
	SenderEmail string `json:"sender_email"` // where the program's own mails are signed from; may be empty
	// Templates holds the edited templates; a mail not in it uses its default.
	Templates map[MailKind]MailTemplate `json:"templates"`
}

// Limits of the ask's personal note and of the sender's fields.
const (
	AskNoteMax    = 1000
	mailNameMax   = 200
	defaultSender = "The customer reference team"
	noCompany     = "our company"
)

// Template is the template of mail k as the program sends it: the edited
// one, or the default — also when the edited one no longer passes Check
// (a placeholder it uses was renamed since), so no mail goes out without
// its link.
func (s MailSettings) Template(k MailKind) MailTemplate {
	if t, ok := s.Templates[k]; ok && t.Check(k, "") == nil {
		return t
	}
	return DefaultMailTemplate(k)
}

// Text is the template of mail k as saved, for editing: the edited one
// even when it no longer passes Check, or the default.
func (s MailSettings) Text(k MailKind) MailTemplate {
	if t, ok := s.Templates[k]; ok {
		return t
	}
	return DefaultMailTemplate(k)
}

// Edited reports whether mail k has a template of its own.
func (s MailSettings) Edited(k MailKind) bool {
	_, ok := s.Templates[k]
	return ok
}

// CompanyName is the company as mails name it: "our company" until set.
func (s MailSettings) CompanyName() string {
	if c := strings.TrimSpace(s.Company); c != "" {
		return c
	}
	return noCompany
}

// ProgramSender is the name that signs the program's own mails.
func (s MailSettings) ProgramSender() string {
	if n := strings.TrimSpace(s.SenderName); n != "" {
		return n
	}
	if c := strings.TrimSpace(s.Company); c != "" {
		return "The " + c + " customer reference team"
	}
	return defaultSender
}

// Validate checks the company and the sender (one line each, the address
// a plain one) and every edited template. Fields are "company",
// "sender_name", "sender_email" and "<kind>_subject", "<kind>_body".
func (s *MailSettings) Validate() error {
	s.Company, s.SenderName, s.SenderEmail = strings.TrimSpace(s.Company), strings.TrimSpace(s.SenderName), NormalizeEmail(s.SenderEmail)
	var v Validation
	for _, f := range []struct{ field, value string }{{"company", s.Company}, {"sender_name", s.SenderName}} {
		if len([]rune(f.value)) > mailNameMax {
			v.Add(f.field, fmt.Sprintf("must be at most %d characters", mailNameMax))
		} else if strings.ContainsAny(f.value, "\r\n") {
			v.Add(f.field, "must be one line")
		}
	}
	if s.SenderEmail != "" {
		if msg := ValidateEmail(s.SenderEmail); msg != "" {
			v.Add("sender_email", msg)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, k := range MailKinds {
		if t, ok := s.Templates[k]; ok {
			if err := t.Check(k, string(k)+"_"); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckAskNote refuses a personal note longer than AskNoteMax characters.
func CheckAskNote(note string) error {
	if n := len([]rune(note)); n > AskNoteMax {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("The personal note is %d characters long; keep it to %d.", n, AskNoteMax),
			Fields: map[string]string{"note": fmt.Sprintf("must be at most %d characters", AskNoteMax)}}
	}
	return nil
}

// Signature is the block that ends a mail: the sender's name, their title
// and company, and their address, one per line, skipping what is empty.
func Signature(name, title, company, email string) string {
	var lines []string
	for _, l := range []string{name, strings.Trim(strings.Join([]string{strings.TrimSpace(title), strings.TrimSpace(company)}, ", "), ", "), email} {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
