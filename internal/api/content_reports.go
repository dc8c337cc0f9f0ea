package api

import (
	"net/http"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/vouch"
)

// reportItem is one item of a content report.
type reportItem struct {
	ID            int64              `json:"id"`
	Title         string             `json:"title"`
	Type          string             `json:"type"`
	State         vouch.ContentState `json:"state"`
	RecentUses    int                `json:"recent_uses"` // uses in the last 12 months
	Uses          int                `json:"uses"`        // uses ever
	Ratings       int                `json:"ratings"`
	AverageRating float64            `json:"average_rating"`
	LastUsed      *time.Time         `json:"last_used"`
	CreatedAt     time.Time          `json:"created_at"`
}

// reportSegment is one segment of the gaps report.
type reportSegment struct {
	content.Segment
	Gap bool `json:"gap"`
}

// contentReport is a report as the API answers it.
type contentReport struct {
	Kind     string          `json:"kind"`
	Since    time.Time       `json:"since"`
	Items    []reportItem    `json:"items"`
	Segments []reportSegment `json:"segments"`
}

// contentReports serves GET /api/v1/content/reports?kind=most_used|best_rated|stale|gaps,
// as the caller may see the library.
func (h *Handler) contentReports(w http.ResponseWriter, r *http.Request) {
	if h.libx == nil || h.lib == nil {
		writeError(w, vouch.Errorf(vouch.ENOTFOUND, "The content library is not available."))
		return
	}
	u := userFrom(r.Context())
	rep, err := content.NewReports(h.db, h.libx, h.cat).Report(r.Context(), r.URL.Query().Get("kind"), u.Can(vouch.PermManageContent))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := contentReport{Kind: rep.Kind, Since: rep.Since, Items: []reportItem{}, Segments: []reportSegment{}}
	for _, it := range rep.Items {
		out.Items = append(out.Items, reportItem{ID: it.Item.ID, Title: it.Item.Title, Type: h.cat.ValueName(it.Item.TypeID),
			State: it.State, RecentUses: it.RecentUses, Uses: it.Stats.Uses, Ratings: it.Stats.Ratings,
			AverageRating: it.Stats.AverageRating, LastUsed: it.Stats.LastUsed, CreatedAt: it.Item.CreatedAt})
	}
	for _, s := range rep.Segments {
		out.Segments = append(out.Segments, reportSegment{Segment: s, Gap: s.Gap()})
	}
	writeJSON(w, http.StatusOK, out)
}
