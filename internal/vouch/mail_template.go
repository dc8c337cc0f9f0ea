package vouch

import (
	"fmt"
	"regexp"
	"strings"
)

// Mail templates: the plain-text mails the program sends to advocates and
// sellers, which an admin edits in the settings. A template is text with
// named placeholders in braces, {advocate_first_name}; a brace that does not
// open a name of letters, digits and underscores ("{ }", "{", "}") is text.
// Each mail knows its placeholders: a name it does not know is refused with
// that name, and so is a template without the one its reader cannot do
// without (the link). Values are put in as they are: the mails are plain
// text, so nothing is escaped; a subject is one line whatever its values.

// MailKind names one editable mail.
type MailKind string

// The editable mails.
const (
	MailAsk      MailKind = "ask"       // asks an advocate, with the answer link
	MailReminder MailKind = "reminder"  // reminds an advocate who has not answered, with a new link
	MailFeedback MailKind = "feedback"  // asks the seller how the activity went
	MailThankYou MailKind = "thank_you" // thanks the advocate and asks how it went for them
)

// MailKinds lists the editable mails in the order the settings show them.
var MailKinds = []MailKind{MailAsk, MailReminder, MailFeedback, MailThankYou}

// Valid reports whether k is an editable mail.
func (k MailKind) Valid() bool {
	for _, x := range MailKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Label names the mail in sentences: "the ask mail".
func (k MailKind) Label() string {
	switch k {
	case MailAsk:
		return "ask mail"
	case MailReminder:
		return "reminder"
	case MailFeedback:
		return "seller's feedback mail"
	case MailThankYou:
		return "thank-you mail"
	}
	return string(k) + " mail"
}

// Title names the mail as a heading: "Ask".
func (k MailKind) Title() string {
	switch k {
	case MailAsk:
		return "Ask"
	case MailReminder:
		return "Reminder"
	case MailFeedback:
		return "Feedback (to the seller)"
	case MailThankYou:
		return "Thank you (to the advocate)"
	}
	return string(k)
}

// Purpose says in one line when the mail goes out and to whom.
func (k MailKind) Purpose() string {
	switch k {
	case MailAsk:
		return "Goes to the advocate when the team asks them; signed by the team member who asked."
	case MailReminder:
		return "Goes to an advocate who has not answered, with a fresh link; signed by the program's sender."
	case MailFeedback:
		return "Goes to the seller when the activity is marked completed; signed by the team member who marked it."
	case MailThankYou:
		return "Goes to the advocate when the activity is marked completed; signed by the team member who marked it."
	}
	return ""
}

// Placeholder is one name a mail template may use.
type Placeholder struct {
	Name     string `json:"name"`     // without braces: "advocate_first_name"
	Meaning  string `json:"meaning"`  // what it is replaced with
	Required bool   `json:"required"` // the body must use it
}

// Placeholders every mail knows.
var commonPlaceholders = []Placeholder{
	{Name: "company", Meaning: "your company's name, from the settings"},
	{Name: "advocate_name", Meaning: "the advocate's full name"},
	{Name: "advocate_first_name", Meaning: "the advocate's first name"},
	{Name: "account", Meaning: "the advocate's company"},
	{Name: "seller_name", Meaning: "the seller who asked for the reference"},
	{Name: "prospect", Meaning: "the prospect's company, or \"a prospective customer\""},
	{Name: "activity", Meaning: "the activity, in lower case: \"reference call\""},
	{Name: "signature", Meaning: "the name, title, company and email of the sender"},
}

// Placeholders are the names the mail's template may use, the ones it must
// use marked Required.
func (k MailKind) Placeholders() []Placeholder {
	out := append([]Placeholder(nil), commonPlaceholders...)
	switch k {
	case MailAsk, MailReminder:
		out = append(out,
			Placeholder{Name: "due_date", Meaning: "the day the activity is needed by: \"Friday 12 March 2027\""},
			Placeholder{Name: "context", Meaning: "what the seller wrote about the deal (may be empty)"},
			Placeholder{Name: "note", Meaning: "the personal note of the team member who asked (may be empty)"},
			Placeholder{Name: "answer_link", Meaning: "the advocate's one-click answer page", Required: true},
			Placeholder{Name: "expires_on", Meaning: "the day the link stops working: \"26 March 2027\""})
	case MailFeedback:
		out = append(out,
			Placeholder{Name: "seller_first_name", Meaning: "the seller's first name"},
			Placeholder{Name: "feedback_link", Meaning: "the seller's feedback form", Required: true})
	case MailThankYou:
		out = append(out,
			Placeholder{Name: "feedback_link", Meaning: "the advocate's feedback form", Required: true})
	}
	return out
}

// MailTemplate is the editable text of one mail.
type MailTemplate struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Limits of a template's text.
const (
	MailSubjectMax = 200
	MailBodyMax    = 10000
)

// placeholderPattern finds a placeholder: a brace, a name, a brace.
var placeholderPattern = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// Check refuses a template of mail k with an unknown placeholder, without
// a required one, with a subject on more than one line, or too long. The
// error's fields are field+"subject" and field+"body"; its message names
// the first problem ("Unknown placeholder {advocat_name} in the ask mail's
// body."), so a form with one problem reads as one sentence.
func (t MailTemplate) Check(k MailKind, field string) error {
	known := map[string]bool{}
	for _, p := range k.Placeholders() {
		known[p.Name] = true
	}
	var v Validation
	var first string
	add := func(part, reason, sentence string) {
		v.Add(field+part, reason)
		if first == "" {
			first = sentence
		}
	}
	for _, part := range []struct{ name, text string }{{"subject", t.Subject}, {"body", t.Body}} {
		where := "the " + k.Label() + "'s " + part.name
		if strings.TrimSpace(part.text) == "" {
			add(part.name, "is required", fmt.Sprintf("The %s's %s is empty.", k.Label(), part.name))
			continue
		}
		for _, m := range placeholderPattern.FindAllStringSubmatch(part.text, -1) {
			if !known[m[1]] {
				add(part.name, "has an unknown placeholder {"+m[1]+"}", fmt.Sprintf("Unknown placeholder {%s} in %s.", m[1], where))
				break
			}
		}
	}
	if strings.ContainsAny(t.Subject, "\r\n") {
		add("subject", "must be one line", fmt.Sprintf("The %s's subject must be one line.", k.Label()))
	}
	if n := len([]rune(t.Subject)); n > MailSubjectMax {
		add("subject", fmt.Sprintf("must be at most %d characters", MailSubjectMax), fmt.Sprintf("The %s's subject is longer than %d characters.", k.Label(), MailSubjectMax))
	}
	if n := len([]rune(t.Body)); n > MailBodyMax {
		add("body", fmt.Sprintf("must be at most %d characters", MailBodyMax), fmt.Sprintf("The %s's body is longer than %d characters.", k.Label(), MailBodyMax))
	}
	used := map[string]bool{}
	for _, m := range placeholderPattern.FindAllStringSubmatch(t.Body, -1) {
		used[m[1]] = true
	}
	for _, p := range k.Placeholders() {
		if p.Required && !used[p.Name] && strings.TrimSpace(t.Body) != "" {
			add("body", "must contain {"+p.Name+"}", fmt.Sprintf("The %s's body must contain {%s}: without it the reader cannot answer.", k.Label(), p.Name))
		}
	}
	err := v.Err()
	if e, ok := err.(*Error); ok {
		e.Message = first
	}
	return err
}

// Render fills the template's placeholders with values (a name without a
// value becomes empty). The subject is one line: a line break in a value
// becomes a space, so no value can add a mail header. In the body, a line
// made only of placeholders that came out empty is dropped, and blank lines
// never run to more than one, so an empty note leaves no gap.
func (t MailTemplate) Render(values map[string]string) (subject, body string) {
	fill := func(s string) string {
		return placeholderPattern.ReplaceAllStringFunc(s, func(m string) string { return values[m[1:len(m)-1]] })
	}
	subject = strings.Join(strings.Fields(fill(t.Subject)), " ")
	var lines []string
	for _, line := range strings.Split(strings.ReplaceAll(t.Body, "\r\n", "\n"), "\n") {
		filled := fill(line)
		if strings.TrimSpace(filled) == "" && strings.TrimSpace(placeholderPattern.ReplaceAllString(line, "")) == "" && strings.TrimSpace(line) != "" {
			continue // only placeholders, all empty
		}
		lines = append(lines, strings.ReplaceAll(filled, "\r\n", "\n"))
	}
	body = strings.Join(lines, "\n")
	for strings.Contains(body, "\n\n\n") {
		body = strings.ReplaceAll(body, "\n\n\n", "\n\n")
	}
	return subject, strings.TrimSpace(body) + "\n"
}

// DefaultMailTemplate is the text of mail k until an admin changes it.
func DefaultMailTemplate(k MailKind) MailTemplate {
	switch k {
	case MailAsk:
		return MailTemplate{Subject: "Would you do a {activity} with {prospect}?", Body: defaultAskBody}
	case MailReminder:
		return MailTemplate{Subject: "Reminder: would you do a {activity} with {prospect}?", Body: defaultReminderBody}
	case MailFeedback:
		return MailTemplate{Subject: "How was the {activity} with {advocate_name}?", Body: defaultFeedbackBody}
	case MailThankYou:
		return MailTemplate{Subject: "Thank you from {company} — how was it?", Body: defaultThankYouBody}
	}
	return MailTemplate{}
}

const defaultAskBody = `Hello {advocate_first_name},

{seller_name} at {company} is talking with {prospect} and would value a {activity} with you before {due_date}.

{context}

{note}

You can accept, decline, propose times, ask us to pause until a later date, or opt out — one click, no login:
{answer_link}

The link works once and expires on {expires_on}.

Thank you for your help!

{signature}
`

const defaultReminderBody = `Hello {advocate_first_name},

A few days ago we asked whether you would do a {activity} with {prospect} for {seller_name} at {company}, before {due_date}. If you have not had a moment yet, here is a fresh link:
{answer_link}

{note}

You can accept, decline, propose times, ask us to pause until a later date, or opt out — one click, no login. The link works once and expires on {expires_on}.

{signature}
`

const defaultFeedbackBody = `Hello {seller_first_name},

How helpful was the {activity} with {advocate_name} ({account})? Did it influence the deal? Two questions, one minute:
{feedback_link}

{signature}
`

const defaultThankYouBody = `Hello {advocate_first_name},

Thank you for the {activity} with {prospect}: it means a lot to {seller_name} and to all of us at {company}.

How was it for you? Tell us, and how you would like to be thanked:
{feedback_link}

{signature}
`

// FirstName is the first word of a person's name ("Dana" of "Dana Lee").
func FirstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}
