package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

// askForOption is an open request the team may ask a reference for.
type askForOption struct {
	ID    int64
	Label string // "#12 Call for Acme renewal, due 14 Mar 2027"
}

// referenceAskPage is what reference_ask.html shows: the reference, the
// open requests to choose from, and once one is chosen, the fit and the
// warnings to confirm, or why it cannot be asked.
type referenceAskPage struct {
	Ref       *vouch.Reference
	Account   *vouch.Account
	Options   []askForOption
	RequestID int64
	Request   string // the chosen request, as in its option
	Check     *fulfillment.AskCheck
	Refused   string // why the reference cannot be asked for it
	Note      string // the personal note, kept from the Ask form that led here
}

// askForOptions are the open requests u may pick for, for the form on a
// reference's profile.
func (h *Handler) askForOptions(ctx context.Context, u *vouch.User) ([]askForOption, error) {
	reqs, err := h.opts.Fulfillment.OpenRequestsToPick(ctx, u)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.OpportunityID
	}
	opps, err := h.opts.Fulfillment.OpportunitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]askForOption, len(reqs))
	for i, r := range reqs {
		deal := "an opportunity"
		if o := opps[r.OpportunityID]; o != nil {
			deal = o.Name
		}
		out[i] = askForOption{ID: r.ID, Label: fmt.Sprintf("#%d %s for %s, due %s", r.ID, h.opts.Catalog.ValueName(r.ActivityTypeID),
			deal, r.DueDate.Time().Format("2 Jan 2006"))}
	}
	return out, nil
}

// referenceAsk serves GET /references/{id}/ask?request_id=N: asking a
// reference the team found itself (on its profile or in a search) for an
// open request. Without a request it offers the open ones; with one it
// shows the reference's fit and a warning for each criterion missed and
// each fatigue signal, to confirm — or the hard rule that refuses it.
func (h *Handler) referenceAsk(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx, u := r.Context(), userFrom(r.Context())
	hit, ok := h.opts.Index.Get(id)
	if !ok {
		h.notFound(w, r)
		return
	}
	d := &referenceAskPage{Ref: hit.Reference, Account: hit.Account, Note: r.URL.Query().Get("note")}
	var err error
	if d.Options, err = h.askForOptions(ctx, u); err != nil {
		h.serverError(w, r, err)
		return
	}
	if s := r.URL.Query().Get("request_id"); s != "" {
		reqID, err := strconv.ParseInt(s, 10, 64)
		if err != nil || reqID <= 0 {
			d.Refused = "Choose one of the open requests."
		} else {
			d.RequestID = reqID
			d.Request = fmt.Sprintf("request #%d", reqID)
			for _, o := range d.Options {
				if o.ID == reqID {
					d.Request = o.Label
				}
			}
			d.Check, err = h.opts.Fulfillment.CheckAsk(ctx, u, reqID, id)
			switch vouch.ErrorCode(err) {
			case "":
			case vouch.EINVALID, vouch.ECONFLICT, vouch.EFORBIDDEN, vouch.ENOTFOUND:
				d.Refused = vouch.ErrorMessage(err)
			default:
				h.serverError(w, r, err)
				return
			}
		}
	}
	h.render(w, r, http.StatusOK, "reference_ask", &page{Title: "Ask " + hit.Reference.Name + " for a request", Nav: "references", Data: d})
}

// unconfirmedAsk sends an ask that needs confirming to the page that shows
// its warnings; ok is false when err is another error.
func unconfirmedAsk(w http.ResponseWriter, r *http.Request, err error, requestID, refID int64, note string) bool {
	var unconfirmed *vouch.UnconfirmedAsk
	if !errors.As(err, &unconfirmed) {
		return false
	}
	to := fmt.Sprintf("/references/%d/ask?request_id=%d", refID, requestID)
	if note != "" { // the note written beside the Ask button waits on the confirmation
		to += "&note=" + url.QueryEscape(note)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true
}
