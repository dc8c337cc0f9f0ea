package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/vouch"
)

// WithCadence adds the program cadence and program health.
func (h *Handler) WithCadence(c *cadence.Service, hs *health.Service) *Handler {
	h.cadence, h.health = c, hs
	return h
}

// cadenceTaskJSON is a task with its schedule in words.
type cadenceTaskJSON struct {
	*vouch.CadenceTask
	Schedule string `json:"schedule"`
}

func taskJSON(t *vouch.CadenceTask) cadenceTaskJSON {
	return cadenceTaskJSON{CadenceTask: t, Schedule: t.Schedule()}
}

// listCadenceTasks serves GET /api/v1/cadence/tasks (?archived=true lists
// the archived ones too).
func (h *Handler) listCadenceTasks(w http.ResponseWriter, r *http.Request) {
	archived := false
	switch strings.TrimSpace(r.URL.Query().Get("archived")) {
	case "", "false":
	case "true":
		archived = true
	default:
		var v vouch.Validation
		v.Add("archived", "must be true or false")
		writeError(w, paramError(v.Err()))
		return
	}
	list, err := h.cadence.Tasks(r.Context(), archived)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items := make([]cadenceTaskJSON, 0, len(list))
	for _, t := range list {
		items = append(items, taskJSON(t))
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

// getCadenceTask serves GET /api/v1/cadence/tasks/{id}: the task and its
// history, newest first.
func (h *Handler) getCadenceTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "cadence task")
	if err != nil {
		writeError(w, err)
		return
	}
	t, err := h.cadence.Task(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hist, err := h.cadence.History(r.Context(), id, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"task": taskJSON(t), "history": hist})
}

// createCadenceTask serves POST /api/v1/cadence/tasks.
func (h *Handler) createCadenceTask(w http.ResponseWriter, r *http.Request) {
	var in cadence.Input
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	t, err := h.cadence.Create(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, taskJSON(t))
}

// updateCadenceTask serves PATCH /api/v1/cadence/tasks/{id}.
func (h *Handler) updateCadenceTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "cadence task")
	if err != nil {
		writeError(w, err)
		return
	}
	var in cadence.Input
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	t, err := h.cadence.Update(r.Context(), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, taskJSON(t))
}

// cadenceWeek serves GET /api/v1/cadence/week: the occurrences due in the
// week of ?day= (default today) of ?assignee_id= (default the caller; 0
// everyone), with those still open from before.
func (h *Handler) cadenceWeek(w http.ResponseWriter, r *http.Request) {
	var v vouch.Validation
	q := r.URL.Query()
	day := h.db.Today()
	if s := strings.TrimSpace(q.Get("day")); s != "" {
		d, err := vouch.ParseDate(s)
		if err != nil {
			v.Add("day", "must be a date like 2026-03-14")
		}
		day = d
	}
	assignee := userFrom(r.Context()).ID
	if s := strings.TrimSpace(q.Get("assignee_id")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			v.Add("assignee_id", "must be a user's id, or 0 for everyone")
		}
		assignee = n
	}
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	week, items, err := h.cadence.Week(r.Context(), day, assignee)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type item struct {
		Occurrence *vouch.CadenceOccurrence `json:"occurrence"`
		Task       cadenceTaskJSON          `json:"task"`
		Overdue    bool                     `json:"overdue"`
		Link       string                   `json:"link,omitempty"`
	}
	out := make([]item, 0, len(items))
	for _, it := range items {
		out = append(out, item{Occurrence: it.Occurrence, Task: taskJSON(it.Task), Overdue: it.Overdue, Link: it.Link})
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": week.First, "to": week.Last, "items": out})
}

// closeInput is what closing an occurrence takes.
type closeInput struct {
	Status string `json:"status"` // done or skipped
	Note   string `json:"note"`
}

// closeOccurrence serves POST /api/v1/cadence/occurrences/{id}/close.
func (h *Handler) closeOccurrence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "cadence occurrence")
	if err != nil {
		writeError(w, err)
		return
	}
	var in closeInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	o, err := h.cadence.Close(r.Context(), id, vouch.OccurrenceStatus(strings.TrimSpace(in.Status)), in.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// getHealth serves GET /api/v1/health: every assessment (oldest first)
// and, by element, the signals Vouch measures.
func (h *Handler) getHealth(w http.ResponseWriter, r *http.Request) {
	list, err := h.health.Assessments(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	signals, err := h.health.Signals(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type element struct {
		Element vouch.HealthElement  `json:"element"`
		Label   string               `json:"label"`
		Signals []vouch.HealthSignal `json:"signals"`
	}
	els := make([]element, 0, len(vouch.HealthElements))
	for _, e := range vouch.HealthElements {
		els = append(els, element{Element: e, Label: e.Label(), Signals: signals[e]})
	}
	writeJSON(w, http.StatusOK, map[string]any{"assessments": list, "elements": els})
}

// createHealth serves POST /api/v1/health/assessments.
func (h *Handler) createHealth(w http.ResponseWriter, r *http.Request) {
	var in health.Input
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	a, err := h.health.Record(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}
