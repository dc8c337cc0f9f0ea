// Package goals is the one home of the rules about program and team member
// goals that need data: a goal's filter values must be values of their
// picklists, its owner a member of the program team, its period a fiscal
// one or a custom run of days; its progress is the metrics engine's figure
// over the goal's days up to today, paced by vouch.Pace. The API, the web
// pages, the scorecard and the home page all read and save through it.
//
// A save resolves the input (names → ids, a period's name → its days),
// checks every field in one pass into one vouch.Validation, and writes in
// one audited transaction where the store checks the version read.
package goals

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Catalog is where picklist values and the program's settings are looked
// up: the taxonomy cache the server keeps current.
type Catalog interface {
	Values(kind vouch.TaxonomyKind, includeRetired bool) []*vouch.TaxonomyValue
	Value(id int64) *vouch.TaxonomyValue
	ProgramSettings() vouch.ProgramSettings
}

// Metrics computes a metric over a query: the metrics engine
// (analytics.Model).
type Metrics interface {
	Metric(id vouch.MetricID, q vouch.MetricQuery) vouch.MetricValue
}

// Service saves goals and computes their progress.
type Service struct {
	db  *store.DB
	cat Catalog
	mx  Metrics
}

// New returns the service over db, resolving picklist values in cat and
// reading figures from mx.
func New(db *store.DB, cat Catalog, mx Metrics) *Service {
	return &Service{db: db, cat: cat, mx: mx}
}

// Input is a goal as a form or the API gives it; nil fields are unchanged
// on an update.
type Input struct {
	Kind      *string `json:"kind"`
	Name      *string `json:"name"`
	Objective *string `json:"objective"`
	Metric    *string `json:"metric"`
	// Filters names the filter values by taxonomy kind ("industry":
	// ["Healthcare"]); a name or an id in digits. Filter gives ids instead.
	Filters map[string][]string `json:"filters"`
	Filter  *vouch.MetricFilter `json:"filter"`
	Target  *float64            `json:"target"`
	// Period is this_month, next_month, this_quarter, next_quarter,
	// this_year or next_year in the program's fiscal year; empty or
	// "custom": From and To.
	Period     *string `json:"period"`
	From       *string `json:"from"`
	To         *string `json:"to"`
	OwnerID    *int64  `json:"owner_id"`
	OwnerEmail *string `json:"owner_email"`
	Archived   *bool   `json:"archived"`
	Version    *int    `json:"version"`
}

// FilterDim is one filter of goals: its name in forms and the API, the
// picklist its values come from, and the ids it sets in a MetricFilter.
type FilterDim struct {
	Name string
	Kind vouch.TaxonomyKind
	IDs  func(*vouch.MetricFilter) *[]int64
}

// FilterDims are the filters a goal may set, by the name forms and the
// API use, with the picklist each one's values come from.
var FilterDims = []FilterDim{
	{"industry", vouch.TaxIndustry, func(f *vouch.MetricFilter) *[]int64 { return &f.IndustryIDs }},
	{"region", vouch.TaxRegion, func(f *vouch.MetricFilter) *[]int64 { return &f.RegionIDs }},
	{"country", vouch.TaxCountry, func(f *vouch.MetricFilter) *[]int64 { return &f.CountryIDs }},
	{"product", vouch.TaxProduct, func(f *vouch.MetricFilter) *[]int64 { return &f.ProductIDs }},
	{"segment", vouch.TaxSegment, func(f *vouch.MetricFilter) *[]int64 { return &f.SegmentIDs }},
	{"company_size", vouch.TaxCompanySize, func(f *vouch.MetricFilter) *[]int64 { return &f.SizeIDs }},
	{"activity_type", vouch.TaxActivityType, func(f *vouch.MetricFilter) *[]int64 { return &f.ActivityTypeIDs }},
}

// resolve applies in to g, adding every problem to v.
func (s *Service) resolve(ctx context.Context, in *Input, g *vouch.Goal, v *vouch.Validation) error {
	if in.Kind != nil {
		g.Kind = vouch.GoalKind(strings.TrimSpace(*in.Kind))
	}
	if in.Name != nil {
		g.Name = *in.Name
	}
	if in.Objective != nil {
		g.Objective = *in.Objective
	}
	if in.Metric != nil {
		g.Metric = vouch.MetricID(strings.TrimSpace(*in.Metric))
	}
	if in.Target != nil {
		g.Target = *in.Target
	}
	if in.Archived != nil {
		g.Archived = *in.Archived
	}
	if in.Filter != nil || in.Filters != nil {
		f, err := s.filter(ctx, in, g, v)
		if err != nil {
			return err
		}
		g.Filter = f
	}
	s.period(in, g, v)
	return s.owner(ctx, in, g, v)
}

// filter resolves the goal's filters: ids must be values of their
// picklist; names are matched as everywhere (vouch.ChooseValue), and a
// retired value the goal already has may stay.
func (s *Service) filter(ctx context.Context, in *Input, g *vouch.Goal, v *vouch.Validation) (vouch.MetricFilter, error) {
	var f vouch.MetricFilter
	if in.Filter != nil {
		f.OwnerIDs = in.Filter.OwnerIDs
	}
	for name := range in.Filters {
		if !slices.ContainsFunc(FilterDims, func(d FilterDim) bool { return d.Name == name }) {
			v.Add("filters."+name, "is not a filter of goals: industry, region, country, product, segment, company_size or activity_type")
		}
	}
	for _, d := range FilterDims {
		cur := *d.IDs(&g.Filter)
		var ids []int64
		add := func(id int64) {
			if id != 0 && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if in.Filter != nil {
			for _, id := range *d.IDs(in.Filter) {
				tv := s.cat.Value(id)
				switch {
				case tv == nil || tv.Kind != d.Kind:
					v.Add("filter."+d.Name, fmt.Sprintf("%d is not a value of %s", id, strings.ReplaceAll(d.Name, "_", " ")))
				case tv.Retired && !slices.Contains(cur, id):
					v.Add("filter."+d.Name, fmt.Sprintf("“%s” is retired", tv.Name))
				default:
					add(id)
				}
			}
		}
		for _, name := range in.Filters[d.Name] {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if n, err := strconv.ParseInt(name, 10, 64); err == nil {
				if tv := s.cat.Value(n); tv != nil && tv.Kind == d.Kind && (!tv.Retired || slices.Contains(cur, n)) {
					add(n)
					continue
				}
			}
			id, problem := vouch.ChooseValue(s.cat.Values(d.Kind, true), name, cur)
			if problem != "" {
				v.Add("filters."+d.Name, problem)
				continue
			}
			add(id)
		}
		*d.IDs(&f) = ids
	}
	for _, id := range f.OwnerIDs {
		if _, err := s.db.User(ctx, id); vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("filter.owner", fmt.Sprintf("%d is not a known user", id))
		} else if err != nil {
			return f, err
		}
	}
	return f, nil
}

// period resolves a named fiscal period or the custom days.
func (s *Service) period(in *Input, g *vouch.Goal, v *vouch.Validation) {
	key := ""
	if in.Period != nil {
		key = strings.TrimSpace(*in.Period)
	}
	if key != "" && key != "custom" {
		for _, c := range vouch.GoalPeriodChoices(s.db.Today(), s.cat.ProgramSettings().FiscalYearStart) {
			if c.Key == key {
				g.From, g.To = c.First, c.Last
				return
			}
		}
		v.Add("period", "must be this_month, next_month, this_quarter, next_quarter, this_year, next_year or custom")
		return
	}
	for _, d := range []struct {
		field string
		in    *string
		into  *vouch.Date
	}{{"from", in.From, &g.From}, {"to", in.To, &g.To}} {
		if d.in == nil {
			continue
		}
		day, err := vouch.ParseDate(*d.in)
		if err != nil {
			v.Add(d.field, "must be a date like 2026-03-14")
			continue
		}
		*d.into = day
	}
}

// owner resolves the owner, by id or email: a user of the program team.
// A new goal without one is owned by who sets it.
func (s *Service) owner(ctx context.Context, in *Input, g *vouch.Goal, v *vouch.Validation) error {
	var u *vouch.User
	var err error
	switch {
	case in.OwnerEmail != nil && strings.TrimSpace(*in.OwnerEmail) != "":
		u, err = s.db.UserByEmail(ctx, vouch.NormalizeEmail(*in.OwnerEmail))
	case in.OwnerID != nil && *in.OwnerID != 0:
		u, err = s.db.User(ctx, *in.OwnerID)
	case in.OwnerID != nil || in.OwnerEmail != nil:
		g.OwnerID = 0 // nobody; a member goal then reports that it needs its member
		return nil
	default:
		return nil
	}
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		v.Add("owner", "is not a known user")
		return nil
	} else if err != nil {
		return err
	}
	if u.Disabled || !u.Can(vouch.PermManageProgram) {
		v.Add("owner", fmt.Sprintf("%s is not on the program team: goals are owned by program managers and team members", u.Name))
		return nil
	}
	g.OwnerID = u.ID
	return nil
}

// Create adds a goal; every problem is reported at once.
func (s *Service) Create(ctx context.Context, in Input) (*vouch.Goal, error) {
	var v vouch.Validation
	if in.Version != nil {
		v.Add("version", "is given by the server; leave it out when creating")
	}
	g := &vouch.Goal{Kind: vouch.GoalProgram, OwnerID: vouch.ActorFrom(ctx).UserID}
	if in.Kind != nil && vouch.GoalKind(strings.TrimSpace(*in.Kind)) == vouch.GoalMember && in.OwnerID == nil && in.OwnerEmail == nil {
		g.OwnerID = 0 // a member goal names its member
	}
	if err := s.resolve(ctx, &in, g, &v); err != nil {
		return nil, err
	}
	if err := v.Merge(g.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.CreateGoal(ctx, g); err != nil {
		return nil, err
	}
	return s.db.Goal(ctx, g.ID)
}

// Update saves the fields in gives on goal id. The version read is
// required: if someone saved since, nothing is written (ECONFLICT).
func (s *Service) Update(ctx context.Context, id int64, in Input) (*vouch.Goal, error) {
	cur, err := s.db.Goal(ctx, id)
	if err != nil {
		return nil, err
	}
	var v vouch.Validation
	if in.Version == nil || *in.Version <= 0 {
		v.Add("version", "is required: the version you read, so that nobody's change is overwritten")
	}
	g := *cur
	g.Filter = cur.Filter
	if err := s.resolve(ctx, &in, &g, &v); err != nil {
		return nil, err
	}
	if err := v.Merge(g.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	g.Version = *in.Version
	if err := s.db.UpdateGoal(ctx, &g); err != nil {
		return nil, err
	}
	return s.db.Goal(ctx, id)
}

// Archive takes goal id, read at version (0: whatever it is now), off the
// goals page and the scorecard; it stays in the audit log and the archive.
func (s *Service) Archive(ctx context.Context, id int64, version int) (*vouch.Goal, error) {
	cur, err := s.db.Goal(ctx, id)
	if err != nil {
		return nil, err
	}
	if version == 0 {
		version = cur.Version
	}
	yes := true
	return s.Update(ctx, id, Input{Archived: &yes, Version: &version})
}

// Goal reads one goal.
func (s *Service) Goal(ctx context.Context, id int64) (*vouch.Goal, error) {
	return s.db.Goal(ctx, id)
}

// Goals lists the goals f selects.
func (s *Service) Goals(ctx context.Context, f vouch.GoalFilter) ([]*vouch.Goal, error) {
	return s.db.Goals(ctx, f)
}

// ProgressOf is one goal's live progress today.
func (s *Service) ProgressOf(g *vouch.Goal) vouch.GoalProgress {
	today := s.db.Today()
	var current *float64
	if s.mx != nil && !today.Before(g.From) {
		current = vouch.GoalCurrent(s.mx.Metric(g.Metric, g.Query(today)))
	}
	return g.ProgressOf(current, today)
}

// Progress is the progress of the program goals whose period overlaps q's
// days, by objective: what the scorecard shows.
func (s *Service) Progress(ctx context.Context, q vouch.MetricQuery) ([]vouch.GoalProgress, error) {
	gs, err := s.db.Goals(ctx, vouch.GoalFilter{Kind: vouch.GoalProgram})
	if err != nil {
		return nil, err
	}
	out := []vouch.GoalProgress{}
	for _, g := range gs {
		if g.Overlaps(q) {
			out = append(out, s.ProgressOf(g))
		}
	}
	return out, nil
}

// OwnedBy lists the goals ownerID owns, program and member goals, whose
// period has not ended more than a month ago: what the owner's home page
// shows.
func (s *Service) OwnedBy(ctx context.Context, ownerID int64) ([]*vouch.Goal, error) {
	gs, err := s.db.Goals(ctx, vouch.GoalFilter{OwnerID: ownerID})
	if err != nil {
		return nil, err
	}
	recent := s.db.Today().AddDays(-31)
	out := []*vouch.Goal{}
	for _, g := range gs {
		if !g.To.Before(recent) {
			out = append(out, g)
		}
	}
	return out, nil
}

// ProgressFor is the progress of the goals OwnedBy lists.
func (s *Service) ProgressFor(ctx context.Context, ownerID int64) ([]vouch.GoalProgress, error) {
	gs, err := s.OwnedBy(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	out := make([]vouch.GoalProgress, 0, len(gs))
	for _, g := range gs {
		out = append(out, s.ProgressOf(g))
	}
	return out, nil
}

// NeedAttention lists the goals running today (their period holds today)
// that are at risk or behind, with their progress: what the program team's
// home page shows. Member goals are included when withMembers is set.
func (s *Service) NeedAttention(ctx context.Context, withMembers bool) ([]*vouch.Goal, error) {
	gs, err := s.db.Goals(ctx, vouch.GoalFilter{})
	if err != nil {
		return nil, err
	}
	today := s.db.Today()
	out := []*vouch.Goal{}
	for _, g := range gs {
		if g.From.After(today) || g.To.Before(today) || (g.Kind == vouch.GoalMember && !withMembers) {
			continue
		}
		if p := s.ProgressOf(g); p.Pace == vouch.PaceAtRisk || p.Pace == vouch.PaceBehind {
			out = append(out, g)
		}
	}
	return out, nil
}
