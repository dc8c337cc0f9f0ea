package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// referenceRef names a reference.
type referenceRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// askItem is one reference asked for a request: where the ask stands, the
// match it was picked from, the advocate's answer, the agreed time, the
// outcome and the feedback given on it.
type askItem struct {
	ID              int64          `json:"id"`
	RequestID       int64          `json:"request_id"`
	Reference       referenceRef   `json:"reference"`
	Account         accountRef     `json:"account"`
	State           vouch.AskState `json:"state"`
	Score           int            `json:"score"`
	Reasons         []vouch.Reason `json:"reasons"`
	CreatedAt       time.Time      `json:"created_at"`
	SentAt          *time.Time     `json:"sent_at"`
	AnsweredAt      *time.Time     `json:"answered_at"`
	RemindedAt      *time.Time     `json:"reminded_at"`
	Reminders       int            `json:"reminders"`
	Note            string         `json:"note"` // the personal note of the team member who asked
	AnswerNote      string         `json:"answer_note"`
	ProposedTimes   string         `json:"proposed_times"`
	ScheduledAt     *time.Time     `json:"scheduled_at"`
	DurationMinutes int            `json:"duration_minutes"`
	MeetingURL      string         `json:"meeting_url"`
	Outcome         string         `json:"outcome"`
	ActivityID      *int64         `json:"activity_id"`
	Feedback        []feedbackItem `json:"feedback"`
	Version         int            `json:"version"`
}

// feedbackItem is one rating of a completed ask, by the seller or the advocate.
type feedbackItem struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"`
	Rating     int       `json:"rating"`
	Influenced *bool     `json:"influenced"`
	Impact     string    `json:"impact"`
	ThankYou   string    `json:"thank_you"`
	Comment    string    `json:"comment"`
	CreatedAt  time.Time `json:"created_at"`
}

func feedbackOf(f vouch.Feedback) feedbackItem {
	return feedbackItem{ID: f.ID, Source: f.Source, Rating: f.Rating, Influenced: f.Influenced, Impact: f.Impact,
		ThankYou: f.ThankYou, Comment: f.Comment, CreatedAt: f.CreatedAt.UTC()}
}

// referenceOf reads a reference and its account: from the index, or from
// the database when the index has not caught up with a write elsewhere.
func (h *Handler) referenceOf(ctx context.Context, id int64) (*vouch.Reference, *vouch.Account, error) {
	if hit, ok := h.ix.Get(id); ok {
		return hit.Reference, hit.Account, nil
	}
	ref, err := h.db.Reference(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	acct, err := h.db.Account(ctx, ref.AccountID)
	if err != nil {
		return nil, nil, err
	}
	return ref, acct, nil
}

// askItem shows an ask with the feedback, among feedback, given on it.
func (h *Handler) askItem(ctx context.Context, a *vouch.Ask, feedback []vouch.Feedback) (askItem, error) {
	ref, acct, err := h.referenceOf(ctx, a.ReferenceID)
	if err != nil {
		return askItem{}, err
	}
	reasons := a.Reasons
	if reasons == nil {
		reasons = []vouch.Reason{}
	}
	item := askItem{ID: a.ID, RequestID: a.RequestID, Reference: referenceRef{ID: ref.ID, Name: ref.Name},
		Account: accountRef{ID: acct.ID, Name: acct.Name}, State: a.State, Score: a.Score, Reasons: reasons,
		CreatedAt: a.CreatedAt.UTC(), SentAt: a.SentAt, AnsweredAt: a.AnsweredAt, RemindedAt: a.RemindedAt,
		Reminders: a.Reminders, Note: a.Note, AnswerNote: a.AnswerNote, ProposedTimes: a.ProposedTimes, ScheduledAt: a.ScheduledAt,
		DurationMinutes: a.DurationMinutes, MeetingURL: a.MeetingURL, Outcome: a.Outcome,
		Feedback: []feedbackItem{}, Version: a.Version}
	if a.ActivityID != 0 {
		id := a.ActivityID
		item.ActivityID = &id
	}
	for _, f := range feedback {
		if f.AskID == a.ID {
			item.Feedback = append(item.Feedback, feedbackOf(f))
		}
	}
	return item, nil
}

// writeAsk answers with ask id as it is stored now.
func (h *Handler) writeAsk(w http.ResponseWriter, r *http.Request, status int, id int64) {
	ctx := r.Context()
	a, err := h.ful.AskByID(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	feedback, err := h.db.Feedback(ctx, a.RequestID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	item, err := h.askItem(ctx, a, feedback)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, item)
}

// visibleAsk reads the ask of the {id} path parameter for the caller, who
// must be able to see its request, or, when ownerToo, own the account of
// the reference asked (the account owner approves asks). Anyone else is told
// the ask does not exist.
func (h *Handler) visibleAsk(r *http.Request, ownerToo bool) (*vouch.Ask, error) {
	ctx := r.Context()
	id, err := pathID(r, "ask")
	if err != nil {
		return nil, err
	}
	a, err := h.ful.AskByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := h.ful.ViewRequest(ctx, userFrom(ctx), a.RequestID)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Ask %d not found.", id)
	} else if err != nil {
		return nil, err
	}
	if v.Sight == vouch.SeesAll || (ownerToo && slices.ContainsFunc(v.Asks, func(x *vouch.Ask) bool { return x.ID == a.ID })) {
		return a, nil
	}
	return nil, vouch.Errorf(vouch.ENOTFOUND, "Ask %d not found.", id)
}

// createAsk serves POST /api/v1/requests/{id}/asks: pick a reference for
// the request — one of its matches or one found elsewhere. A reference that
// fails a hard rule is refused (409, in words); one that misses a criterion
// or was asked or used a lot lately is asked only with "confirm": true, else
// the answer is 409 with the warnings and nothing is asked. The advocate is
// mailed a signed link, or the account owner is asked to approve first when
// the activity type says so. The program team picks; the requester too when
// the request is self-serve.
func (h *Handler) createAsk(w http.ResponseWriter, r *http.Request) {
	v, err := h.visibleRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	req := v.Request
	var body struct {
		ReferenceID int64  `json:"reference_id"`
		Confirm     bool   `json:"confirm"`
		Note        string `json:"note"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	if body.ReferenceID <= 0 {
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "reference_id is required: the id of the reference to ask.",
			Fields: map[string]string{"reference_id": "is required"}})
		return
	}
	ctx := r.Context()
	a, err := h.ful.AskReference(ctx, userFrom(ctx), vouch.AskInput{RequestID: req.ID, ReferenceID: body.ReferenceID,
		Note: body.Note, Confirmed: body.Confirm})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeAsk(w, r, http.StatusCreated, a.ID)
}

// approveAsk serves POST /api/v1/asks/{id}/approve: the account owner's (or
// the program team's) decision on an ask awaiting approval. Approved, the
// advocate is mailed the link; not approved, the ask ends.
func (h *Handler) approveAsk(w http.ResponseWriter, r *http.Request) {
	a, err := h.visibleAsk(r, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		Approve *bool  `json:"approve"`
		Note    string `json:"note"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	if body.Approve == nil {
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "approve is required: true to ask the advocate, false not to.",
			Fields: map[string]string{"approve": "is required"}})
		return
	}
	ctx := r.Context()
	if _, err := h.ful.Approve(ctx, userFrom(ctx), a.ID, *body.Approve, body.Note); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeAsk(w, r, http.StatusOK, a.ID)
}

// withdrawAsk serves POST /api/v1/asks/{id}/withdraw: end an open ask; the
// capacity it booked is given back.
func (h *Handler) withdrawAsk(w http.ResponseWriter, r *http.Request) {
	a, err := h.visibleAsk(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	ctx := r.Context()
	if _, err := h.ful.Withdraw(ctx, userFrom(ctx), a.ID, body.Reason); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeAsk(w, r, http.StatusOK, a.ID)
}

// scheduleAsk serves POST /api/v1/asks/{id}/schedule: the agreed time of an
// accepted ask (or a new time for a scheduled one). The seller and the
// advocate are mailed an invitation.
func (h *Handler) scheduleAsk(w http.ResponseWriter, r *http.Request) {
	a, err := h.visibleAsk(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		ScheduledAt     string `json:"scheduled_at"`
		DurationMinutes int    `json:"duration_minutes"`
		MeetingURL      string `json:"meeting_url"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	var v vouch.Validation
	sched := vouch.Schedule{DurationMinutes: body.DurationMinutes, MeetingURL: body.MeetingURL}
	if s := strings.TrimSpace(body.ScheduledAt); s == "" {
		v.Add("scheduled_at", "is required: a time like 2026-11-02T15:00:00Z")
	} else if at, err := time.Parse(time.RFC3339, s); err != nil {
		v.Add("scheduled_at", "must be a time with its offset, like 2026-11-02T15:00:00Z or 2026-11-02T16:00:00+01:00")
	} else {
		sched.At = at
	}
	addPrefixed(&v, "", sched.Validate(), nil)
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	ctx := r.Context()
	if _, err := h.ful.Schedule(ctx, userFrom(ctx), a.ID, sched); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeAsk(w, r, http.StatusOK, a.ID)
}

// completeAsk serves POST /api/v1/asks/{id}/complete: how a scheduled ask
// went. Completed, the activity is recorded on occurred_on (the scheduled
// day, or today, when left out) with its points, and the seller and the
// advocate are asked for feedback; a no-show gives the booking back.
func (h *Handler) completeAsk(w http.ResponseWriter, r *http.Request) {
	a, err := h.visibleAsk(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		Outcome    string `json:"outcome"`
		OccurredOn string `json:"occurred_on"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	var v vouch.Validation
	outcome := strings.ToLower(strings.TrimSpace(body.Outcome))
	if outcome != vouch.OutcomeCompleted && outcome != vouch.OutcomeNoShow {
		v.Add("outcome", "must be completed or no_show")
	}
	day := dateField(&v, "occurred_on", body.OccurredOn)
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	ctx := r.Context()
	if _, err := h.ful.Complete(ctx, userFrom(ctx), a.ID, outcome, day); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeAsk(w, r, http.StatusOK, a.ID)
}

// askFeedback serves POST /api/v1/asks/{id}/feedback: the requester rates a
// completed ask while signed in, instead of through the mailed link. Either
// counts once.
func (h *Handler) askFeedback(w http.ResponseWriter, r *http.Request) {
	a, err := h.visibleAsk(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		Rating     int    `json:"rating"`
		Influenced *bool  `json:"influenced"`
		Impact     string `json:"impact"`
		Comment    string `json:"comment"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	f := &vouch.Feedback{Rating: body.Rating, Influenced: body.Influenced,
		Impact: strings.ToLower(strings.TrimSpace(body.Impact)), Comment: body.Comment}
	ctx := r.Context()
	if err := h.ful.SellerFeedback(ctx, userFrom(ctx), a.ID, f); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, feedbackOf(*f))
}
