package api

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/coverage"
)

// getCoverage serves GET /api/v1/coverage?dimension=industry&months=6: the
// coverage matrix, the largest gaps first.
func (h *Handler) getCoverage(w http.ResponseWriter, r *http.Request) {
	q, err := coverage.ParseQuery(r.URL.Query().Get("dimension"), r.URL.Query().Get("months"), h.db.Today())
	if err != nil {
		writeError(w, err)
		return
	}
	m, _ := coverage.Compute(h.ix, h.mx, h.cat, h.cat.ProgramSettings(), q)
	writeJSON(w, http.StatusOK, m)
}
