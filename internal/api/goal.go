package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/goals"
	"github.com/vouchhq/vouch/internal/vouch"
)

// WithGoals adds program and team member goals.
func (h *Handler) WithGoals(g *goals.Service) *Handler {
	h.goals = g
	return h
}

// goalJSON is a goal as the API shows it: filters by id and by name, with
// its live progress.
type goalJSON struct {
	ID        int64               `json:"id"`
	Kind      vouch.GoalKind      `json:"kind"`
	Name      string              `json:"name"`
	Objective string              `json:"objective"`
	Metric    vouch.MetricID      `json:"metric"`
	Filter    vouch.MetricFilter  `json:"filter"`
	Filters   map[string][]string `json:"filters"`
	Target    float64             `json:"target"`
	From      vouch.Date          `json:"from"`
	To        vouch.Date          `json:"to"`
	OwnerID   *int64              `json:"owner_id"`
	Archived  bool                `json:"archived"`
	Version   int                 `json:"version"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
	Progress  vouch.GoalProgress  `json:"progress"`
}

func (h *Handler) goalJSON(g *vouch.Goal) goalJSON {
	j := goalJSON{ID: g.ID, Kind: g.Kind, Name: g.Name, Objective: g.Objective, Metric: g.Metric, Filter: g.Filter,
		Filters: map[string][]string{}, Target: g.Target, From: g.From, To: g.To, Archived: g.Archived,
		Version: g.Version, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt, Progress: h.goals.ProgressOf(g)}
	for _, d := range goals.FilterDims {
		if ids := *d.IDs(&g.Filter); len(ids) > 0 {
			j.Filters[d.Name] = h.valueNames(ids)
		}
	}
	if g.OwnerID != 0 {
		id := g.OwnerID
		j.OwnerID = &id
	}
	return j
}

// listGoals serves GET /api/v1/goals: the goals the caller may see, by
// objective; ?kind=, ?owner_id= and ?archived=true narrow or widen it.
func (h *Handler) listGoals(w http.ResponseWriter, r *http.Request) {
	var v vouch.Validation
	q := r.URL.Query()
	f := vouch.GoalFilter{Kind: vouch.GoalKind(strings.TrimSpace(q.Get("kind")))}
	if f.Kind != "" && f.Kind != vouch.GoalProgram && f.Kind != vouch.GoalMember {
		v.Add("kind", "must be program or member")
	}
	if s := strings.TrimSpace(q.Get("owner_id")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			v.Add("owner_id", "must be a user's id")
		}
		f.OwnerID = n
	}
	switch strings.TrimSpace(q.Get("archived")) {
	case "", "false":
	case "true":
		f.Archived = true
	default:
		v.Add("archived", "must be true or false")
	}
	if err := v.Err(); err != nil {
		writeError(w, paramError(err))
		return
	}
	list, err := h.goals.Goals(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	items := []goalJSON{}
	for _, g := range list {
		if vouch.SeesGoal(u, g) {
			items = append(items, h.goalJSON(g))
		}
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

// goal reads the goal of the path, 404 when the caller may not see it.
func (h *Handler) goal(w http.ResponseWriter, r *http.Request) *vouch.Goal {
	id, err := pathID(r, "goal")
	if err != nil {
		writeError(w, err)
		return nil
	}
	g, err := h.goals.Goal(r.Context(), id)
	if err == nil && !vouch.SeesGoal(userFrom(r.Context()), g) {
		err = vouch.Errorf(vouch.ENOTFOUND, "Goal %d not found.", id)
	}
	if err != nil {
		h.fail(w, r, err)
		return nil
	}
	return g
}

// getGoal serves GET /api/v1/goals/{id}.
func (h *Handler) getGoal(w http.ResponseWriter, r *http.Request) {
	if g := h.goal(w, r); g != nil {
		writeJSON(w, http.StatusOK, h.goalJSON(g))
	}
}

// createGoal serves POST /api/v1/goals.
func (h *Handler) createGoal(w http.ResponseWriter, r *http.Request) {
	var in goals.Input
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	g, err := h.goals.Create(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, h.goalJSON(g))
}

// updateGoal serves PATCH /api/v1/goals/{id}.
func (h *Handler) updateGoal(w http.ResponseWriter, r *http.Request) {
	cur := h.goal(w, r)
	if cur == nil {
		return
	}
	var in goals.Input
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	g, err := h.goals.Update(r.Context(), cur.ID, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.goalJSON(g))
}

// archiveGoal serves DELETE /api/v1/goals/{id}: the goal is archived, not
// erased (?version= guards against a change made meanwhile).
func (h *Handler) archiveGoal(w http.ResponseWriter, r *http.Request) {
	cur := h.goal(w, r)
	if cur == nil {
		return
	}
	version := 0
	if s := strings.TrimSpace(r.URL.Query().Get("version")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			var v vouch.Validation
			v.Add("version", "must be the version you read")
			writeError(w, paramError(v.Err()))
			return
		}
		version = n
	}
	g, err := h.goals.Archive(r.Context(), cur.ID, version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.goalJSON(g))
}
