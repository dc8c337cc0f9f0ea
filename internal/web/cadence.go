package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/vouch"
)

// cadenceRow is one occurrence as the "this week" view and the home page
// show it.
type cadenceRow struct {
	cadence.Item
	Assignee string
	Link     string // the page of what it is about, when the viewer may open it
	Closer   string
}

// cadenceRows writes items for the viewer: names of people, and the
// subject's link only where it is served and the viewer may open it.
func (h *Handler) cadenceRows(u *vouch.User, items []cadence.Item, users map[int64]*vouch.User) []cadenceRow {
	out := make([]cadenceRow, 0, len(items))
	for _, it := range items {
		row := cadenceRow{Item: it, Assignee: ownerName(users, it.Occurrence.AssigneeID), Closer: ownerName(users, it.Occurrence.ClosedBy)}
		if h.mayOpen(u, it.Link) {
			row.Link = it.Link
		}
		out = append(out, row)
	}
	return out
}

// mayOpen reports whether link is a page this handler serves that u's role
// may open (the subject pages of cadence tasks and health signals).
func (h *Handler) mayOpen(u *vouch.User, link string) bool {
	if link == "" {
		return false
	}
	path, _, _ := strings.Cut(link, "?")
	if !h.serves(path) {
		return false
	}
	need := map[string]vouch.Permission{
		"/requests": vouch.PermManageProgram, "/references": vouch.PermReadReferences, "/scorecard": vouch.PermReadScorecard,
		"/goals": vouch.PermReadGoals, "/nominations": vouch.PermManageProgram, "/content/reports": vouch.PermReadContent,
		"/cadence": vouch.PermManageCadence,
	}
	p, ok := need[path]
	return !ok || u.Can(p)
}

// cadencePage serves GET /cadence: the week's cadence tasks — the viewer's
// own, or everyone's (who=all), or one member's (who=<id>) — with done and
// skip on each, and below it every task with its schedule and assignee.
func (h *Handler) cadencePage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	q := r.URL.Query()
	day := h.clock.Today()
	if s := q.Get("week"); s != "" {
		d, err := vouch.ParseDate(s)
		if err != nil || d.IsZero() {
			h.errorPage(w, r, http.StatusNotFound, "“"+s+"” is not a day; the week is given by a date like 2027-03-01.")
			return
		}
		day = d
	}
	who := q.Get("who")
	assignee := u.ID
	switch who {
	case "all":
		assignee = 0
	case "", "me":
		who = "me"
	default:
		n, err := strconv.ParseInt(who, 10, 64)
		if err != nil {
			h.errorPage(w, r, http.StatusNotFound, "“"+who+"” is not a team member; choose me, all or a member's number.")
			return
		}
		assignee = n
	}
	week, items, err := h.opts.Cadence.Week(r.Context(), day, assignee)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	tasks, err := h.opts.Cadence.Tasks(r.Context(), false)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	users, list, err := h.goalUsers(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var team []*vouch.User
	for _, x := range list {
		if x.Can(vouch.PermManageCadence) {
			team = append(team, x)
		}
	}
	weekURL := func(d vouch.Date) string {
		v := url.Values{"week": {d.String()}}
		if who != "me" {
			v.Set("who", who)
		}
		return "/cadence?" + v.Encode()
	}
	h.render(w, r, http.StatusOK, "cadence", &page{Title: "Cadence", Nav: "cadence", Data: map[string]any{
		"Week": week, "Rows": h.cadenceRows(u, items, users), "Tasks": tasks, "Team": team, "Users": users,
		"Who": who, "Assignee": assignee, "WhoName": ownerName(users, assignee), "Today": h.clock.Today(),
		"Prev": weekURL(week.First.AddDays(-7)), "Next": weekURL(week.First.AddDays(7)),
		"ThisWeek": week.First == vouch.WeekOf(h.clock.Today()).First, "Recurrences": vouch.Recurrences,
	}})
}

// closeOccurrence serves POST /cadence/occurrences/{id}: done (or skip,
// which needs a note), back to the page it came from.
func (h *Handler) closeOccurrence(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		back = "/cadence"
	}
	to := vouch.OccurrenceDone
	if r.PostFormValue("action") == "skip" {
		to = vouch.OccurrenceSkipped
	}
	o, err := h.opts.Cadence.Close(r.Context(), id, to, r.PostFormValue("note"))
	if isFormError(err) {
		msg := vouch.ErrorMessage(err)
		if f := vouch.ErrorFields(err); f["note"] != "" {
			msg = "To skip, write why in the note: the history explains every gap."
		}
		redirectError(w, r, back, msg)
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.opts.Cadence.Task(r.Context(), o.TaskID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, back, fmt.Sprintf("“%s” of %s marked %s.", t.Title, formatDate(o.DueOn.Time()), strings.ToLower(o.Status.Label())))
}

// cadenceInput reads a task form into the service's input.
func cadenceInput(form url.Values) cadence.Input {
	in := cadence.Input{}
	for _, f := range []struct {
		key  string
		into **string
	}{{"title", &in.Title}, {"description", &in.Description}, {"recurrence", &in.Recurrence}} {
		if v, ok := form[f.key]; ok {
			s := v[0]
			*f.into = &s
		}
	}
	for _, f := range []struct {
		key  string
		into **int
	}{{"day", &in.Day}, {"month", &in.Month}, {"version", &in.Version}} {
		if v := strings.TrimSpace(form.Get(f.key)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1 // reported as out of range
			}
			*f.into = &n
		}
	}
	if _, ok := form["assignee"]; ok {
		n, _ := strconv.ParseInt(form.Get("assignee"), 10, 64)
		in.AssigneeID = &n
	}
	if form.Get("archived") != "" {
		yes := form.Get("archived") == "1"
		in.Archived = &yes
	}
	return in
}

// createCadenceTask serves POST /cadence/tasks: a task the team adds.
func (h *Handler) createCadenceTask(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	t, err := h.opts.Cadence.Create(r.Context(), cadenceInput(r.PostForm))
	if isFormError(err) {
		redirectError(w, r, "/cadence#tasks", "The task was not added: "+fieldProblems(err))
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/cadence/tasks/%d", t.ID), "Task “"+t.Title+"” added: "+strings.ToLower(t.Schedule())+".")
}

// fieldProblems lists a validation error's problems in one sentence.
func fieldProblems(err error) string {
	fields := vouch.ErrorFields(err)
	if len(fields) == 0 {
		return vouch.ErrorMessage(err)
	}
	var parts []string
	for _, k := range []string{"title", "recurrence", "day", "month", "assignee", "description", "version"} {
		if p := fields[k]; p != "" {
			parts = append(parts, k+" "+p)
		}
	}
	return strings.Join(parts, "; ") + "."
}

// cadenceTaskPage serves GET /cadence/tasks/{id}: a task's schedule and
// assignee to change, and the history of its occurrences.
func (h *Handler) cadenceTaskPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	t, err := h.opts.Cadence.Task(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hist, err := h.opts.Cadence.History(r.Context(), id, 100)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	users, list, err := h.goalUsers(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var team []*vouch.User
	for _, x := range list {
		if x.Can(vouch.PermManageCadence) {
			team = append(team, x)
		}
	}
	u := userFrom(r.Context())
	link := cadence.SubjectLink(t.Kind)
	if !h.mayOpen(u, link) {
		link = ""
	}
	h.render(w, r, http.StatusOK, "cadence_task", &page{Title: t.Title, Nav: "cadence", Data: map[string]any{
		"Task": t, "History": hist, "Team": team, "Users": users, "Today": h.clock.Today(), "Link": link,
		"Recurrences": vouch.Recurrences, "Months": []int{1, 2, 3},
	}})
}

// updateCadenceTask serves POST /cadence/tasks/{id}: schedule, assignee,
// archive.
func (h *Handler) updateCadenceTask(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	back := fmt.Sprintf("/cadence/tasks/%d", id)
	if r.PostForm.Get("back") == "list" {
		back = "/cadence#tasks"
	}
	t, err := h.opts.Cadence.Update(r.Context(), id, cadenceInput(r.PostForm))
	if vouch.ErrorCode(err) == vouch.ECONFLICT {
		redirectError(w, r, back, "Someone changed this task since you opened it; nothing was saved. Look at it again.")
		return
	} else if isFormError(err) {
		redirectError(w, r, back, "Nothing was saved: "+fieldProblems(err))
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	if t.Archived {
		redirect(w, r, "/cadence#tasks", "Archived “"+t.Title+"”: it no longer comes due; its history stays.")
		return
	}
	redirect(w, r, back, "Saved “"+t.Title+"”.")
}
