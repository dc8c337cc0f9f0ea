package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentRequestJSON is a content request as the API shows it: picklist
// values by name.
type contentRequestJSON struct {
	ID            int64     `json:"id"`
	Description   string    `json:"description"`
	Type          *string   `json:"type"`
	Industry      []string  `json:"industry"`
	Region        []string  `json:"region"`
	Product       []string  `json:"product"`
	UseCase       []string  `json:"use_case"`
	Segment       []string  `json:"segment"`
	OpportunityID *int64    `json:"opportunity_id"`
	RequestedBy   *person   `json:"requested_by"`
	State         string    `json:"state"`
	Note          string    `json:"note"`
	FulfilledBy   *int64    `json:"fulfilled_by"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func (h *Handler) contentRequestJSONs(ctx context.Context, list []*vouch.ContentRequest) ([]contentRequestJSON, error) {
	var ids []int64
	for _, r := range list {
		ids = append(ids, r.RequestedBy)
	}
	users, err := h.users(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]contentRequestJSON, len(list))
	for i, r := range list {
		j := contentRequestJSON{ID: r.ID, Description: r.Description, Type: h.valueName(r.TypeID),
			Industry: h.valueNames(r.IndustryIDs), Region: h.valueNames(r.RegionIDs), Product: h.valueNames(r.ProductIDs),
			UseCase: h.valueNames(r.UseCaseIDs), Segment: h.valueNames(r.SegmentIDs), RequestedBy: personOf(users, r.RequestedBy),
			State: r.State, Note: r.Note, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
		if r.OpportunityID != 0 {
			id := r.OpportunityID
			j.OpportunityID = &id
		}
		if r.FulfilledBy != 0 {
			id := r.FulfilledBy
			j.FulfilledBy = &id
		}
		out[i] = j
	}
	return out, nil
}

func (h *Handler) writeContentRequest(w http.ResponseWriter, r *http.Request, status int, req *vouch.ContentRequest) {
	list, err := h.contentRequestJSONs(r.Context(), []*vouch.ContentRequest{req})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, list[0])
}

// listContentRequests serves GET /api/v1/content-requests: the caller's
// own, every one for the program team; ?state= filters. Newest first.
func (h *Handler) listContentRequests(w http.ResponseWriter, r *http.Request) {
	var v vouch.Validation
	f := vouch.ContentRequestFilter{State: strings.ToLower(strings.TrimSpace(r.URL.Query().Get("state")))}
	f.Offset, f.Limit = pageParams(r, &v, 50, 500)
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	list, total, err := h.lib.ContentRequests(r.Context(), userFrom(r.Context()), f)
	if err != nil {
		h.fail(w, r, paramError(err))
		return
	}
	items, err := h.contentRequestJSONs(r.Context(), list)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(items, nextCursor(f.Offset, len(list), total), total))
}

// newContentRequest is the body of POST /api/v1/content-requests.
type newContentRequest struct {
	Description   string   `json:"description"`
	Type          string   `json:"type"`
	Industry      []string `json:"industry"`
	Region        []string `json:"region"`
	Product       []string `json:"product"`
	UseCase       []string `json:"use_case"`
	Segment       []string `json:"segment"`
	OpportunityID int64    `json:"opportunity_id"`
}

// createContentRequest serves POST /api/v1/content-requests.
func (h *Handler) createContentRequest(w http.ResponseWriter, r *http.Request) {
	var in newContentRequest
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	tags := map[vouch.TaxonomyKind][]string{vouch.TaxIndustry: in.Industry, vouch.TaxRegion: in.Region,
		vouch.TaxProduct: in.Product, vouch.TaxUseCase: in.UseCase, vouch.TaxSegment: in.Segment}
	req, err := h.lib.CreateContentRequest(r.Context(), userFrom(r.Context()), content.ContentRequestInput{
		Description: in.Description, Type: in.Type, Tags: tags, OpportunityID: in.OpportunityID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeContentRequest(w, r, http.StatusCreated, req)
}

// getContentRequest serves GET /api/v1/content-requests/{id}.
func (h *Handler) getContentRequest(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content request")
	if err != nil {
		writeError(w, err)
		return
	}
	req, err := h.lib.ContentRequest(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeContentRequest(w, r, http.StatusOK, req)
}

// contentRequestUpdate is the body of PATCH /api/v1/content-requests/{id}.
type contentRequestUpdate struct {
	State       string  `json:"state"`
	Note        *string `json:"note"`
	FulfilledBy *int64  `json:"fulfilled_by"`
	Version     int     `json:"version"`
}

// updateContentRequest serves PATCH /api/v1/content-requests/{id}: the
// program team's step, at the version read. Closing it tells the requester.
func (h *Handler) updateContentRequest(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "content request")
	if err != nil {
		writeError(w, err)
		return
	}
	var in contentRequestUpdate
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	u := userFrom(r.Context())
	if _, err := h.lib.ContentRequest(r.Context(), u, id); err != nil {
		h.fail(w, r, err)
		return
	}
	req, err := h.lib.MoveContentRequest(r.Context(), u, id, vouch.ContentRequestMove{State: in.State, Note: in.Note,
		FulfilledBy: in.FulfilledBy, Version: in.Version})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeContentRequest(w, r, http.StatusOK, req)
}
