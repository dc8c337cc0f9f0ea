package vouch

import (
	"strings"
	"testing"
)

func TestMailTemplateRender(t *testing.T) {
	values := map[string]string{"advocate_first_name": "Maya", "company": "Northwind", "note": "", "prospect": "Acme\r\nBcc: x@evil.example",
		"answer_link": "https://v.example/a/t", "signature": "Dana Lee\ndana@northwind.example"}
	for _, c := range []struct {
		name          string
		tmpl          MailTemplate
		subject, body string
	}{
		{"placeholders filled", MailTemplate{Subject: "Hi {advocate_first_name}", Body: "Hello {advocate_first_name} from {company}."},
			"Hi Maya", "Hello Maya from Northwind.\n"},
		{"a value cannot add a header to the subject", MailTemplate{Subject: "With {prospect}?", Body: "x"},
			"With Acme Bcc: x@evil.example?", "x\n"},
		{"a line of empty placeholders is dropped, no double gap", MailTemplate{Subject: "s", Body: "Hello\n\n{note}\n\nLink: {answer_link}"},
			"s", "Hello\n\nLink: https://v.example/a/t\n"},
		{"text around an empty placeholder stays", MailTemplate{Subject: "s", Body: "Note: {note}\nend"},
			"s", "Note: \nend\n"},
		{"braces that are no placeholder are text", MailTemplate{Subject: "{ curly }", Body: "a { b } {} {{company}}"},
			"{ curly }", "a { b } {} {Northwind}\n"},
		{"multi-line values keep their lines", MailTemplate{Subject: "s", Body: "{signature}"},
			"s", "Dana Lee\ndana@northwind.example\n"},
		{"unknown names render empty", MailTemplate{Subject: "s{nothing}", Body: "a{nothing}b"}, "s", "ab\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, b := c.tmpl.Render(values)
			if s != c.subject || b != c.body {
				t.Errorf("got %q / %q, want %q / %q", s, b, c.subject, c.body)
			}
		})
	}
}

func TestMailTemplateCheck(t *testing.T) {
	for _, c := range []struct {
		name    string
		kind    MailKind
		tmpl    MailTemplate
		field   string // the field refused, "" when accepted
		message string // part of the error's message
	}{
		{"every default is accepted", MailAsk, DefaultMailTemplate(MailAsk), "", ""},
		{"reminder default", MailReminder, DefaultMailTemplate(MailReminder), "", ""},
		{"feedback default", MailFeedback, DefaultMailTemplate(MailFeedback), "", ""},
		{"thank-you default", MailThankYou, DefaultMailTemplate(MailThankYou), "", ""},
		{"unknown placeholder in the body, named", MailAsk, MailTemplate{Subject: "Hi", Body: "Hi {advocat_name} {answer_link}"},
			"ask_body", "Unknown placeholder {advocat_name} in the ask mail's body."},
		{"unknown placeholder in the subject", MailThankYou, MailTemplate{Subject: "Hi {nme}", Body: "{feedback_link}"},
			"thank_you_subject", "Unknown placeholder {nme} in the thank-you mail's subject."},
		{"a placeholder of another mail is unknown here", MailFeedback, MailTemplate{Subject: "s", Body: "{feedback_link} {answer_link}"},
			"feedback_body", "Unknown placeholder {answer_link}"},
		{"the answer link is required", MailAsk, MailTemplate{Subject: "s", Body: "Hello {advocate_name}"},
			"ask_body", "must contain {answer_link}"},
		{"a required placeholder in the subject does not count", MailReminder, MailTemplate{Subject: "{answer_link}", Body: "Hello"},
			"reminder_body", "must contain {answer_link}"},
		{"the subject is one line", MailAsk, MailTemplate{Subject: "Hi\nBcc: x@evil.example", Body: "{answer_link}"},
			"ask_subject", "must be one line"},
		{"an empty subject is refused", MailAsk, MailTemplate{Subject: "  ", Body: "{answer_link}"},
			"ask_subject", "subject is empty"},
		{"a long subject is refused", MailAsk, MailTemplate{Subject: strings.Repeat("x", MailSubjectMax+1), Body: "{answer_link}"},
			"ask_subject", "longer than 200"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.tmpl.Check(c.kind, string(c.kind)+"_")
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" || !strings.Contains(ErrorMessage(err), c.message) {
				t.Errorf("got %v (fields %v), want %s refused with %q", err, ErrorFields(err), c.field, c.message)
			}
		})
	}
}

func TestMailSettingsValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		ms    MailSettings
		field string
	}{
		{"empty is the default", MailSettings{}, ""},
		{"company and sender", MailSettings{Company: " Northwind ", SenderName: "Northwind references", SenderEmail: "Refs@Northwind.example"}, ""},
		{"bad sender address", MailSettings{SenderEmail: "refs at northwind"}, "sender_email"},
		{"company on two lines", MailSettings{Company: "North\nwind"}, "company"},
		{"edited template checked", MailSettings{Templates: map[MailKind]MailTemplate{MailReminder: {Subject: "s", Body: "{x}"}}}, "reminder_body"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.ms.Validate()
			if c.field == "" && err != nil || c.field != "" && ErrorFields(err)[c.field] == "" {
				t.Errorf("got %v, want field %q refused", err, c.field)
			}
		})
	}
	ms := MailSettings{Company: " Northwind ", SenderEmail: "Refs@Northwind.example"}
	if err := ms.Validate(); err != nil || ms.Company != "Northwind" || ms.SenderEmail != "refs@northwind.example" {
		t.Errorf("not normalized: %+v %v", ms, err)
	}
	broken := MailSettings{Templates: map[MailKind]MailTemplate{MailAsk: {Subject: "s", Body: "{old_link}"}}}
	if broken.Template(MailAsk) != DefaultMailTemplate(MailAsk) || broken.Text(MailAsk).Body != "{old_link}" {
		t.Error("a saved template that no longer passes is sent instead of the default")
	}
	if got := (MailSettings{}).CompanyName(); got != "our company" {
		t.Errorf("unset company reads %q", got)
	}
	if got := (MailSettings{Company: "Northwind"}).ProgramSender(); got != "The Northwind customer reference team" {
		t.Errorf("program sender %q", got)
	}
}

func TestSignatureAndNote(t *testing.T) {
	for _, c := range []struct{ name, title, company, email, want string }{
		{"Dana Lee", "Reference manager", "Northwind", "dana@n.example", "Dana Lee\nReference manager, Northwind\ndana@n.example"},
		{"Dana Lee", "", "Northwind", "dana@n.example", "Dana Lee\nNorthwind\ndana@n.example"},
		{"The team", "", "", "", "The team"},
	} {
		if got := Signature(c.name, c.title, c.company, c.email); got != c.want {
			t.Errorf("Signature(%q, %q, %q, %q) = %q, want %q", c.name, c.title, c.company, c.email, got, c.want)
		}
	}
	if CheckAskNote(strings.Repeat("é", AskNoteMax)) != nil || ErrorFields(CheckAskNote(strings.Repeat("x", AskNoteMax+1)))["note"] == "" {
		t.Error("the note's limit is not 1000 characters")
	}
}
