package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

// feedbackForm is what feedback.html and feedback_done.html show.
type feedbackForm struct {
	Token     string
	Seller    bool   // the seller's form; else the advocate's
	Name      string // the person the form is for
	Reference string // the advocate's name
	Account   string // the advocate's company
	Activity  string // "call", lower case, for sentences
	Prospect  string
	Deal      string // the opportunity's name
	Q         vouch.FeedbackQuestions
}

func feedbackFormOf(r *http.Request, v *fulfillment.LinkView) *feedbackForm {
	f := &feedbackForm{
		Token:     r.PathValue("token"),
		Seller:    v.Purpose == vouch.LinkSellerFeedback,
		Reference: v.Reference.Name,
		Account:   v.Account.Name,
		Activity:  strings.ToLower(v.Activity),
		Prospect:  orIfBlank(v.Opportunity.Prospect, "the prospect"),
		Deal:      v.Opportunity.Name,
	}
	if f.Seller {
		f.Name = orIfBlank(v.Seller, "there")
		f.Q = vouch.QuestionsFor(vouch.FeedbackSeller)
	} else {
		f.Name = v.Reference.Name
		f.Q = vouch.QuestionsFor(vouch.FeedbackAdvocate)
	}
	return f
}

// openFeedbackLink opens a feedback link; an answer link is not one.
func (h *Handler) openFeedbackLink(r *http.Request) (*fulfillment.LinkView, error) {
	v, err := h.opts.Fulfillment.OpenLink(r.Context(), r.PathValue("token"))
	if err == nil && v.Purpose != vouch.LinkSellerFeedback && v.Purpose != vouch.LinkAdvocateFeedback {
		return nil, fulfillment.ErrBadLink
	}
	return v, err
}

func feedbackTitle(f *feedbackForm) string {
	if f.Seller {
		return "How helpful was the " + f.Activity + "?"
	}
	return "How was the " + f.Activity + " for you?"
}

// feedbackPage serves GET /f/{token}: the seller's or the advocate's
// feedback form, as the link says.
func (h *Handler) feedbackPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.openFeedbackLink(r)
	if err != nil {
		h.showLinkProblem(w, r, err, "")
		return
	}
	f := feedbackFormOf(r, v)
	h.renderPublic(w, http.StatusOK, "feedback", &publicPage{Title: feedbackTitle(f), Form: url.Values{}, Data: f})
}

// feedbackSubmit serves POST /f/{token}: it stores the feedback once and
// thanks; a form with mistakes comes back with them marked and its input kept.
func (h *Handler) feedbackSubmit(w http.ResponseWriter, r *http.Request) {
	v, err := h.openFeedbackLink(r)
	if err != nil {
		h.showLinkProblem(w, r, err, "")
		return
	}
	f := feedbackFormOf(r, v)
	if err := readPublicForm(w, r); err != nil {
		h.renderPublic(w, http.StatusBadRequest, "feedback", &publicPage{Title: feedbackTitle(f),
			Error: "Your answers could not be read. Please fill in the form again.", Form: url.Values{}, Data: f})
		return
	}
	fb := &vouch.Feedback{Comment: r.PostForm.Get("comment")}
	fb.Rating, _ = strconv.Atoi(r.PostForm.Get("rating"))
	if f.Seller {
		if answer := r.PostForm.Get("influenced"); answer == "yes" || answer == "no" {
			influenced := answer == "yes"
			fb.Influenced = &influenced
		}
		fb.Impact = r.PostForm.Get("impact")
	} else {
		fb.ThankYou = r.PostForm.Get("thank_you")
	}
	err = h.opts.Fulfillment.Feedback(r.Context(), r.PathValue("token"), fb)
	if vouch.ErrorCode(err) == vouch.EINVALID {
		h.renderPublic(w, http.StatusBadRequest, "feedback", &publicPage{Title: feedbackTitle(f),
			Error: vouch.ErrorMessage(err), Errors: feedbackErrors(err, f.Seller), Form: r.PostForm, Data: f})
		return
	}
	if err != nil {
		h.showLinkProblem(w, r, err, "")
		return
	}
	h.renderPublic(w, http.StatusOK, "feedback_done", &publicPage{Title: "Thank you for your feedback", Data: f})
}

// feedbackErrors says what to fix in each field, in the form's words.
func feedbackErrors(err error, seller bool) map[string]string {
	words := map[string]string{
		"rating":     "Choose how it was for you, from 1 to 5.",
		"influenced": "Say whether it influenced the deal.",
		"impact":     "Choose one of the answers about the deal.",
		"thank_you":  "Choose one of the thank-yous.",
		"comment":    "Keep the comment under 5,000 characters.",
	}
	if seller {
		words["rating"] = "Choose how helpful it was, from 1 to 5."
	}
	out := map[string]string{}
	for field, reason := range vouch.ErrorFields(err) {
		if s, ok := words[field]; ok {
			out[field] = s
		} else {
			out[field] = capitalize(strings.ReplaceAll(field, "_", " ")) + " " + reason + "."
		}
	}
	return out
}
