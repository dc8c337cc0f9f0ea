package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

// askPage is what advocate.html and advocate_done.html show.
type askPage struct {
	Token       string
	Name        string // the advocate's
	Account     string // the advocate's company
	Seller      string
	SellerEmail string
	Activity    string // "call", lower case, for sentences
	Prospect    string // the prospect's company, or "a prospective customer"
	Context     string
	Due         string // "Friday 12 March 2027"
	Expires     string
	Tomorrow    string // the earliest day a pause may end, as a date input wants it
	Action      string // the answer chosen, when the form is shown again or answered
	NotBefore   string // after a pause: "3 March 2027"
	Times       string // after an accept: the times proposed
	Company     string // who asks: "Northwind", or "our company" until the settings name it
	Note        string // the personal note of the team member who asked
	AskedBy     string // that team member
	AskedByMail string
}

func (h *Handler) askPageOf(r *http.Request, v *fulfillment.LinkView) *askPage {
	p := &askPage{
		Token:    r.PathValue("token"),
		Name:     v.Reference.Name,
		Account:  v.Account.Name,
		Seller:   orIfBlank(v.Seller, "Our team"),
		Activity: strings.ToLower(v.Activity),
		Prospect: orIfBlank(v.Opportunity.Prospect, "a prospective customer"),
		Context:  v.Request.Context,
		Due:      publicDate(v.Request.DueDate.Time()),
		// The advocate has no account: they read in their own zone.
		Expires:  v.ExpiresAt.In(h.clock.LocationFor(v.Reference.TimeZone)).Format("2 January 2006"),
		Tomorrow: h.clock.Today().AddDays(1).String(),
		Company:  v.Company,
		Note:     v.Ask.Note,
		AskedBy:  v.AskedBy, AskedByMail: v.AskedByEmail,
	}
	if u, err := h.db.User(r.Context(), v.Request.RequesterID); err == nil {
		p.SellerEmail = u.Email
	}
	return p
}

// orIfBlank is s, or def when s is blank.
func orIfBlank(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// advocatePage serves GET /a/{token}: who asks, for what, by when, and the
// answers the advocate can give.
func (h *Handler) advocatePage(w http.ResponseWriter, r *http.Request) {
	v, err := h.opts.Fulfillment.OpenLink(r.Context(), r.PathValue("token"))
	if err == nil && v.Purpose != vouch.LinkAnswer {
		err = fulfillment.ErrBadLink // a feedback link under /a/
	}
	if err != nil {
		h.showLinkProblem(w, r, err, "")
		return
	}
	p := h.askPageOf(r, v)
	h.renderPublic(w, http.StatusOK, "advocate", &publicPage{Title: "Would you do a " + p.Activity + "?", Form: url.Values{}, Data: p})
}

// advocateAnswer serves POST /a/{token}: the advocate accepts, declines,
// pauses or opts out, and reads what happens next.
func (h *Handler) advocateAnswer(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	v, err := h.opts.Fulfillment.OpenLink(r.Context(), token)
	if err == nil && v.Purpose != vouch.LinkAnswer {
		err = fulfillment.ErrBadLink
	}
	if err != nil {
		h.showLinkProblem(w, r, err, "")
		return
	}
	p := h.askPageOf(r, v)
	contact := h.contactOf(r, v.Request.RequesterID)
	if err := readPublicForm(w, r); err != nil {
		h.renderPublic(w, http.StatusBadRequest, "advocate", &publicPage{Title: "Would you do a " + p.Activity + "?",
			Error: "Your answer could not be read. Please choose again.", Form: url.Values{}, Data: p})
		return
	}
	ans := vouch.Answer{Action: r.PostForm.Get("action"), ProposedTimes: r.PostForm.Get("proposed_times"), Note: r.PostForm.Get("note")}
	p.Action = ans.Action
	again := func(status int, msg string, fields map[string]string) {
		h.renderPublic(w, status, "advocate", &publicPage{Title: "Would you do a " + p.Activity + "?",
			Error: msg, Errors: fields, Form: r.PostForm, Data: p})
	}
	switch ans.Action {
	case vouch.AnswerAccept, vouch.AnswerDecline:
	case vouch.AnswerPause:
		raw := strings.TrimSpace(r.PostForm.Get("not_before"))
		if raw == "" {
			again(http.StatusBadRequest, "Choose the first day we may ask you again.",
				map[string]string{"not_before": "Choose the first day we may ask you again."})
			return
		}
		if ans.NotBefore, err = vouch.ParseDate(raw); err != nil {
			again(http.StatusBadRequest, "That date could not be read.",
				map[string]string{"not_before": "Enter a date like " + p.Tomorrow + "."})
			return
		}
	case vouch.AnswerOptOut:
		if r.PostForm.Get("confirm") != "yes" {
			again(http.StatusBadRequest, "Tick the box to confirm that you want to leave the reference program.",
				map[string]string{"confirm": "Tick the box to confirm that you want to leave the reference program."})
			return
		}
	default:
		again(http.StatusBadRequest, "Choose one of the answers below.", nil)
		return
	}
	ask, err := h.opts.Fulfillment.Answer(r.Context(), token, ans)
	switch {
	case err == nil:
	case vouch.ErrorCode(err) == vouch.EINVALID:
		fields := map[string]string{}
		if msg := vouch.ErrorFields(err)["not_before"]; msg != "" {
			fields["not_before"] = "Choose a day after today."
		}
		again(http.StatusBadRequest, vouch.ErrorMessage(err), fields)
		return
	default:
		h.showLinkProblem(w, r, err, contact)
		return
	}
	if ans.Action == vouch.AnswerPause {
		p.NotBefore = ans.NotBefore.Time().Format("2 January 2006")
	}
	p.Times = ask.ProposedTimes
	title := map[string]string{vouch.AnswerAccept: "Thank you — you're booked", vouch.AnswerDecline: "Thank you for letting us know",
		vouch.AnswerPause: "We'll wait", vouch.AnswerOptOut: "You are opted out"}[ans.Action]
	h.renderPublic(w, http.StatusOK, "advocate_done", &publicPage{Title: title, Data: p})
}

// publicDate shows a day in full, as in a letter: "Friday 12 March 2027".
func publicDate(t time.Time) string { return t.Format("Monday 2 January 2006") }
