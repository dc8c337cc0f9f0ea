package api

import (
	"context"
	"net/http"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/vouch"
)

// proofPageItem is one item of a proof page with what buyers did with it.
type proofPageItem struct {
	ContentID int64  `json:"content_id"`
	Title     string `json:"title"`
	Shown     bool   `json:"shown"` // still approved for external use, so on the buyer's page
	Views     int    `json:"views"`
	Downloads int    `json:"downloads"`
}

// proofPageJSON is a proof page as the API shows it. Items come with one
// page, the URL only in the answer that created it: only its hash is kept.
type proofPageJSON struct {
	ID            int64           `json:"id"`
	Title         string          `json:"title"`
	Prospect      string          `json:"prospect"`
	Message       string          `json:"message"`
	OpportunityID *int64          `json:"opportunity_id"`
	ContentIDs    []int64         `json:"content_ids"`
	CreatedBy     *person         `json:"created_by"`
	Status        string          `json:"status"`
	ExpiresAt     time.Time       `json:"expires_at"`
	RevokedAt     *time.Time      `json:"revoked_at"`
	Views         int             `json:"views"`
	LastViewedAt  *time.Time      `json:"last_viewed_at"`
	CreatedAt     time.Time       `json:"created_at"`
	Items         []proofPageItem `json:"items,omitempty"`
	URL           string          `json:"url,omitempty"`
}

func (h *Handler) proofPageJSONs(ctx context.Context, pages []*vouch.ProofPage) ([]proofPageJSON, error) {
	var ids []int64
	for _, p := range pages {
		ids = append(ids, p.CreatedBy)
	}
	users, err := h.users(ctx, ids...)
	if err != nil {
		return nil, err
	}
	now := h.db.Now()
	out := make([]proofPageJSON, len(pages))
	for i, p := range pages {
		j := proofPageJSON{ID: p.ID, Title: p.Title, Prospect: p.Prospect, Message: p.Message, ContentIDs: p.ContentIDs,
			CreatedBy: personOf(users, p.CreatedBy), Status: "active", ExpiresAt: p.ExpiresAt, RevokedAt: p.RevokedAt,
			Views: p.Views, LastViewedAt: p.LastViewedAt, CreatedAt: p.CreatedAt}
		if p.OpportunityID != 0 {
			id := p.OpportunityID
			j.OpportunityID = &id
		}
		switch {
		case p.RevokedAt != nil:
			j.Status = "revoked"
		case !now.Before(p.ExpiresAt):
			j.Status = "expired"
		}
		out[i] = j
	}
	return out, nil
}

// proofPageDetail is one page with its items and their buyers' views and downloads.
func (h *Handler) proofPageDetail(ctx context.Context, p *vouch.ProofPage) (proofPageJSON, error) {
	list, err := h.proofPageJSONs(ctx, []*vouch.ProofPage{p})
	if err != nil {
		return proofPageJSON{}, err
	}
	j := list[0]
	stats, err := h.lib.ProofPageStats(ctx, p.ID)
	if err != nil {
		return j, err
	}
	items, err := h.db.ContentItems(ctx, p.ContentIDs)
	if err != nil {
		return j, err
	}
	byID := map[int64]*vouch.ContentItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	today := h.db.Today()
	j.Items = []proofPageItem{}
	for _, id := range p.ContentIDs {
		it := byID[id]
		if it == nil {
			continue
		}
		row := proofPageItem{ContentID: id, Title: it.Title, Shown: vouch.ContentShareable(it.EffectiveState(today))}
		if s := stats[id]; s != nil {
			row.Views, row.Downloads = s.Views, s.Downloads
		}
		j.Items = append(j.Items, row)
	}
	return j, nil
}

// listProofPages serves GET /api/v1/proof-pages: the caller's own, every
// one for the program team; newest first.
func (h *Handler) listProofPages(w http.ResponseWriter, r *http.Request) {
	var v vouch.Validation
	f := vouch.ProofPageFilter{}
	f.Offset, f.Limit = pageParams(r, &v, 50, 500)
	f.OpportunityID = idParam(r.URL.Query().Get("opportunity_id"), "opportunity_id", &v)
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	pages, total, err := h.lib.ProofPages(r.Context(), userFrom(r.Context()), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.proofPageJSONs(r.Context(), pages)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(items, nextCursor(f.Offset, len(pages), total), total))
}

// newProofPage is the body of POST /api/v1/proof-pages.
type newProofPage struct {
	Title         string  `json:"title"`
	Prospect      string  `json:"prospect"`
	Message       string  `json:"message"`
	OpportunityID int64   `json:"opportunity_id"`
	ContentIDs    []int64 `json:"content_ids"`
	ExpiresInDays int     `json:"expires_in_days"`
}

// createProofPage serves POST /api/v1/proof-pages. The answer carries the
// page's URL, once: only its hash is stored.
func (h *Handler) createProofPage(w http.ResponseWriter, r *http.Request) {
	var in newProofPage
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	p, token, err := h.lib.CreateProofPage(r.Context(), userFrom(r.Context()), content.ProofPageInput{Title: in.Title,
		Prospect: in.Prospect, Message: in.Message, OpportunityID: in.OpportunityID, ContentIDs: in.ContentIDs,
		ExpiresInDays: in.ExpiresInDays})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j, err := h.proofPageDetail(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j.URL = h.ful.PublicURL("/p/" + token)
	writeJSON(w, http.StatusCreated, j)
}

// getProofPage serves GET /api/v1/proof-pages/{id}.
func (h *Handler) getProofPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "proof page")
	if err != nil {
		writeError(w, err)
		return
	}
	p, err := h.lib.ProofPage(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j, err := h.proofPageDetail(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}

// revokeProofPage serves POST /api/v1/proof-pages/{id}/revoke: the link
// stops working at once; revoking again changes nothing.
func (h *Handler) revokeProofPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "proof page")
	if err != nil {
		writeError(w, err)
		return
	}
	p, err := h.lib.RevokeProofPage(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j, err := h.proofPageDetail(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}
