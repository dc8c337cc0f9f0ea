package vouch

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// GoalKind says whose goal it is: the program's, tied to a company
// objective, or one team member's own deliverable.
type GoalKind string

// The kinds of goal.
const (
	GoalProgram GoalKind = "program"
	GoalMember  GoalKind = "member"
)

// MemberGoalMetrics are the metrics a team member goal may track: the
// member's own deliverables, counted for the goal's owner.
var MemberGoalMetrics = []MetricID{MetricReferencesRecruited, MetricContentCreated, MetricRequestsFulfilledBy,
	MetricRequesterSatisfaction}

// AtRiskShare is how far below linear pacing a goal may be and still be
// "at risk" rather than "behind": at or above 80% of where it should be today.
const AtRiskShare = 0.8

// Goal is a measurable target over a run of days: a metric of the engine
// with filters (a program goal), or a team member's deliverable (a member
// goal, counted for its owner).
type Goal struct {
	ID   int64    `json:"id"`
	Kind GoalKind `json:"kind"`
	Name string   `json:"name"`
	// Objective is the company objective the goal serves ("grow Healthcare
	// in EMEA", "launch Product X"); goals are grouped by it.
	Objective string       `json:"objective"`
	Metric    MetricID     `json:"metric"`
	Filter    MetricFilter `json:"filter"`
	Target    float64      `json:"target"`
	From      Date         `json:"from"`
	To        Date         `json:"to"`
	// OwnerID is who answers for the goal; for a member goal, the member
	// whose deliverables count.
	OwnerID   int64     `json:"owner_id,omitempty"`
	Archived  bool      `json:"archived"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate normalises and checks the goal's own fields; that its owner and
// filter values exist is the goals service's to check.
func (g *Goal) Validate() error {
	var v Validation
	g.Name = strings.Join(strings.Fields(g.Name), " ")
	g.Objective = strings.Join(strings.Fields(g.Objective), " ")
	if g.Kind == "" {
		g.Kind = GoalProgram
	}
	switch {
	case g.Name == "":
		v.Add("name", "is required: what the goal is, e.g. “8 Healthcare references in EMEA”")
	case len(g.Name) > 200:
		v.Add("name", "must be at most 200 characters")
	}
	if len(g.Objective) > 200 {
		v.Add("objective", "must be at most 200 characters")
	}
	def := Metric(g.Metric)
	switch g.Kind {
	case GoalProgram:
		if g.Objective == "" {
			v.Add("objective", "is required: the company objective the goal serves, e.g. “grow Healthcare in EMEA”")
		}
		switch {
		case g.Metric == "":
			v.Add("metric", "is required")
		case def == nil || !def.Goal:
			v.Add("metric", fmt.Sprintf("%q is not a metric a goal can track", string(g.Metric)))
		}
	case GoalMember:
		if !slices.Contains(MemberGoalMetrics, g.Metric) {
			v.Add("metric", "must be one of references_recruited, content_created, requests_fulfilled_by, requester_satisfaction for a team member goal")
		}
		if g.OwnerID == 0 {
			v.Add("owner", "is required: the team member whose goal it is")
		}
	default:
		v.Add("kind", "must be program or member")
	}
	switch {
	case math.IsNaN(g.Target) || math.IsInf(g.Target, 0) || g.Target <= 0:
		v.Add("target", "must be a number above 0")
	case def != nil && def.Unit == UnitFraction && g.Target > 1:
		v.Add("target", "is a share: give it as a fraction from 0 to 1 (0.8 for 80%)")
	case def != nil && def.Unit == UnitRating && (g.Target < 1 || g.Target > 5):
		v.Add("target", "is a rating: give it from 1 to 5")
	}
	switch {
	case g.From.IsZero():
		v.Add("from", "is required: the period's first day")
	case g.To.IsZero():
		v.Add("to", "is required: the period's last day")
	case g.To.Before(g.From):
		v.Add("to", "must be on or after the period's first day")
	case g.From.DaysUntil(g.To) > 3*366:
		v.Add("to", "must be at most three years after the first day")
	}
	return v.Err()
}

// SeesGoal reports whether u may see goal g: program goals are for
// everyone who reads goals; a team member goal for its member and for who
// manages goals.
func SeesGoal(u *User, g *Goal) bool {
	if g.Kind == GoalMember {
		return u.Can(PermManageGoals) || (u.Can(PermReadGoals) && u != nil && u.ID == g.OwnerID)
	}
	return u.Can(PermReadGoals)
}

// Query is the metric query a goal's progress reads today: its filters
// (a member goal's counted for its owner) from its first day to today, or
// to its last day once that has passed.
func (g *Goal) Query(today Date) MetricQuery {
	f := g.Filter
	if g.Kind == GoalMember {
		f.OwnerIDs = []int64{g.OwnerID}
	}
	to := g.To
	if today.Before(to) {
		to = today
	}
	return MetricQuery{Filter: f, From: g.From, To: to}
}

// Overlaps reports whether the goal's period shares a day with q's.
func (g *Goal) Overlaps(q MetricQuery) bool {
	return !g.To.Before(q.From) && !g.From.After(q.To)
}

// Extra paces besides those next to GoalPace.
const (
	PaceNotStarted GoalPace = "not_started" // the period begins after today
	PaceNoData     GoalPace = "no_data"     // no figure yet (nothing to compute a rate from)
)

// Label is the pace in words, for pills and exports.
func (p GoalPace) Label() string {
	switch p {
	case PaceOnTrack:
		return "On track"
	case PaceAtRisk:
		return "At risk"
	case PaceBehind:
		return "Behind"
	case PaceMet:
		return "Met"
	case PaceMissed:
		return "Missed"
	case PaceNotStarted:
		return "Not started"
	case PaceNoData:
		return "No data yet"
	}
	return string(p)
}

// stockMetrics are counted as they stand at the period's end rather than
// summed over its days: a goal compares them with the target as they are.
var stockMetrics = []MetricID{MetricActiveReferences, MetricPipelineInfluenced, MetricRequestsOverdue,
	MetricReferencesStale, MetricReferencesAtCapacity, MetricThankYousOutstanding}

// Paced reports whether the metric is a sum that grows through the period
// (counts, money, points), paced linearly. Rates, ratings, durations and
// stocks (active references, pipeline at the period's end) are compared
// with the target as they stand.
func (d *MetricDef) Paced() bool {
	return (d.Unit == UnitCount || d.Unit == UnitMoney || d.Unit == UnitPoints) && !slices.Contains(stockMetrics, d.ID)
}

// GoalCurrent is the one number a goal compares with its target: the
// value, or for money the amount converted to the report currency, or the
// only currency's amount. Several currencies without a rate table give
// nil: amounts in different currencies are never added. A count, an
// amount or points with nothing in them are 0, not "no data": a goal
// nobody has worked on yet is behind, and must show so. (Rates, ratings
// and durations of nothing stay nil.)
func GoalCurrent(v MetricValue) *float64 {
	if v.Value != nil {
		return v.Value
	}
	if def := Metric(v.Metric); def != nil && (def.Unit == UnitCount || def.Unit == UnitMoney || def.Unit == UnitPoints) &&
		len(v.Money) == 0 && v.Converted == nil {
		zero := 0.0
		return &zero
	}
	if v.Converted != nil {
		a := v.Converted.Amount
		return &a
	}
	if len(v.Money) == 1 {
		for _, m := range v.Money {
			if m != nil {
				a := m.Amount
				return &a
			}
		}
	}
	return nil
}

// ProgressOf is the goal's progress today given its current figure.
//
// The rules: counts, money and points summed over the period are paced linearly — expected today
// is target × elapsed days ÷ the period's days (today counted) — and the
// forecast is current × days ÷ elapsed days. Rates, ratings, durations and
// stocks (active references) are not sums, so expected is the target itself
// and there is no forecast.
// A goal is met once a paced figure reaches the target, or when the
// period ends with a rate at or past it; missed when the period ends short
// of it. Otherwise it is on track at or past expected, at risk within
// AtRiskShare of it, behind beyond. Where lower is better (days to fulfil)
// the comparisons turn round.
func (g *Goal) ProgressOf(current *float64, today Date) GoalProgress {
	p := GoalProgress{GoalID: g.ID, Kind: g.Kind, Name: g.Name, Objective: g.Objective, Metric: g.Metric,
		Target: g.Target, Current: current, OwnerID: g.OwnerID, From: g.From, To: g.To}
	def := Metric(g.Metric)
	if def == nil {
		def = &MetricDef{ID: g.Metric, Unit: UnitCount, HigherIsBetter: true}
	}
	p.Expected, p.Pace, p.Forecast = Pace(*def, g.Target, current, g.From, g.To, today)
	return p
}

// Pace applies the pacing rules of ProgressOf to a target over the days
// from–to inclusive, on day today.
func Pace(def MetricDef, target float64, current *float64, from, to, today Date) (expected float64, pace GoalPace, forecast *float64) {
	total := from.DaysUntil(to) + 1
	if today.Before(from) {
		return 0, PaceNotStarted, nil
	}
	elapsed := min(from.DaysUntil(today)+1, total)
	over := today.After(to)
	paced := def.Paced()
	expected = target
	if paced {
		expected = target * float64(elapsed) / float64(total)
	}
	if current == nil {
		if over {
			return expected, PaceMissed, nil
		}
		return expected, PaceNoData, nil
	}
	c := *current
	if paced {
		f := c * float64(total) / float64(elapsed)
		forecast = &f
	}
	// better reports whether a is at least as good as b.
	better := func(a, b float64) bool {
		if def.HigherIsBetter {
			return a >= b
		}
		return a <= b
	}
	switch {
	case def.HigherIsBetter && paced && c >= target:
		return expected, PaceMet, forecast
	case over && better(c, target):
		return expected, PaceMet, forecast
	case over:
		return expected, PaceMissed, forecast
	case better(c, expected):
		return expected, PaceOnTrack, forecast
	case def.HigherIsBetter && c >= expected*AtRiskShare:
		return expected, PaceAtRisk, forecast
	case !def.HigherIsBetter && c*AtRiskShare <= expected:
		return expected, PaceAtRisk, forecast
	}
	return expected, PaceBehind, forecast
}

// Percent is how much of the target the current figure reaches, 0–100,
// for progress bars (where lower is better: the target over the current).
func (p GoalProgress) Percent() int {
	if p.Current == nil || p.Target <= 0 {
		return 0
	}
	c := *p.Current
	share := c / p.Target
	if d := Metric(p.Metric); d != nil && !d.HigherIsBetter {
		if c <= p.Target {
			share = 1
		} else {
			share = p.Target / c
		}
	}
	return int(math.Round(math.Max(0, math.Min(1, share)) * 100))
}

// GoalPeriodChoice is a period offered when setting a goal: this or next
// month, quarter or year, counted in the program's fiscal year.
type GoalPeriodChoice struct {
	Key   string // "this_quarter"
	Label string // "This quarter (FY2027 Q3)"
	Period
}

// GoalPeriodChoices are the periods offered on day today when the fiscal
// year starts in startMonth.
func GoalPeriodChoices(today Date, startMonth int) []GoalPeriodChoice {
	var out []GoalPeriodChoice
	for _, k := range []struct {
		kind PeriodKind
		noun string
	}{{PeriodMonth, "month"}, {PeriodQuarter, "quarter"}, {PeriodYear, "year"}} {
		this := FiscalPeriodOf(k.kind, today, startMonth)
		next := FiscalPeriodOf(k.kind, this.Last.AddDays(1), startMonth)
		out = append(out,
			GoalPeriodChoice{"this_" + k.noun, fmt.Sprintf("This %s (%s)", k.noun, FiscalName(this, startMonth)), this},
			GoalPeriodChoice{"next_" + k.noun, fmt.Sprintf("Next %s (%s)", k.noun, FiscalName(next, startMonth)), next})
	}
	return out
}

// GoalFilter selects goals; zero values match everything but archived goals.
type GoalFilter struct {
	Kind     GoalKind
	OwnerID  int64
	Archived bool // list the archived goals too
}
