package fulfillment_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The advocate is told who asks: the company by name, the team member's
// note, and their signature; the note is kept on the ask and audited.
func TestAskWithANoteNamesTheCompanyAndIsSigned(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		admin := l.user(t, "ada@example.com", vouch.RoleAdmin)
		if err := l.s.SaveMailSettings(l.ctx(admin), admin, vouch.MailSettings{Company: "Vouchly", SenderName: "Vouchly references",
			SenderEmail: "refs@vouchly.example"}); err != nil {
			t.Fatal(err)
		}
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")

		long := vouch.AskInput{RequestID: req.ID, ReferenceID: maya.ID, Note: strings.Repeat("x", vouch.AskNoteMax+1)}
		if _, err := l.s.AskReference(l.ctx(l.pm), l.pm, long); vouch.ErrorFields(err)["note"] == "" {
			t.Fatalf("a note over the limit: %v", err)
		}
		if n := len(l.mails(t)); n != 0 {
			t.Fatalf("a refused ask queued %d mails", n)
		}

		note := "Maya, you told us how the rollout went at Northwind Health —\nContoso would love to hear it."
		ask, err := l.s.AskReference(l.ctx(l.pm), l.pm, vouch.AskInput{RequestID: req.ID, ReferenceID: maya.ID, Note: "  " + note + "\n"})
		if err != nil {
			t.Fatal(err)
		}
		m := l.mailsTo(t, maya.Email, 0)[0]
		for _, want := range []string{"Sally at Vouchly is talking with Contoso", note, "Pat\nVouchly\npat@example.com"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("the ask mail lacks %q:\n%s", want, m.Body)
			}
		}
		if m.FromName != "Pat at Vouchly" || m.ReplyTo != "pat@example.com" {
			t.Errorf("the ask mail is from %q, replies to %q", m.FromName, m.ReplyTo)
		}
		if got, _ := db.Ask(ctx, ask.ID); got.Note != note || got.AskedBy != l.pm.ID {
			t.Errorf("the ask keeps note %q, asked by %d", got.Note, got.AskedBy)
		}
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "ask", EntityID: ask.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 || !strings.Contains(fmt.Sprint(entries[len(entries)-1].Changes), "rollout went") {
			t.Errorf("the note is not in the ask's audit entry: %+v", entries)
		}
		v, err := l.s.OpenLink(ctx, token(t, m, "a"))
		if err != nil {
			t.Fatal(err)
		}
		if v.Company != "Vouchly" || v.Ask.Note != note || v.AskedBy != "Pat" || v.AskedByEmail != "pat@example.com" {
			t.Errorf("the answer page reads company %q, note %q, asked by %q <%s>", v.Company, v.Ask.Note, v.AskedBy, v.AskedByEmail)
		}

		// Nobody sends the reminder: the program's sender signs it.
		l.now = l.now.Add(3*24*time.Hour + time.Minute)
		n := len(l.mails(t))
		if err := l.s.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		r := l.mailsTo(t, maya.Email, n)
		if len(r) != 1 || !strings.HasPrefix(r[0].Subject, "Reminder:") || !strings.HasSuffix(r[0].Body, "Vouchly references\nrefs@vouchly.example\n") ||
			strings.Contains(r[0].Body, "pat@example.com") || !strings.Contains(r[0].Body, note) {
			t.Errorf("the reminder: %+v", r)
		} else if r[0].FromName != "Vouchly references" || r[0].ReplyTo != "refs@vouchly.example" {
			t.Errorf("the reminder is from %q, replies to %q", r[0].FromName, r[0].ReplyTo)
		}
	})
}

// An admin's edited template is what goes out; a refused one changes
// nothing; only an admin edits.
func TestEditedMailTemplates(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		admin := l.user(t, "ada@example.com", vouch.RoleAdmin)
		edited := vouch.MailSettings{Company: "Vouchly", Templates: map[vouch.MailKind]vouch.MailTemplate{
			vouch.MailAsk:      {Subject: "{advocate_first_name}, a favour for {company}?", Body: "Dear {advocate_name},\n{note}\nAnswer: {answer_link}\n-- \n{signature}"},
			vouch.MailThankYou: {Subject: "Thanks!", Body: "Thanks {advocate_first_name}. {feedback_link}"},
		}}
		if err := l.s.SaveMailSettings(l.ctx(l.pm), l.pm, edited); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("a program manager edits mails: %v", err)
		}
		if err := l.s.SaveMailSettings(l.ctx(admin), admin, edited); err != nil {
			t.Fatal(err)
		}

		refused := edited
		refused.Company = "Someone else"
		refused.Templates = map[vouch.MailKind]vouch.MailTemplate{vouch.MailAsk: {Subject: "Hi", Body: "Hi {advocat_name} {answer_link}"}}
		err := l.s.SaveMailSettings(l.ctx(admin), admin, refused)
		if vouch.ErrorMessage(err) != "Unknown placeholder {advocat_name} in the ask mail's body." || vouch.ErrorFields(err)["ask_body"] == "" {
			t.Errorf("unknown placeholder: %v", err)
		}
		refused.Templates = map[vouch.MailKind]vouch.MailTemplate{vouch.MailAsk: {Subject: "Hi", Body: "Hi {advocate_name}"}}
		if err := l.s.SaveMailSettings(l.ctx(admin), admin, refused); !strings.Contains(vouch.ErrorMessage(err), "{answer_link}") {
			t.Errorf("without the answer link: %v", err)
		}
		got, err := l.s.MailSettings(l.ctx(admin), admin)
		if err != nil {
			t.Fatal(err)
		}
		if got.Company != "Vouchly" || got.Template(vouch.MailAsk) != edited.Templates[vouch.MailAsk] || !got.Edited(vouch.MailThankYou) || got.Edited(vouch.MailReminder) {
			t.Errorf("a refused save changed the settings: %+v", got)
		}

		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		ask, err := l.s.AskReference(l.ctx(l.pm), l.pm, vouch.AskInput{RequestID: req.ID, ReferenceID: maya.ID, Note: "Twenty minutes?"})
		if err != nil {
			t.Fatal(err)
		}
		m := l.mailsTo(t, maya.Email, 0)[0]
		if m.Subject != "Maya, a favour for Vouchly?" || !strings.HasPrefix(m.Body, "Dear Maya Okafor,\nTwenty minutes?\nAnswer: "+base+"/a/") ||
			!strings.HasSuffix(m.Body, "-- \nPat\nVouchly\npat@example.com\n") {
			t.Errorf("the edited ask mail:\n%s\n%s", m.Subject, m.Body)
		}
		// The thank-you is edited, the seller's feedback mail is the default.
		if _, err := l.s.Answer(ctx, token(t, m, "a"), vouch.Answer{Action: vouch.AnswerAccept}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.Schedule(l.ctx(l.pm), l.pm, ask.ID, vouch.Schedule{At: l.now.Add(48 * time.Hour), DurationMinutes: 30}); err != nil {
			t.Fatal(err)
		}
		l.now = l.now.Add(72 * time.Hour)
		n := len(l.mails(t))
		if _, err := l.s.Complete(l.ctx(l.pm), l.pm, ask.ID, vouch.OutcomeCompleted, vouch.Date{}); err != nil {
			t.Fatal(err)
		}
		thanks, feedback := l.mailsTo(t, maya.Email, n), l.mailsTo(t, l.seller.Email, n)
		if len(thanks) != 1 || thanks[0].Subject != "Thanks!" || !strings.HasPrefix(thanks[0].Body, "Thanks Maya. "+base+"/f/") {
			t.Errorf("the thank-you mail: %+v", thanks)
		}
		if len(feedback) != 1 || feedback[0].Subject != "How was the call with Maya Okafor?" || !strings.Contains(feedback[0].Body, "Hello Sally,") ||
			!strings.HasSuffix(feedback[0].Body, "Pat\nVouchly\npat@example.com\n") {
			t.Errorf("the seller's feedback mail: %+v", feedback)
		}

		// Reset: a template left out is back to its default.
		if err := l.s.SaveMailSettings(l.ctx(admin), admin, vouch.MailSettings{Company: "Vouchly"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := l.s.MailSettings(l.ctx(admin), admin); got.Edited(vouch.MailAsk) || got.Template(vouch.MailAsk) != vouch.DefaultMailTemplate(vouch.MailAsk) {
			t.Errorf("after a reset the ask mail is %+v", got.Template(vouch.MailAsk))
		}
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "setting:mail_template_ask"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 {
			t.Errorf("%d audit entries of the ask template, want 2 (edited, reset)", len(entries))
		}
	})
}

// The preview shows a template with the latest ask's data, or a sample.
func TestPreviewMail(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		admin := l.user(t, "ada@example.com", vouch.RoleAdmin)
		tmpl := vouch.MailTemplate{Subject: "For {prospect}", Body: "Hello {advocate_first_name} — {note}\n{answer_link}\n{signature}"}
		p, err := l.s.PreviewMail(l.ctx(admin), admin, vouch.MailAsk, tmpl)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(p.Source, "sample") || p.Mail.Subject != "For Acme Corp" || !strings.HasPrefix(p.Mail.Body, "Hello Maya — I thought of you") {
			t.Errorf("sample preview: %+v", p)
		}
		if _, err := l.s.PreviewMail(l.ctx(admin), admin, vouch.MailAsk, vouch.MailTemplate{Subject: "x", Body: "{nope} {answer_link}"}); !strings.Contains(vouch.ErrorMessage(err), "{nope}") {
			t.Errorf("preview of an unknown placeholder: %v", err)
		}
		if _, err := l.s.PreviewMail(l.ctx(l.seller), l.seller, vouch.MailAsk, tmpl); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("a seller previews: %v", err)
		}

		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		if _, err := l.s.AskReference(l.ctx(l.pm), l.pm, vouch.AskInput{RequestID: req.ID, ReferenceID: maya.ID, Note: "Just 20 minutes."}); err != nil {
			t.Fatal(err)
		}
		p, err = l.s.PreviewMail(l.ctx(admin), admin, vouch.MailAsk, tmpl)
		if err != nil {
			t.Fatal(err)
		}
		if p.Source != fmt.Sprintf("the ask of Maya Okafor for request #%d", req.ID) || p.Mail.Subject != "For Contoso" || p.Mail.To != maya.Email ||
			!strings.HasPrefix(p.Mail.Body, "Hello Maya — Just 20 minutes.\n") || !strings.HasSuffix(p.Mail.Body, "Pat\npat@example.com\n") {
			t.Errorf("preview with the latest ask: %+v", p)
		}
		if n := len(l.mails(t)); n != 1 {
			t.Errorf("previews queued mail: %d in the outbox", n)
		}
	})
}

// An ask the account owner approves first goes out signed by the team
// member who asked, with their note, which the owner read too.
func TestApprovedAskIsSignedByWhoAsked(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		if err := db.SetActivityTypeRule(l.ctx(l.pm), vouch.ActivityTypeRule{TypeID: l.call, Workflow: vouch.WorkflowProgramManaged,
			Approval: true, Points: 10}); err != nil {
			t.Fatal(err)
		}
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		note := "Maya, Contoso runs the same stack as you."
		ask, err := l.s.AskReference(l.ctx(l.pm), l.pm, vouch.AskInput{RequestID: req.ID, ReferenceID: maya.ID, Note: note})
		if err != nil {
			t.Fatal(err)
		}
		if om := l.mailsTo(t, l.owner.Email, 0); len(om) != 1 || !strings.Contains(om[0].Body, "Their note to Maya Okafor:\n"+note) {
			t.Errorf("the owner's mail: %+v", om)
		}
		if _, err := l.s.Approve(l.ctx(l.owner), l.owner, ask.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		am := l.mailsTo(t, maya.Email, 0)
		if len(am) != 1 || !strings.Contains(am[0].Body, note) || !strings.HasSuffix(am[0].Body, "Pat\npat@example.com\n") ||
			am[0].ReplyTo != "pat@example.com" || strings.Contains(am[0].Body, l.owner.Email) {
			t.Errorf("the approved ask's mail: %+v", am)
		}
	})
}
