package api

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentFit is an approved item that fits a request, with the request's
// criteria it meets and misses; Points add up the met ones, as for
// reference matches.
type contentFit struct {
	ID       int64              `json:"id"`
	Title    string             `json:"title"`
	Type     string             `json:"type"`
	State    vouch.ContentState `json:"state"`
	URL      string             `json:"url"`
	Points   int                `json:"points"`
	Criteria []vouch.Criterion  `json:"criteria"`
	Reasons  []string           `json:"reasons"` // the criteria in words: "✓ industry: Healthcare"
}

// contentFitList is a request's content that fits, best first.
type contentFitList struct {
	Items []contentFit `json:"items"`
	Total int          `json:"total"`
}

// requestContent serves GET /api/v1/requests/{id}/content: the approved
// content that fits the request's criteria, best first. Whoever may see the
// request and read content sees it.
func (h *Handler) requestContent(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if !u.Can(vouch.PermReadContent) || h.libx == nil {
		writeError(w, vouch.Errorf(vouch.EFORBIDDEN, "Your role may not read the content library."))
		return
	}
	v, err := h.visibleRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit, err := limitParam(r, 5, 50)
	if err != nil {
		writeError(w, err)
		return
	}
	fits, total := h.libx.ContentFor(contentindex.FitQuery{Criteria: v.Request.Criteria, Limit: limit})
	out := contentFitList{Items: make([]contentFit, len(fits)), Total: total}
	for i, f := range fits {
		c := contentFit{ID: f.Item.ID, Title: f.Item.Title, Type: h.cat.ValueName(f.Item.TypeID), State: f.State,
			URL: f.Item.URL, Points: f.Points, Criteria: nonNil(f.Criteria), Reasons: []string{}}
		for _, cr := range f.Criteria {
			c.Reasons = append(c.Reasons, cr.String())
		}
		out.Items[i] = c
	}
	writeJSON(w, http.StatusOK, out)
}
