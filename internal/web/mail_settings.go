package web

import (
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

var mailSettingLabels = map[string]string{"company": "Company name", "sender_name": "Sender name",
	"sender_email": "Sender address", "subject": "Subject", "body": "Body"}

// mailsView is what mail_settings.html shows: who the mails come from and
// the editable mails.
type mailsView struct {
	Settings vouch.MailSettings
	Mails    []mailSummary
}

// mailSummary is one editable mail in the list.
type mailSummary struct {
	Kind    vouch.MailKind
	Subject string
	Edited  bool
}

// mailTemplateView is what mail_template.html shows: one template being
// edited, its placeholders and its preview.
type mailTemplateView struct {
	Kind         vouch.MailKind
	Template     vouch.MailTemplate
	Edited       bool
	Placeholders []vouch.Placeholder
	Preview      *fulfillment.MailPreview // nil when the text shown cannot be rendered
	Company      string                   // unset: mails say "our company"
}

// mailSettings serves GET /admin/settings/mails: the company, the
// program's sender and the list of editable mails.
func (h *Handler) mailSettings(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	ms, err := h.opts.Fulfillment.MailSettings(r.Context(), u)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "mail_settings", &page{Title: "Mails", Nav: "settings", Data: mailsViewOf(ms)})
}

func mailsViewOf(ms vouch.MailSettings) mailsView {
	v := mailsView{Settings: ms}
	for _, k := range vouch.MailKinds {
		v.Mails = append(v.Mails, mailSummary{Kind: k, Subject: ms.Text(k).Subject, Edited: ms.Edited(k)})
	}
	return v
}

// saveMailSender serves POST /admin/settings/mails: the company's name and
// the program's sender; the templates stay as they are.
func (h *Handler) saveMailSender(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), userFrom(r.Context())
	ms, err := h.opts.Fulfillment.MailSettings(ctx, u)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ms.Company, ms.SenderName, ms.SenderEmail = r.PostFormValue("company"), r.PostFormValue("sender_name"), r.PostFormValue("sender_email")
	if err := h.opts.Fulfillment.SaveMailSettings(ctx, u, ms); err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p := &page{Title: "Mails", Nav: "settings", Form: r.PostForm, Data: mailsViewOf(ms)}
		h.render(w, r, failForm(p, err, mailSettingLabels), "mail_settings", p)
		return
	}
	redirect(w, r, "/admin/settings/mails", "Saved: mails now come from "+ms.ProgramSender()+".")
}

// pathMailKind reads the mail of /admin/settings/mails/{kind}.
func pathMailKind(r *http.Request) (vouch.MailKind, bool) {
	k := vouch.MailKind(r.PathValue("kind"))
	return k, k.Valid()
}

// mailTemplate serves GET /admin/settings/mails/{kind}: the template of
// one mail, its placeholders, and a preview with a recent ask's data.
func (h *Handler) mailTemplate(w http.ResponseWriter, r *http.Request) {
	kind, ok := pathMailKind(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx, u := r.Context(), userFrom(r.Context())
	ms, err := h.opts.Fulfillment.MailSettings(ctx, u)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	v := &mailTemplateView{Kind: kind, Template: ms.Text(kind), Edited: ms.Edited(kind), Placeholders: kind.Placeholders(), Company: ms.Company}
	p := &page{Title: kind.Title() + " mail", Nav: "settings", Data: v}
	// A saved text is valid, unless the placeholders changed since: then
	// the page says what to correct instead of failing.
	if v.Preview, err = h.opts.Fulfillment.PreviewMail(ctx, u, kind, v.Template); err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p.Error = vouch.ErrorMessage(err)
	}
	h.render(w, r, http.StatusOK, "mail_template", p)
}

// saveMailTemplate serves POST /admin/settings/mails/{kind}: preview the
// text in the form, save it, or reset the mail to its default text
// (the button pressed, "do", says which).
func (h *Handler) saveMailTemplate(w http.ResponseWriter, r *http.Request) {
	kind, ok := pathMailKind(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx, u := r.Context(), userFrom(r.Context())
	ms, err := h.opts.Fulfillment.MailSettings(ctx, u)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	back := "/admin/settings/mails/" + string(kind)
	tmpl := vouch.MailTemplate{Subject: strings.TrimSpace(r.PostFormValue("subject")), Body: strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n")}
	edited := map[vouch.MailKind]vouch.MailTemplate{}
	for k, t := range ms.Templates {
		edited[k] = t
	}
	ms.Templates = edited
	switch r.PostFormValue("do") {
	case "reset":
		delete(ms.Templates, kind)
		err = h.opts.Fulfillment.SaveMailSettings(ctx, u, ms)
		if err == nil {
			redirect(w, r, back, "The "+kind.Label()+" is back to its default text.")
			return
		}
	case "save":
		ms.Templates[kind] = tmpl
		err = h.opts.Fulfillment.SaveMailSettings(ctx, u, ms)
		if err == nil {
			redirect(w, r, back, "Saved: the "+kind.Label()+" goes out with this text from now on.")
			return
		}
	}
	v := &mailTemplateView{Kind: kind, Template: tmpl, Edited: ms.Edited(kind), Placeholders: kind.Placeholders(), Company: ms.Company}
	p := &page{Title: kind.Title() + " mail", Nav: "settings", Form: r.PostForm, Data: v}
	status := http.StatusOK
	if err == nil { // a preview, or a button nobody knows: show the text as it would go out
		v.Preview, err = h.opts.Fulfillment.PreviewMail(ctx, u, kind, tmpl)
	}
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		// The service names the fields after the mail ("ask_body"); the form's are "body".
		fields := map[string]string{}
		for f, reason := range vouch.ErrorFields(err) {
			fields[strings.TrimPrefix(f, string(kind)+"_")] = reason
		}
		p.Error, p.Errors, status = vouch.ErrorMessage(err), fieldErrors(&vouch.Error{Code: vouch.EINVALID, Fields: fields}, mailSettingLabels), formStatus(err)
	}
	h.render(w, r, status, "mail_template", p)
}
