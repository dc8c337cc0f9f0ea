package api

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentSeen checks that the token's user may read content item id: the
// program team reads every item, others approved ones and expired ones
// (marked by their state), never drafts or withdrawn items, which are not
// found like unknown ones.
func (h *Handler) contentSeen(r *http.Request, id int64) error {
	item, err := h.lib.Item(r.Context(), id)
	if err != nil {
		return err
	}
	state := item.EffectiveState(h.db.Clock.Today())
	if !vouch.ContentShown(userFrom(r.Context()).Can(vouch.PermManageContent), state, true) {
		return vouch.Errorf(vouch.ENOTFOUND, "No content item with id %d.", id)
	}
	return nil
}

// listContentUses serves GET /api/v1/content/{id}/uses: every use of the
// item, newest first.
func (h *Handler) listContentUses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err == nil {
		err = h.contentSeen(r, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	uses, err := h.lib.Uses(r.Context(), id, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(uses, "", len(uses)))
}

// recordContentUse serves POST /api/v1/content/{id}/uses: the token's user
// used the item (copy_link, download, proof_page), optionally for one of
// their opportunities. Only approved items are used; only approved for
// external use ones go on a proof page.
func (h *Handler) recordContentUse(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in content.UseInput
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	use, _, err := h.lib.Use(r.Context(), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, use)
}

// listContentRatings serves GET /api/v1/content/{id}/ratings: every
// rating of the item, newest first.
func (h *Handler) listContentRatings(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err == nil {
		err = h.contentSeen(r, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ratings, err := h.lib.Ratings(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(ratings, "", len(ratings)))
}

// ratingInput is the body of a rating.
type ratingInput struct {
	Rating        int    `json:"rating"`
	Comment       string `json:"comment"`
	OpportunityID int64  `json:"opportunity_id"`
}

// rateContent serves POST /api/v1/content/{id}/ratings: the token's user's
// helpfulness rating, 1–5 with a comment. One per user and item: rating
// again replaces it (200 instead of 201).
func (h *Handler) rateContent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content item")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in ratingInput
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	before, err := h.lib.Ratings(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rating, err := h.lib.Rate(r.Context(), id, vouch.ContentRating{Rating: in.Rating, Comment: in.Comment, OpportunityID: in.OpportunityID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	for _, b := range before {
		if b.ID == rating.ID {
			status = http.StatusOK
		}
	}
	writeJSON(w, status, rating)
}
