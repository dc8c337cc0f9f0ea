package fulfillment

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The mails that go to advocates and sellers about an ask, written from
// the templates in the mail settings (vouch.MailTemplate): this file fills
// their placeholders, signs them, and previews an edited template.

// mailValues are the placeholders of every mail about the ask in sc, for
// a mail signed by signer (nil: the program's sender). The links and days
// that only some mails have are added by their callers.
func (s *Service) mailValues(ctx context.Context, ms vouch.MailSettings, sc *scene, signer *vouch.User) map[string]string {
	seller, _ := s.userName(ctx, sc.req.RequesterID)
	activity := strings.ToLower(s.typeName(sc.req.ActivityTypeID))
	if sc.sample {
		seller, activity = "Dana Lee", "reference call"
	}
	note := ""
	if sc.ask != nil {
		note = sc.ask.Note
	}
	return map[string]string{
		"company":             ms.CompanyName(),
		"advocate_name":       sc.ref.Name,
		"advocate_first_name": vouch.FirstName(sc.ref.Name),
		"account":             sc.acct.Name,
		"seller_name":         orDefault(seller, "Our team"),
		"seller_first_name":   orDefault(vouch.FirstName(seller), "there"),
		"prospect":            orDefault(sc.opp.Prospect, "a prospective customer"),
		"activity":            activity,
		"due_date":            sc.req.DueDate.Time().Format("Monday 2 January 2006"),
		"context":             sc.req.Context,
		"note":                note,
		"signature":           signature(ms, signer),
	}
}

// signature signs a mail as signer, or as the program's sender when nil.
func signature(ms vouch.MailSettings, signer *vouch.User) string {
	company := strings.TrimSpace(ms.Company)
	if signer != nil {
		return vouch.Signature(signer.Name, "", company, signer.Email)
	}
	name := ms.ProgramSender()
	if strings.Contains(name, company) {
		company = "" // "The Northwind customer reference team" names it already
	}
	return vouch.Signature(name, "", company, ms.SenderEmail)
}

// mailFrom renders the template of mail kind with values, to the address
// to, from signer by name ("Tess Ng at Northwind", replies to them), or
// from the program's sender when signer is nil.
func mailFrom(ms vouch.MailSettings, kind vouch.MailKind, values map[string]string, to string, requestID int64, signer *vouch.User) vouch.Mail {
	subject, body := ms.Template(kind).Render(values)
	m := vouch.Mail{To: to, Subject: subject, Body: body, RequestID: requestID, FromName: ms.ProgramSender(), ReplyTo: ms.SenderEmail}
	if signer != nil {
		m.FromName, m.ReplyTo = signer.Name, signer.Email
		if c := strings.TrimSpace(ms.Company); c != "" {
			m.FromName += " at " + c
		}
	}
	return m
}

// askMail is the mail asking an advocate (a reminder when reminder is set),
// signed by signer (nil: the program's sender); it names the day the link
// in it (token, valid until expires) stops working.
func (s *Service) askMail(ctx context.Context, sc *scene, signer *vouch.User, token string, expires time.Time, reminder bool) (vouch.Mail, error) {
	ms, err := s.db.MailSettings(ctx)
	if err != nil {
		return vouch.Mail{}, err
	}
	values := s.mailValues(ctx, ms, sc, signer)
	values["answer_link"] = s.url("/a/" + token)
	// The day the link stops working, in the advocate's zone: the day they read.
	values["expires_on"] = expires.In(s.db.Clock.LocationFor(sc.ref.TimeZone)).Format("2 January 2006")
	kind := vouch.MailAsk
	if reminder {
		kind = vouch.MailReminder
	}
	return mailFrom(ms, kind, values, sc.ref.Email, sc.req.ID, signer), nil
}

// asker is the user who made the ask, to sign its mails; nil when unknown.
func (s *Service) asker(ctx context.Context, a *vouch.Ask) *vouch.User {
	if a == nil || a.AskedBy == 0 {
		return nil
	}
	u, err := s.db.User(ctx, a.AskedBy)
	if err != nil {
		return nil
	}
	return u
}

// MailSettings are the company, the program's sender and the mail
// templates (defaults where none was saved).
func (s *Service) MailSettings(ctx context.Context, by *vouch.User) (vouch.MailSettings, error) {
	if !by.Can(vouch.PermEditMails) {
		return vouch.MailSettings{}, errMailsAdminOnly
	}
	return s.db.MailSettings(ctx)
}

var errMailsAdminOnly = vouch.Errorf(vouch.EFORBIDDEN, "Only an admin edits the program's mails.")

// SaveMailSettings saves the company, the sender and the templates; a
// template left out of ms.Templates is back to its default. An unknown
// placeholder, a missing link or a subject on two lines is refused with
// its name, and then nothing is saved.
func (s *Service) SaveMailSettings(ctx context.Context, by *vouch.User, ms vouch.MailSettings) error {
	if !by.Can(vouch.PermEditMails) {
		return errMailsAdminOnly
	}
	return s.db.SetMailSettings(ctx, ms)
}

// MailPreview is a template rendered as it would be sent.
type MailPreview struct {
	Mail vouch.Mail `json:"mail"`
	// Source says whose data fills it: "the ask of Maya Chen for request
	// #12", or "sample data" when there is no ask yet.
	Source string `json:"source"`
}

// PreviewMail renders tmpl as mail kind with the data of the latest ask
// (a realistic sample when there is none); its links lead nowhere. A
// template the settings would refuse is refused here with the same error.
func (s *Service) PreviewMail(ctx context.Context, by *vouch.User, kind vouch.MailKind, tmpl vouch.MailTemplate) (*MailPreview, error) {
	if !by.Can(vouch.PermEditMails) {
		return nil, errMailsAdminOnly
	}
	if !kind.Valid() {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "There is no %q mail.", kind)
	}
	if err := tmpl.Check(kind, string(kind)+"_"); err != nil {
		return nil, err
	}
	ms, err := s.db.MailSettings(ctx)
	if err != nil {
		return nil, err
	}
	ms.Templates = map[vouch.MailKind]vouch.MailTemplate{kind: tmpl}
	sc, source, err := s.previewScene(ctx)
	if err != nil {
		return nil, err
	}
	signer := by // feedback and thank-you mails: signed by whoever marks the activity completed
	switch kind {
	case vouch.MailAsk:
		if u := s.asker(ctx, sc.ask); u != nil {
			signer = u
		}
	case vouch.MailReminder:
		signer = nil
	}
	values := s.mailValues(ctx, ms, sc, signer)
	values["answer_link"] = s.url("/a/preview-this-link-does-not-work")
	values["feedback_link"] = s.url("/f/preview-this-link-does-not-work")
	values["expires_on"] = s.now().Add(AskTTL).UTC().Format("2 January 2006")
	if sc.ask != nil && sc.ask.SentAt != nil {
		tm, err := s.timing(ctx)
		if err != nil {
			return nil, err
		}
		values["expires_on"] = sc.ask.SentAt.Add(tm.askTTL).UTC().Format("2 January 2006")
	}
	to := sc.ref.Email
	if kind == vouch.MailFeedback {
		_, to = s.userName(ctx, sc.req.RequesterID)
		to = orDefault(to, "dana.lee@example.com")
	}
	return &MailPreview{Mail: mailFrom(ms, kind, values, to, sc.req.ID, signer), Source: source}, nil
}

// previewScene is the latest ask with everything its mails talk about, or
// a sample when there is none yet.
func (s *Service) previewScene(ctx context.Context) (*scene, string, error) {
	a, err := s.db.LatestAsk(ctx)
	switch {
	case err == nil:
		sc, err := s.scene(ctx, a.ID)
		if err != nil {
			return nil, "", err
		}
		return sc, fmt.Sprintf("the ask of %s for request #%d", sc.ref.Name, sc.req.ID), nil
	case vouch.ErrorCode(err) != vouch.ENOTFOUND:
		return nil, "", err
	}
	sample := &scene{sample: true,
		ask: &vouch.Ask{Note: "I thought of you because your team rolled out the same product last year — twenty minutes would help a lot."},
		req: &vouch.Request{DueDate: s.db.Today().AddDays(10),
			Context: "Acme Corp is choosing between us and a competitor; they would like to hear how the rollout went."},
		ref:  &vouch.Reference{Name: "Maya Chen", Email: "maya.chen@example.com"},
		acct: &vouch.Account{Name: "Globex"},
		opp:  &vouch.Opportunity{Name: "Acme Corp — expansion", Prospect: "Acme Corp"},
	}
	return sample, "sample data: there is no ask yet", nil
}
