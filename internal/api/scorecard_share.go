package api

import (
	"context"
	"net/http"
	"time"

	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Scorecard links: read-only scorecards for executives behind signed,
// expiring links (program managers, share_scorecard).

// WithSharing adds the scorecard's sharing service.
func (h *Handler) WithSharing(sh *scorecard.Sharing) *Handler {
	h.share = sh
	return h
}

// scorecardShareJSON is a scorecard link as the API shows it; the URL only
// in the answer that made it (only its hash is kept).
type scorecardShareJSON struct {
	ID        int64              `json:"id"`
	Period    string             `json:"period"`
	From      vouch.Date         `json:"from"`
	To        vouch.Date         `json:"to"`
	Filter    vouch.MetricFilter `json:"filter"`
	Note      string             `json:"note"`
	CreatedBy *person            `json:"created_by"`
	Status    string             `json:"status"`
	CreatedAt time.Time          `json:"created_at"`
	ExpiresAt time.Time          `json:"expires_at"`
	RevokedAt *time.Time         `json:"revoked_at"`
	URL       string             `json:"url,omitempty"`
}

func (h *Handler) scorecardShareJSONs(ctx context.Context, list []*vouch.ScorecardShare) ([]scorecardShareJSON, error) {
	var ids []int64
	for _, s := range list {
		ids = append(ids, s.CreatedBy)
	}
	users, err := h.users(ctx, ids...)
	if err != nil {
		return nil, err
	}
	now := h.db.Now()
	out := make([]scorecardShareJSON, len(list))
	for i, s := range list {
		out[i] = scorecardShareJSON{ID: s.ID, Period: s.Query.Period, From: s.Query.From, To: s.Query.To, Filter: s.Query.Filter,
			Note: s.Note, CreatedBy: personOf(users, s.CreatedBy), Status: s.State(now), CreatedAt: s.CreatedAt,
			ExpiresAt: s.ExpiresAt, RevokedAt: s.RevokedAt}
	}
	return out, nil
}

// listScorecardShares serves GET /api/v1/scorecard/shares: every link, newest first.
func (h *Handler) listScorecardShares(w http.ResponseWriter, r *http.Request) {
	list, err := h.share.Shares(r.Context(), userFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.scorecardShareJSONs(r.Context(), list)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

// newScorecardShare is the body of POST /api/v1/scorecard/shares.
type newScorecardShare struct {
	Period        string             `json:"period"`
	From          vouch.Date         `json:"from"`
	To            vouch.Date         `json:"to"`
	Filter        vouch.MetricFilter `json:"filter"`
	Note          string             `json:"note"`
	ExpiresInDays int                `json:"expires_in_days"`
}

// createScorecardShare serves POST /api/v1/scorecard/shares; the answer
// carries the link, once.
func (h *Handler) createScorecardShare(w http.ResponseWriter, r *http.Request) {
	var in newScorecardShare
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	sh, token, err := h.share.CreateShare(r.Context(), userFrom(r.Context()), scorecard.ShareInput{
		Query: vouch.ShareQuery{Period: in.Period, From: in.From, To: in.To, Filter: in.Filter},
		Note:  in.Note, ExpiresInDays: in.ExpiresInDays})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.scorecardShareJSONs(r.Context(), []*vouch.ScorecardShare{sh})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j := list[0]
	j.URL = h.ful.PublicURL("/shared/scorecard/" + token)
	writeJSON(w, http.StatusCreated, j)
}

// revokeScorecardShare serves DELETE /api/v1/scorecard/shares/{id}: the
// link stops working at once; revoking again changes nothing.
func (h *Handler) revokeScorecardShare(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "scorecard link")
	if err != nil {
		writeError(w, err)
		return
	}
	sh, err := h.share.RevokeShare(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.scorecardShareJSONs(r.Context(), []*vouch.ScorecardShare{sh})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[0])
}
