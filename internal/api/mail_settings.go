package api

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/vouch"
)

// mailSettingsView is the body of GET and PATCH /api/v1/settings/mail.
type mailSettingsView struct {
	Company     string     `json:"company"`
	SenderName  string     `json:"sender_name"`
	SenderEmail string     `json:"sender_email"`
	Mails       []mailView `json:"mails"`
}

// mailView is one editable mail: its text as used, and the placeholders it knows.
type mailView struct {
	Kind         vouch.MailKind      `json:"kind"`
	Subject      string              `json:"subject"`
	Body         string              `json:"body"`
	Edited       bool                `json:"edited"` // false: the default text
	Placeholders []vouch.Placeholder `json:"placeholders"`
}

func mailSettingsOf(ms vouch.MailSettings) mailSettingsView {
	v := mailSettingsView{Company: ms.Company, SenderName: ms.SenderName, SenderEmail: ms.SenderEmail, Mails: []mailView{}}
	for _, k := range vouch.MailKinds {
		t := ms.Text(k)
		v.Mails = append(v.Mails, mailView{Kind: k, Subject: t.Subject, Body: t.Body, Edited: ms.Edited(k), Placeholders: k.Placeholders()})
	}
	return v
}

// getMailSettings serves GET /api/v1/settings/mail: the company, the
// program's sender and the text of every editable mail. Admins only.
func (h *Handler) getMailSettings(w http.ResponseWriter, r *http.Request) {
	ms, err := h.ful.MailSettings(r.Context(), userFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mailSettingsOf(ms))
}

// updateMailSettings serves PATCH /api/v1/settings/mail: fields left out
// are unchanged; a mail under templates set to null is back to its default.
func (h *Handler) updateMailSettings(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Company     optional[string]                       `json:"company"`
		SenderName  optional[string]                       `json:"sender_name"`
		SenderEmail optional[string]                       `json:"sender_email"`
		Templates   map[vouch.MailKind]*vouch.MailTemplate `json:"templates"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	ctx, u := r.Context(), userFrom(r.Context())
	ms, err := h.ful.MailSettings(ctx, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range []struct {
		in  optional[string]
		out *string
	}{{body.Company, &ms.Company}, {body.SenderName, &ms.SenderName}, {body.SenderEmail, &ms.SenderEmail}} {
		if f.in.Set {
			*f.out = f.in.Value
		}
	}
	for k, t := range body.Templates {
		if !k.Valid() {
			writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "There is no mail " + string(k) + "; the mails are ask, reminder, feedback and thank_you.",
				Fields: map[string]string{"templates." + string(k): "is not a mail"}})
			return
		}
		if t == nil {
			delete(ms.Templates, k)
		} else {
			ms.Templates[k] = *t
		}
	}
	if err := h.ful.SaveMailSettings(ctx, u, ms); err != nil {
		h.fail(w, r, err)
		return
	}
	if ms, err = h.ful.MailSettings(ctx, u); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mailSettingsOf(ms))
}

// previewMail serves POST /api/v1/settings/mail/{kind}/preview: the text
// given, rendered with the latest ask's data (a sample when there is
// none), without saving it.
func (h *Handler) previewMail(w http.ResponseWriter, r *http.Request) {
	var t vouch.MailTemplate
	if err := decode(r, &t); err != nil {
		writeError(w, err)
		return
	}
	p, err := h.ful.PreviewMail(r.Context(), userFrom(r.Context()), vouch.MailKind(r.PathValue("kind")), t)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		To      string `json:"to"`
		Subject string `json:"subject"`
		Body    string `json:"body"`
		Source  string `json:"source"`
	}{p.Mail.To, p.Mail.Subject, p.Mail.Body, p.Source})
}
