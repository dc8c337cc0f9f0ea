package api

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/vouch"
)

// WithScorecard sets the scorecard service (with goal progress); without
// it the handler builds one over the metrics engine, without goals.
func (h *Handler) WithScorecard(s *scorecard.Service) *Handler {
	h.cards = s
	return h
}

func (h *Handler) scorecards() *scorecard.Service {
	if h.cards != nil {
		return h.cards
	}
	s := scorecard.New(h.mx, h.cat, h.db.Clock.Today, nil)
	s.SetUsers(h.db)
	return s
}

// getScorecard serves GET /api/v1/scorecard: every figure of the scorecard
// for the period (from and to, or period, or kind and anchor) and the
// filters (taxonomy value names) in the query.
func (h *Handler) getScorecard(w http.ResponseWriter, r *http.Request) {
	req, err := scorecard.ParseRequest(r.URL.Query())
	if err != nil {
		writeError(w, paramError(err))
		return
	}
	svc := h.scorecards()
	sel, err := svc.Resolve(r.Context(), req)
	if err != nil {
		writeError(w, paramError(err))
		return
	}
	c, err := svc.Card(r.Context(), sel)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, scorecard.NewDocument(c))
}

// metricDefinition is one metric of GET /api/v1/metrics.
type metricDefinition struct {
	ID             vouch.MetricID `json:"id"`
	Label          string         `json:"label"`
	Unit           string         `json:"unit"`
	HigherIsBetter bool           `json:"higher_is_better"`
	Definition     string         `json:"definition"`
	Goal           bool           `json:"goal"`
}

// listMetrics serves GET /api/v1/metrics: every metric's definition.
func (h *Handler) listMetrics(w http.ResponseWriter, r *http.Request) {
	out := make([]metricDefinition, len(vouch.Metrics))
	for i, d := range vouch.Metrics {
		out[i] = metricDefinition{ID: d.ID, Label: d.Label, Unit: d.Unit, HigherIsBetter: d.HigherIsBetter, Definition: d.Definition, Goal: d.Goal}
	}
	writeJSON(w, http.StatusOK, newList(out, "", len(out)))
}
