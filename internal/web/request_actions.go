package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The actions of the request page. Each one redirects back to the page it
// came from with a flash saying what happened; a refused action changes
// nothing and says why in an error flash.

// pathRequest reads the request the path's {id} names as the user sees
// it, with the asks they see; ok is false once an answer was written.
func (h *Handler) pathRequest(w http.ResponseWriter, r *http.Request) (*fulfillment.RequestView, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return nil, false
	}
	v, err := h.visibleRequest(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return v, true
}

// requestAsk reads the request and ask a path names, checking the ask
// belongs to the request and the user may see it; ok is false once an
// answer was written.
func (h *Handler) requestAsk(w http.ResponseWriter, r *http.Request) (*vouch.Request, *vouch.Ask, bool) {
	askID, ok := pathID(r, "ask")
	if !ok {
		h.notFound(w, r)
		return nil, nil, false
	}
	v, ok := h.pathRequest(w, r)
	if !ok {
		return nil, nil, false
	}
	req := v.Request
	for _, a := range v.Asks {
		if a.ID == askID {
			return req, a, true
		}
	}
	h.notFound(w, r)
	return nil, nil, false
}

// referenceName is a reference's name for messages.
func (h *Handler) referenceName(id int64) string {
	if hit, ok := h.opts.Index.Get(id); ok {
		return hit.Reference.Name
	}
	return "The reference"
}

// askReference serves POST /requests/{id}/asks: ask a reference, from the
// request's matches or found elsewhere (confirm=1 once its warnings were
// shown; without it, a reference with warnings is sent to the page that
// shows them).
func (h *Handler) askReference(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathRequest(w, r)
	if !ok {
		return
	}
	req := v.Request
	ctx, u, id := r.Context(), userFrom(r.Context()), req.ID
	back := requestURL(id, "matches")
	refID, err := strconv.ParseInt(r.PostFormValue("ref_id"), 10, 64)
	if err != nil || refID <= 0 {
		redirectError(w, r, back, "Choose a reference to ask.")
		return
	}
	if r.PostFormValue("from") == "reference" {
		back = fmt.Sprintf("/references/%d", refID)
	}
	// The matches list shows each candidate's criteria met and missed
	// and its fatigue next to its Ask button, and the confirmation page
	// its warnings: asking from either confirms them.
	note := r.PostFormValue("note")
	a, err := h.opts.Fulfillment.AskReference(ctx, u, vouch.AskInput{RequestID: id, ReferenceID: refID, Note: note,
		Confirmed: r.PostFormValue("confirm") == "1"})
	if unconfirmedAsk(w, r, err, id, refID, note) {
		return
	}
	if err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	name := h.referenceName(refID)
	msg := fmt.Sprintf("%s was asked by email; you will be told when they answer.", name)
	if a.State == vouch.AskAwaitingApproval {
		msg = fmt.Sprintf("%s is picked. Their account owner was asked to approve before the email goes out.", name)
	}
	redirect(w, r, requestURL(id, "asks"), msg)
}

// approveAsk serves POST /requests/{id}/asks/{ask}/approve: the account
// owner's (or the team's) decision on an ask awaiting approval.
func (h *Handler) approveAsk(w http.ResponseWriter, r *http.Request) {
	req, a, ok := h.requestAsk(w, r)
	if !ok {
		return
	}
	approve := r.PostFormValue("decision") == "approve"
	back := requestURL(req.ID, "asks")
	if _, err := h.opts.Fulfillment.Approve(r.Context(), userFrom(r.Context()), a.ID, approve, r.PostFormValue("note")); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	name := h.referenceName(a.ReferenceID)
	msg := fmt.Sprintf("Approved: %s was asked by email.", name)
	if !approve {
		msg = fmt.Sprintf("Not approved: %s will not be asked.", name)
	}
	redirect(w, r, back, msg)
}

// withdrawAsk serves POST /requests/{id}/asks/{ask}/withdraw.
func (h *Handler) withdrawAsk(w http.ResponseWriter, r *http.Request) {
	req, a, ok := h.requestAsk(w, r)
	if !ok {
		return
	}
	back := requestURL(req.ID, "asks")
	if _, err := h.opts.Fulfillment.Withdraw(r.Context(), userFrom(r.Context()), a.ID, r.PostFormValue("reason")); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	redirect(w, r, back, fmt.Sprintf("The ask of %s is withdrawn; any capacity it booked is free again.", h.referenceName(a.ReferenceID)))
}

// scheduleAsk serves POST /requests/{id}/asks/{ask}/schedule: the agreed
// time, in the time zone chosen next to it.
func (h *Handler) scheduleAsk(w http.ResponseWriter, r *http.Request) {
	req, a, ok := h.requestAsk(w, r)
	if !ok {
		return
	}
	back := requestURL(req.ID, fmt.Sprintf("ask-%d", a.ID))
	advocate := h.advocateZone(a.ReferenceID)
	tz := r.PostFormValue("time_zone")
	if tz == "" {
		tz = advocate.String()
	}
	loc, ok := vouch.Zone(tz)
	if !ok {
		redirectError(w, r, back, "Nothing was scheduled: choose a time zone from the list.")
		return
	}
	raw := strings.TrimSpace(r.PostFormValue("scheduled_at"))
	at, err := time.ParseInLocation(dateTimeLocal, raw, loc)
	if err != nil {
		redirectError(w, r, back, "Nothing was scheduled: give the date and time, like "+h.clock.Today().AddDays(7).String()+" 15:00.")
		return
	}
	s := vouch.Schedule{At: at, MeetingURL: r.PostFormValue("meeting_url")}
	if m := strings.TrimSpace(r.PostFormValue("duration_minutes")); m != "" {
		if s.DurationMinutes, err = strconv.Atoi(m); err != nil {
			redirectError(w, r, back, "Nothing was scheduled: the duration must be a number of minutes, like 30.")
			return
		}
	}
	if _, err := h.opts.Fulfillment.Schedule(r.Context(), userFrom(r.Context()), a.ID, s); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	redirect(w, r, back, fmt.Sprintf("Scheduled for %s. The invitation was mailed to %s and the seller.",
		vouch.TimeFor(at, advocate, h.readerZone(userFrom(r.Context()))), h.referenceName(a.ReferenceID)))
}

// advocateZone is the zone a reference reads times in: theirs, else the
// program's.
func (h *Handler) advocateZone(refID int64) *time.Location {
	if hit, ok := h.opts.Index.Get(refID); ok {
		return h.clock.LocationFor(hit.Reference.TimeZone)
	}
	return h.clock.Zone()
}

// completeAsk serves POST /requests/{id}/asks/{ask}/complete: it happened
// (the activity is recorded and feedback asked for), or it was a no-show.
func (h *Handler) completeAsk(w http.ResponseWriter, r *http.Request) {
	req, a, ok := h.requestAsk(w, r)
	if !ok {
		return
	}
	back := requestURL(req.ID, fmt.Sprintf("ask-%d", a.ID))
	outcome := r.PostFormValue("outcome")
	day, err := vouch.ParseDate(r.PostFormValue("occurred_on"))
	if err != nil {
		redirectError(w, r, back, "Nothing was recorded: the date must be a date like "+h.clock.Today().String()+".")
		return
	}
	if outcome == vouch.OutcomeNoShow {
		day = vouch.Date{}
	}
	if _, err := h.opts.Fulfillment.Complete(r.Context(), userFrom(r.Context()), a.ID, outcome, day); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	name := h.referenceName(a.ReferenceID)
	msg := fmt.Sprintf("Completed: the activity is on %s's profile, and the seller and %s were asked for feedback.", name, name)
	if outcome == vouch.OutcomeNoShow {
		msg = fmt.Sprintf("Recorded as a no-show; %s's booking is released and the request is back to picking.", name)
	}
	redirect(w, r, back, msg)
}

// sellerFeedback serves POST /requests/{id}/asks/{ask}/feedback: the
// requester rates how the reference helped.
func (h *Handler) sellerFeedback(w http.ResponseWriter, r *http.Request) {
	req, a, ok := h.requestAsk(w, r)
	if !ok {
		return
	}
	back := requestURL(req.ID, fmt.Sprintf("ask-%d", a.ID))
	f := &vouch.Feedback{Source: vouch.FeedbackSeller, Impact: r.PostFormValue("impact"), Comment: r.PostFormValue("comment")}
	f.Rating, _ = strconv.Atoi(r.PostFormValue("rating"))
	switch r.PostFormValue("influenced") {
	case "yes":
		t := true
		f.Influenced = &t
	case "no":
		t := false
		f.Influenced = &t
	}
	if err := h.opts.Fulfillment.SellerFeedback(r.Context(), userFrom(r.Context()), a.ID, f); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	redirect(w, r, back, "Thank you — your feedback is recorded. It shows the program what helps win deals.")
}

// requestMessage serves POST /requests/{id}/messages.
func (h *Handler) requestMessage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathRequest(w, r)
	if !ok {
		return
	}
	req := v.Request
	ctx, u, id := r.Context(), userFrom(r.Context()), req.ID
	back := requestURL(id, "timeline")
	if err := h.opts.Fulfillment.Message(ctx, u, id, r.PostFormValue("body")); err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	redirect(w, r, back, "Message added.")
}

// changeRequestState serves POST /requests/{id}/state: declined, cancelled
// or unfulfilled with a reason, or a one-click move on the board.
func (h *Handler) changeRequestState(w http.ResponseWriter, r *http.Request) {
	v, ok := h.pathRequest(w, r)
	if !ok {
		return
	}
	req := v.Request
	ctx, u, id := r.Context(), userFrom(r.Context()), req.ID
	back := backTo(r, requestURL(id, ""))
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	c := vouch.RequestChange{To: vouch.RequestState(r.PostFormValue("state")), Reason: r.PostFormValue("reason")}
	req, err := h.opts.Fulfillment.ChangeState(ctx, u, id, version, c)
	if err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	redirect(w, r, back, fmt.Sprintf("Request #%d is now %s.", req.ID, strings.ToLower(req.State.Label())))
}

// assignRequest serves POST /requests/{id}/assign: to a team member, to
// oneself ("me"), or to nobody (0).
func (h *Handler) assignRequest(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	back := backTo(r, requestURL(id, ""))
	var to int64
	if s := r.PostFormValue("assignee_id"); s == "me" {
		to = u.ID
	} else if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
		to = n
	} else {
		redirectError(w, r, back, "Choose who the request is for.")
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	req, err := h.opts.Fulfillment.Assign(ctx, u, id, version, to)
	if vouch.ErrorFields(err)["assignee"] != "" {
		redirectError(w, r, back, vouch.ErrorMessage(err))
		return
	} else if err != nil {
		h.actionFailed(w, r, back, err)
		return
	}
	name := ""
	if to != 0 && to != u.ID {
		a, err := h.db.User(ctx, to)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		name = a.Name
	}
	msg := fmt.Sprintf("Request #%d is unassigned.", req.ID)
	switch to {
	case 0:
	case u.ID:
		msg = fmt.Sprintf("Request #%d is yours now.", req.ID)
	default:
		msg = fmt.Sprintf("Request #%d is assigned to %s, who was told.", req.ID, name)
	}
	redirect(w, r, back, msg)
}
