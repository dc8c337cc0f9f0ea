package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/goals"
	"github.com/vouchhq/vouch/internal/vouch"
)

// goalRow is one goal as the goals page, a goal's page and the home page
// show it: every figure already written for people.
type goalRow struct {
	Goal     *vouch.Goal
	Progress vouch.GoalProgress
	Metric   string // the metric's label
	Target   string
	Current  string // "—" when there is no figure
	Expected string
	Forecast string // "" when there is none
	Percent  int
	Pace     string // in words
	PaceCSS  string
	Owner    string
	Period   string
	Filters  string // "Healthcare · EMEA"
	Editable bool
}

// goalGroup is the goals of one objective, or of one team member.
type goalGroup struct {
	Title string
	Goals []goalRow
}

// figure writes a goal's number in its metric's unit: 12, 85%, 4.3 / 5,
// 3.5 days, USD 1,200.00.
func (h *Handler) figure(unit string, v *float64) string {
	if v == nil {
		return "—"
	}
	x := *v
	switch unit {
	case vouch.UnitFraction:
		return strconv.FormatFloat(x*100, 'f', 0, 64) + "%"
	case vouch.UnitRating:
		return strconv.FormatFloat(x, 'f', 1, 64) + " / 5"
	case vouch.UnitDays:
		return strconv.FormatFloat(x, 'f', 1, 64) + " days"
	case vouch.UnitMoney:
		cur := "USD"
		if h.opts.Catalog != nil {
			if c := h.opts.Catalog.ProgramSettings().ReportCurrency; c != "" {
				cur = c
			}
		}
		return vouch.FormatMoney(cur, x)
	}
	if x == float64(int64(x)) {
		return formatNumber(int64(x))
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// paceClass is the pill's colour for a pace (always beside its words).
func paceClass(p vouch.GoalPace) string {
	switch p {
	case vouch.PaceOnTrack, vouch.PaceMet:
		return "pill-ok"
	case vouch.PaceAtRisk:
		return "pill-warn"
	case vouch.PaceBehind, vouch.PaceMissed:
		return "pill-bad"
	}
	return "pill-muted"
}

// periodName names a goal's days: a fiscal month, quarter or year by its
// name, other runs by their first and last day.
func (h *Handler) periodName(from, to vouch.Date) string {
	start := h.opts.Catalog.ProgramSettings().FiscalYearStart
	for _, k := range []vouch.PeriodKind{vouch.PeriodMonth, vouch.PeriodQuarter, vouch.PeriodYear} {
		p := vouch.FiscalPeriodOf(k, from, start)
		if p.First == from && p.Last == to {
			if k == vouch.PeriodMonth {
				return from.Time().Format("January 2006")
			}
			return vouch.FiscalName(p, start)
		}
	}
	return formatDate(from.Time()) + " – " + formatDate(to.Time())
}

// goalRows writes goals for u, with the names of their owners in users.
func (h *Handler) goalRows(u *vouch.User, gs []*vouch.Goal, users map[int64]*vouch.User) []goalRow {
	out := make([]goalRow, 0, len(gs))
	for _, g := range gs {
		p := h.opts.Goals.ProgressOf(g)
		def := vouch.Metric(g.Metric)
		unit, label := vouch.UnitCount, string(g.Metric)
		if def != nil {
			unit, label = def.Unit, def.Label
		}
		row := goalRow{Goal: g, Progress: p, Metric: label, Target: h.figure(unit, &g.Target),
			Current: h.figure(unit, p.Current), Expected: h.figure(unit, &p.Expected), Percent: p.Percent(),
			Pace: p.Pace.Label(), PaceCSS: paceClass(p.Pace), Period: h.periodName(g.From, g.To),
			Editable: u.Can(vouch.PermManageGoals)}
		if p.Forecast != nil {
			row.Forecast = h.figure(unit, p.Forecast)
		}
		if o := users[g.OwnerID]; o != nil {
			row.Owner = o.Name
		}
		var names []string
		for _, d := range goals.FilterDims {
			for _, id := range *d.IDs(&g.Filter) {
				names = append(names, h.opts.Catalog.ValueName(id))
			}
		}
		row.Filters = strings.Join(names, " · ")
		out = append(out, row)
	}
	return out
}

// goalUsers reads every user once, for owners' names.
func (h *Handler) goalUsers(r *http.Request) (map[int64]*vouch.User, []*vouch.User, error) {
	list, err := h.db.ListUsers(r.Context())
	if err != nil {
		return nil, nil, err
	}
	m := make(map[int64]*vouch.User, len(list))
	for _, u := range list {
		m[u.ID] = u
	}
	return m, list, nil
}

// goalsPage serves GET /goals: the program's goals by objective, then each
// team member's, on one printable page.
func (h *Handler) goalsPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	all, err := h.opts.Goals.Goals(r.Context(), vouch.GoalFilter{})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	users, _, err := h.goalUsers(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var program, member []*vouch.Goal
	for _, g := range all {
		if !vouch.SeesGoal(u, g) {
			continue
		}
		if g.Kind == vouch.GoalMember {
			member = append(member, g)
		} else {
			program = append(program, g)
		}
	}
	var objectives, members []goalGroup
	for _, row := range h.goalRows(u, program, users) {
		if n := len(objectives); n > 0 && objectives[n-1].Title == row.Goal.Objective {
			objectives[n-1].Goals = append(objectives[n-1].Goals, row)
			continue
		}
		objectives = append(objectives, goalGroup{Title: row.Goal.Objective, Goals: []goalRow{row}})
	}
	slices.SortStableFunc(member, func(a, b *vouch.Goal) int {
		return strings.Compare(ownerName(users, a.OwnerID), ownerName(users, b.OwnerID))
	})
	for _, row := range h.goalRows(u, member, users) {
		if n := len(members); n > 0 && members[n-1].Title == row.Owner {
			members[n-1].Goals = append(members[n-1].Goals, row)
			continue
		}
		members = append(members, goalGroup{Title: row.Owner, Goals: []goalRow{row}})
	}
	h.render(w, r, http.StatusOK, "goals", &page{Title: "Goals", Nav: "goals", Data: map[string]any{
		"Objectives": objectives, "Members": members, "Today": h.clock.Today(),
		"CanManage": u.Can(vouch.PermManageGoals),
	}})
}

func ownerName(users map[int64]*vouch.User, id int64) string {
	if u := users[id]; u != nil {
		return u.Name
	}
	return ""
}

// goalForm is the goal editor's values, as strings the form shows.
type goalForm struct {
	ID        int64
	Version   int
	Kind      string
	Name      string
	Objective string
	Metric    string
	Target    string
	Period    string
	From      string
	To        string
	OwnerID   int64
	Filters   map[string]map[int64]bool
	Archived  bool
}

// formOfGoal is the editor's values for a saved goal.
func (h *Handler) formOfGoal(g *vouch.Goal) *goalForm {
	f := &goalForm{ID: g.ID, Version: g.Version, Kind: string(g.Kind), Name: g.Name, Objective: g.Objective,
		Metric: string(g.Metric), Target: strconv.FormatFloat(g.Target, 'f', -1, 64), Period: "custom",
		From: g.From.String(), To: g.To.String(), OwnerID: g.OwnerID, Filters: map[string]map[int64]bool{},
		Archived: g.Archived}
	for _, c := range vouch.GoalPeriodChoices(h.clock.Today(), h.opts.Catalog.ProgramSettings().FiscalYearStart) {
		if c.First == g.From && c.Last == g.To {
			f.Period = c.Key
		}
	}
	for _, d := range goals.FilterDims {
		f.Filters[d.Name] = map[int64]bool{}
		for _, id := range *d.IDs(&g.Filter) {
			f.Filters[d.Name][id] = true
		}
	}
	return f
}

// readGoalForm reads the editor's fields into the form (to show again)
// and the service's input.
func readGoalForm(form url.Values) (*goalForm, goals.Input) {
	f := &goalForm{Kind: form.Get("kind"), Name: form.Get("name"), Objective: form.Get("objective"),
		Metric: form.Get("metric"), Target: strings.TrimSpace(form.Get("target")), Period: form.Get("period"),
		From: form.Get("from"), To: form.Get("to"), Filters: map[string]map[int64]bool{}}
	in := goals.Input{Kind: &f.Kind, Name: &f.Name, Objective: &f.Objective, Metric: &f.Metric, Period: &f.Period,
		Filters: map[string][]string{}}
	if f.Period == "custom" || f.Period == "" {
		in.From, in.To = &f.From, &f.To
	}
	if f.Target != "" {
		t, err := strconv.ParseFloat(strings.TrimSuffix(strings.ReplaceAll(f.Target, ",", ""), "%"), 64)
		if err == nil && strings.HasSuffix(f.Target, "%") {
			t /= 100
		}
		if err != nil {
			t = -1 // reported as "must be a number above 0"
		}
		in.Target = &t
	}
	if n, err := strconv.ParseInt(form.Get("owner"), 10, 64); err == nil {
		f.OwnerID = n
		in.OwnerID = &f.OwnerID
	} else {
		zero := int64(0)
		in.OwnerID = &zero
	}
	if v, err := strconv.Atoi(form.Get("version")); err == nil {
		f.Version = v
		in.Version = &f.Version
	}
	for _, d := range goals.FilterDims {
		f.Filters[d.Name] = map[int64]bool{}
		vals := []string{}
		for _, s := range form[d.Name] {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
				f.Filters[d.Name][n] = true
				vals = append(vals, s)
			}
		}
		in.Filters[d.Name] = vals
	}
	return f, in
}

// goalMetric is a metric the picker offers, with its definition.
type goalMetric struct {
	vouch.MetricDef
	Member bool
}

// renderGoalForm shows the editor.
func (h *Handler) renderGoalForm(w http.ResponseWriter, r *http.Request, status int, p *page, f *goalForm, g *vouch.Goal) {
	_, list, err := h.goalUsers(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var team []*vouch.User
	for _, u := range list {
		if !u.Disabled && u.Can(vouch.PermManageProgram) {
			team = append(team, u)
		}
	}
	var metrics []goalMetric
	for _, d := range vouch.Metrics {
		if d.Goal {
			metrics = append(metrics, goalMetric{MetricDef: d, Member: slices.Contains(vouch.MemberGoalMetrics, d.ID)})
		}
	}
	type dim struct {
		Name, Label string
		Values      []*vouch.TaxonomyValue
	}
	var dims []dim
	for _, d := range goals.FilterDims {
		var vals []*vouch.TaxonomyValue
		for _, v := range h.opts.Catalog.Values(d.Kind, true) {
			if !v.Retired || f.Filters[d.Name][v.ID] {
				vals = append(vals, v)
			}
		}
		dims = append(dims, dim{Name: d.Name, Label: capitalize(strings.ReplaceAll(d.Name, "_", " ")), Values: vals})
	}
	objectives := []string{}
	if all, err := h.opts.Goals.Goals(r.Context(), vouch.GoalFilter{Kind: vouch.GoalProgram, Archived: true}); err == nil {
		for _, x := range all {
			if x.Objective != "" && !slices.Contains(objectives, x.Objective) {
				objectives = append(objectives, x.Objective)
			}
		}
	}
	var rows []goalRow
	var camps []campaigns.GoalCampaign
	if g != nil {
		users, _, _ := h.goalUsers(r)
		rows = h.goalRows(userFrom(r.Context()), []*vouch.Goal{g}, users)
		if h.opts.Campaigns != nil {
			// The campaigns aimed at the goal, named to every reader of
			// the goal, linked for the program team only.
			if camps, err = h.opts.Campaigns.OfGoal(r.Context(), g.ID); err != nil {
				h.serverError(w, r, err)
				return
			}
		}
	}
	p.Title, p.Nav = "New goal", "goals"
	if f.ID != 0 {
		p.Title = "Edit goal"
	}
	p.Data = map[string]any{"Form": f, "Team": team, "Metrics": metrics, "Dims": dims, "Objectives": objectives,
		"Periods": vouch.GoalPeriodChoices(h.clock.Today(), h.opts.Catalog.ProgramSettings().FiscalYearStart),
		"Rows":    rows, "New": f.ID == 0, "Campaigns": camps}
	h.render(w, r, status, "goal_form", p)
}

// newGoal serves GET /goals/new: an empty editor (?kind=member for a team
// member goal).
func (h *Handler) newGoal(w http.ResponseWriter, r *http.Request) {
	f := &goalForm{Kind: string(vouch.GoalProgram), Period: "this_quarter", Filters: map[string]map[int64]bool{},
		OwnerID: userFrom(r.Context()).ID}
	if r.URL.Query().Get("kind") == string(vouch.GoalMember) {
		f.Kind, f.OwnerID = string(vouch.GoalMember), 0
	}
	for _, d := range goals.FilterDims {
		f.Filters[d.Name] = map[int64]bool{}
	}
	h.renderGoalForm(w, r, http.StatusOK, &page{}, f, nil)
}

// goalLabels name the editor's fields in messages.
var goalLabels = map[string]string{"name": "Name", "objective": "Objective", "metric": "Metric", "target": "Target",
	"period": "Period", "from": "From", "to": "To", "owner": "Owner", "kind": "Kind"}

// refuseGoalForm shows the editor again with the service's problems.
func (h *Handler) refuseGoalForm(w http.ResponseWriter, r *http.Request, f *goalForm, err error, g *vouch.Goal) {
	p := &page{}
	status := failForm(p, err, goalLabels)
	// Filter problems are named "filters.industry": the form's field is "industry".
	for k, v := range p.Errors {
		if name, ok := strings.CutPrefix(k, "filters."); ok {
			p.Errors[name] = v
		} else if name, ok := strings.CutPrefix(k, "filter."); ok {
			p.Errors[name] = v
		}
	}
	if vouch.ErrorCode(err) == vouch.ECONFLICT {
		p.Error = "Someone saved this goal since you opened it. The form shows the saved goal now; make your change again."
		if g != nil {
			f = h.formOfGoal(g)
		}
	}
	h.renderGoalForm(w, r, status, p, f, g)
}

// createGoal serves POST /goals/new.
func (h *Handler) createGoal(w http.ResponseWriter, r *http.Request) {
	f, in := readGoalForm(r.PostForm)
	in.Version = nil
	g, err := h.opts.Goals.Create(r.Context(), in)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		h.refuseGoalForm(w, r, f, err, nil)
		return
	}
	redirect(w, r, "/goals", "Goal “"+g.Name+"” set.")
}

// goalPage serves GET /goals/{id}: the goal's progress and, for who
// manages goals, its editor. A member goal answers 404 to anyone else
// than its member and who manages goals.
func (h *Handler) goalPage(w http.ResponseWriter, r *http.Request) {
	g, ok := h.visibleGoal(w, r)
	if !ok {
		return
	}
	h.renderGoalForm(w, r, http.StatusOK, &page{}, h.formOfGoal(g), g)
}

// visibleGoal reads the goal of the path, answering 404 when u may not see it.
func (h *Handler) visibleGoal(w http.ResponseWriter, r *http.Request) (*vouch.Goal, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return nil, false
	}
	g, err := h.opts.Goals.Goal(r.Context(), id)
	if err == nil && !vouch.SeesGoal(userFrom(r.Context()), g) {
		err = vouch.Errorf(vouch.ENOTFOUND, "Goal %d not found.", id)
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return g, true
}

// updateGoal serves POST /goals/{id}.
func (h *Handler) updateGoal(w http.ResponseWriter, r *http.Request) {
	cur, ok := h.visibleGoal(w, r)
	if !ok {
		return
	}
	f, in := readGoalForm(r.PostForm)
	f.ID = cur.ID
	g, err := h.opts.Goals.Update(r.Context(), cur.ID, in)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		saved, _ := h.opts.Goals.Goal(r.Context(), cur.ID)
		if saved == nil {
			saved = cur
		}
		h.refuseGoalForm(w, r, f, err, saved)
		return
	}
	redirect(w, r, "/goals", "Saved “"+g.Name+"”.")
}

// archiveGoal serves POST /goals/{id}/archive.
func (h *Handler) archiveGoal(w http.ResponseWriter, r *http.Request) {
	cur, ok := h.visibleGoal(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	g, err := h.opts.Goals.Archive(r.Context(), cur.ID, version)
	if err != nil {
		if isFormError(err) {
			redirectError(w, r, fmt.Sprintf("/goals/%d", cur.ID), "Someone changed this goal since you opened it; nothing was archived. Look at it again.")
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/goals", "Archived “"+g.Name+"”: it is off the goals page and the scorecard.")
}
