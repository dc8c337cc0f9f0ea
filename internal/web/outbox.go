package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// outboxPageSize is how many mails one outbox page lists.
const outboxPageSize = 50

// outboxPage is what outbox.html shows.
type outboxPage struct {
	Mails          []vouch.OutboxMail
	Status         string
	Statuses       []queueTab
	Total          int
	From, To       int
	PrevURL        string
	NextURL        string
	MailConfigured bool
}

func outboxURL(status string, offset int) string {
	v := url.Values{}
	if status != "" {
		v.Set("status", status)
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	if len(v) == 0 {
		return "/admin/outbox"
	}
	return "/admin/outbox?" + v.Encode()
}

// outbox serves GET /admin/outbox: every mail Vouch queued, newest first,
// with whether it was sent.
func (h *Handler) outbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := &outboxPage{Status: q.Get("status"), MailConfigured: h.opts.MailConfigured}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(offset, 0)
	for _, s := range []struct{ Key, Label string }{{"", "All"}, {vouch.MailPending, "Pending"}, {vouch.MailSent, "Sent"}, {vouch.MailFailed, "Failed"}} {
		_, n, err := h.opts.Fulfillment.Outbox(ctx, vouch.OutboxFilter{Status: s.Key, Limit: 1})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		d.Statuses = append(d.Statuses, queueTab{Key: s.Key, Label: s.Label, Count: n, URL: outboxURL(s.Key, 0), Current: s.Key == d.Status})
	}
	mails, total, err := h.opts.Fulfillment.Outbox(ctx, vouch.OutboxFilter{Status: d.Status, Limit: outboxPageSize, Offset: offset})
	if err != nil {
		if isFormError(err) {
			h.errorPage(w, r, http.StatusNotFound, "The outbox has no status “"+d.Status+"”. Try pending, sent or failed.")
			return
		}
		h.serverError(w, r, err)
		return
	}
	d.Mails, d.Total = mails, total
	if len(mails) > 0 {
		d.From, d.To = offset+1, offset+len(mails)
		if offset > 0 {
			d.PrevURL = outboxURL(d.Status, max(offset-outboxPageSize, 0))
		}
		if d.To < total {
			d.NextURL = outboxURL(d.Status, offset+outboxPageSize)
		}
	}
	h.render(w, r, http.StatusOK, "outbox", &page{Title: "Outbox", Nav: "outbox", Data: d})
}

// outboxMail serves GET /admin/outbox/{id}: one mail as it is (or was) sent.
func (h *Handler) outboxMail(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	m, err := h.opts.Fulfillment.OutboxMail(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "outbox_mail", &page{Title: m.Subject, Nav: "outbox",
		Data: map[string]any{"Mail": m, "MailConfigured": h.opts.MailConfigured}})
}

// retryMail serves POST /admin/outbox/{id}/retry: a failed mail is tried
// again at once, with a fresh round of attempts.
func (h *Handler) retryMail(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	back := backTo(r, fmt.Sprintf("/admin/outbox/%d", id))
	if err := h.opts.Fulfillment.RetryMail(r.Context(), id); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	msg := "The mail will be sent again within a minute."
	if !h.opts.MailConfigured {
		msg = "The mail is queued again, but no SMTP server is configured: it stays here until one is."
	}
	redirect(w, r, back, msg)
}

// webAddress finds the http(s) addresses in a plain-text mail.
var webAddress = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]]`)

// linkify shows plain text with its web addresses as links, everything
// escaped: how a mail client shows a plain-text mail.
func linkify(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, loc := range webAddress.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:loc[0]]))
		u := template.HTMLEscapeString(s[loc[0]:loc[1]])
		fmt.Fprintf(&b, `<a href="%s" rel="noopener">%s</a>`, u, u)
		last = loc[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}
