package web

import (
	"html/template"
	"net/http"

	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/vouch"
)

// healthRow is one element as the health page shows it: the latest
// rating, the one before, and what Vouch measures beside it.
type healthRow struct {
	Element  vouch.HealthElement
	Latest   vouch.ElementRating
	Previous vouch.ElementRating
	Signals  []vouch.HealthSignal
}

// Trend says how the element moved since the assessment before: "up",
// "down", "same" or "" (not rated in both).
func (r healthRow) Trend() string {
	switch {
	case r.Latest.Stage == 0 || r.Previous.Stage == 0:
		return ""
	case r.Latest.Stage > r.Previous.Stage:
		return "up"
	case r.Latest.Stage < r.Previous.Stage:
		return "down"
	}
	return "same"
}

// StageClass is the pill's colour for the row's latest stage.
func (r healthRow) StageClass() string {
	switch r.Latest.Stage {
	case vouch.StageAdvanced, vouch.StageFocused:
		return "pill-ok"
	case vouch.StageEmerging:
		return "pill-warn"
	case vouch.StageUnderdeveloped:
		return "pill-bad"
	}
	return "pill-muted"
}

// healthPage serves GET /health: the latest self-assessment of the eleven
// elements beside the signals Vouch measures, the trend over every
// assessment (chart drawn on the server), and the assessments kept.
func (h *Handler) healthPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	list, err := h.opts.Health.Assessments(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	signals, err := h.opts.Health.Signals(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var latest, previous *vouch.HealthAssessment
	if n := len(list); n > 0 {
		latest = list[n-1]
		if n > 1 {
			previous = list[n-2]
		}
	}
	element := vouch.HealthElement(r.URL.Query().Get("element"))
	if !element.Valid() {
		element = ""
	}
	rows := make([]healthRow, 0, len(vouch.HealthElements))
	for _, e := range vouch.HealthElements {
		row := healthRow{Element: e}
		if latest != nil {
			row.Latest = latest.Rating(e)
		}
		if previous != nil {
			row.Previous = previous.Rating(e)
		}
		for _, s := range signals[e] {
			if !h.mayOpen(u, s.Link) {
				s.Link = ""
			}
			row.Signals = append(row.Signals, s)
		}
		rows = append(rows, row)
	}
	var chart template.HTML
	if len(list) > 0 {
		svg, err := health.TrendChart(list, element, 720, 320)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		chart = template.HTML(svg) // drawn by go-chart from numbers, dates and fixed labels, escaped where text
	}
	users, _, err := h.goalUsers(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	newest := make([]*vouch.HealthAssessment, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		newest = append(newest, list[i])
	}
	h.render(w, r, http.StatusOK, "health", &page{Title: "Program health", Nav: "health", Data: map[string]any{
		"Rows": rows, "Latest": latest, "Previous": previous, "Chart": chart, "Assessments": newest, "Users": users,
		"Elements": vouch.HealthElements, "Element": element, "CanManage": u.Can(vouch.PermManageHealth),
	}})
}

// newHealth serves GET /health/new: the assessment form, each element
// filled with the latest rating and shown beside its signals.
func (h *Handler) newHealth(w http.ResponseWriter, r *http.Request) {
	h.renderHealthForm(w, r, http.StatusOK, &page{})
}

func (h *Handler) renderHealthForm(w http.ResponseWriter, r *http.Request, status int, p *page) {
	list, err := h.opts.Health.Assessments(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	signals, err := h.opts.Health.Signals(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	u := userFrom(r.Context())
	rows := make([]healthRow, 0, len(vouch.HealthElements))
	for _, e := range vouch.HealthElements {
		row := healthRow{Element: e}
		if n := len(list); n > 0 {
			row.Previous = list[n-1].Rating(e)
		}
		for _, s := range signals[e] {
			if !h.mayOpen(u, s.Link) {
				s.Link = ""
			}
			row.Signals = append(row.Signals, s)
		}
		rows = append(rows, row)
	}
	p.Title, p.Nav = "Assess the program's health", "health"
	p.Data = map[string]any{"Rows": rows, "Stages": vouch.HealthStages, "Today": h.clock.Today()}
	h.render(w, r, status, "health_form", p)
}

// createHealth serves POST /health: record an assessment dated and signed.
func (h *Handler) createHealth(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	in := health.Input{AssessedOn: r.PostForm.Get("assessed_on"), Note: r.PostForm.Get("note")}
	for _, e := range vouch.HealthElements {
		in.Ratings = append(in.Ratings, health.RatingInput{Element: string(e),
			Stage: r.PostForm.Get("stage_" + string(e)), Note: r.PostForm.Get("note_" + string(e))})
	}
	a, err := h.opts.Health.Record(r.Context(), in)
	if isFormError(err) {
		errs := map[string]string{}
		for f, reason := range vouch.ErrorFields(err) {
			errs[f] = reason
		}
		h.renderHealthForm(w, r, http.StatusUnprocessableEntity, &page{Form: r.PostForm, Errors: errs,
			Error: "The assessment was not saved; see the fields marked below."})
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/health", "Assessment of "+formatDate(a.AssessedOn.Time())+" saved.")
}
