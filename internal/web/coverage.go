package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/coverage"
	"github.com/vouchhq/vouch/internal/vouch"
)

// coverageFilter is the list pages' filter name of each coverage dimension.
var coverageFilter = map[string]string{"industry": "industry", "region": "region", "product": "product",
	"segment": "segment", "size": "company_size"}

// coverageLabels are the dimensions as the page names them.
var coverageLabels = map[string]string{"industry": "Industry", "region": "Region", "product": "Product",
	"segment": "Segment", "size": "Company size"}

// coverageCell is a cell with the links behind it, each only for a viewer
// who may open it.
type coverageCell struct {
	coverage.Cell
	ReferencesLink string
	RequestsLink   string
	// OpportunitiesLink lists the value's open deals the pipeline is of.
	OpportunitiesLink string
	Heat              string // the cell's shade: heat-0 (no gap) to heat-3 (the largest gaps)
}

// coverageGrid is the matrix laid out as a heat-map: a row per value of
// the dimension, the worst gap first, and a column per activity type.
type coverageGrid struct {
	Types []string
	Rows  []coverageGridRow
}

// coverageGridRow is one value's cells, one per column of the grid; nil
// where the value has neither supply nor demand for the type.
type coverageGridRow struct {
	Value string
	Cells []*coverageCell
	worst float64
}

// gridOf pivots the ranked cells into the heat-map.
func gridOf(cells []coverageCell) coverageGrid {
	var g coverageGrid
	col := map[string]int{}
	for _, c := range cells {
		if _, ok := col[c.ActivityType]; !ok {
			col[c.ActivityType] = 0
			g.Types = append(g.Types, c.ActivityType)
		}
	}
	slices.SortFunc(g.Types, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	for i, t := range g.Types {
		col[t] = i
	}
	row := map[string]int{}
	for i := range cells {
		c := &cells[i]
		r, ok := row[c.Value]
		if !ok {
			r = len(g.Rows)
			row[c.Value] = r
			g.Rows = append(g.Rows, coverageGridRow{Value: c.Value, Cells: make([]*coverageCell, len(g.Types)), worst: c.Gap})
		}
		g.Rows[r].Cells[col[c.ActivityType]] = c
		g.Rows[r].worst = max(g.Rows[r].worst, c.Gap)
	}
	slices.SortStableFunc(g.Rows, func(a, b coverageGridRow) int {
		if a.worst != b.worst {
			return cmp.Compare(b.worst, a.worst)
		}
		return strings.Compare(strings.ToLower(a.Value), strings.ToLower(b.Value))
	})
	return g
}

// coveragePage serves GET /coverage?dimension=industry&months=6: the
// matrix as a heat-map of values against activity types, and its cells
// ranked, gaps first.
func (h *Handler) coveragePage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	today := h.clock.Today()
	q, err := coverage.ParseQuery(r.URL.Query().Get("dimension"), r.URL.Query().Get("months"), today)
	if err != nil {
		h.errorPage(w, r, http.StatusBadRequest, vouch.ErrorMessage(err)+" Choose a dimension and a number of months from the form.")
		return
	}
	m, _ := coverage.Compute(h.opts.Index, h.opts.Metrics, h.opts.Index.Catalog(), h.opts.Index.Catalog().ProgramSettings(), q)
	filter := coverageFilter[q.Dimension]
	from := vouch.DateOf(today.Time().AddDate(0, -q.Months, 0))
	cells := make([]coverageCell, 0, len(m.Cells))
	maxGap := 0.0
	for _, c := range m.Cells {
		cc := coverageCell{Cell: c}
		if u.Can(vouch.PermReadReferences) {
			cc.ReferencesLink = "/references?" + url.Values{filter: {c.Value}, "activity_type": {c.ActivityType}, "status": {"active"}}.Encode()
		}
		if u.Can(vouch.PermManageProgram) && c.Requests > 0 {
			cc.RequestsLink = "/scorecard/rows?" + url.Values{"metric": {string(vouch.MetricRequestsReceived)}, filter: {c.Value},
				"activity_type": {c.ActivityType}, "from": {from.String()}, "to": {today.String()}}.Encode()
		}
		if u.Can(vouch.PermRequestReference) && c.OpenOpportunities > 0 && c.Value != "" {
			cc.OpportunitiesLink = "/opportunities?" + url.Values{filter: {c.Value}, "status": {string(vouch.OpportunityOpen)}}.Encode()
		}
		maxGap = max(maxGap, c.Gap)
		cells = append(cells, cc)
	}
	for i := range cells {
		cells[i].Heat = "heat-0"
		if g := cells[i].Gap; g > 0 {
			cells[i].Heat = "heat-" + strconv.Itoa(1+min(int(g/maxGap*3), 2))
		}
	}
	h.render(w, r, http.StatusOK, "coverage", &page{Title: "Coverage", Nav: "coverage", Data: map[string]any{
		"Matrix": m, "Cells": cells, "Grid": gridOf(cells), "Dimensions": coverage.Dimensions, "Labels": coverageLabels, "MaxGap": maxGap,
		"Label": coverageLabels[q.Dimension], "CanSettings": u.Can(vouch.PermManageProgram),
		"CanCampaign": u.Can(vouch.PermManageCampaigns) && h.opts.Campaigns != nil && h.opts.Accounts != nil, "Query": r.URL.RawQuery,
	}})
}

// saveCoverageSettings serves POST /coverage/settings: the two settings of
// the pipeline estimate, changed beside the learned share they are judged by.
func (h *Handler) saveCoverageSettings(w http.ResponseWriter, r *http.Request) {
	back := "/coverage"
	if q := r.PostFormValue("query"); q != "" {
		if v, err := url.ParseQuery(q); err == nil {
			back += "?" + url.Values{"dimension": {v.Get("dimension")}, "months": {v.Get("months")}}.Encode()
		}
	}
	ps, err := h.db.ProgramSettings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	share, err1 := strconv.Atoi(strings.TrimSpace(r.PostFormValue("coverage_share_pct")))
	refs, err2 := strconv.Atoi(strings.TrimSpace(r.PostFormValue("coverage_refs_per_opportunity")))
	if err1 != nil || err2 != nil {
		redirectError(w, r, back, "The share and the references per opportunity must be whole numbers.")
		return
	}
	ps.CoverageSharePct, ps.CoverageRefsPerOpp = share, refs
	if err := h.db.SetProgramSettings(r.Context(), ps); err != nil {
		if vouch.ErrorCode(err) == vouch.EINVALID {
			msg := vouch.ErrorMessage(err)
			fields := vouch.ErrorFields(err)
			if m, ok := fields["coverage_share_pct"]; ok {
				msg = "The share of open opportunities " + m + "."
			} else if m, ok := fields["coverage_refs_per_opportunity"]; ok {
				msg = "References per opportunity " + m + "."
			}
			redirectError(w, r, back, msg)
			return
		}
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, back, "The pipeline estimate's settings are saved.")
}
