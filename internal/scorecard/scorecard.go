package scorecard

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Goals gives the progress of the program goals whose period overlaps a
// query's; the goals service implements it.
type Goals interface {
	Progress(ctx context.Context, q vouch.MetricQuery) ([]vouch.GoalProgress, error)
}

// Users finds a user by email, for owner filters named by address.
type Users interface {
	UserByEmail(ctx context.Context, email string) (*vouch.User, error)
}

// Service builds scorecards from the metrics engine.
type Service struct {
	mx    *analytics.Model
	cat   *catalog.Catalog
	today func() vouch.Date
	goals Goals
	users Users
}

// New returns the scorecard service over the engine and the catalog;
// today is the program's today (the store's clock), goals may be nil.
func New(mx *analytics.Model, cat *catalog.Catalog, today func() vouch.Date, goals Goals) *Service {
	return &Service{mx: mx, cat: cat, today: today, goals: goals}
}

// SetUsers lets owner filters name users by email as well as by id.
func (s *Service) SetUsers(u Users) { s.users = u }

// SetGoals sets where goal progress comes from.
func (s *Service) SetGoals(g Goals) { s.goals = g }

// Catalog is the catalog the service names values with.
func (s *Service) Catalog() *catalog.Catalog { return s.cat }

// Period kinds a scorecard covers.
const (
	KindMonth   = "month"
	KindQuarter = "quarter"
	KindYear    = "year"
	KindCustom  = "custom"
)

// MaxCustomDays bounds a custom run of days (ten years).
const MaxCustomDays = 3660

// Request asks for a scorecard. Exactly one way of naming the period
// applies, in this order: From and To (custom days); Period (a name such
// as "2026-11", "2026-Q3", "FY2027 Q1"); Kind with Anchor (the month,
// fiscal quarter or fiscal year holding Anchor; no anchor: today). Nothing
// at all is the current fiscal quarter.
type Request struct {
	Kind     string
	Anchor   vouch.Date
	Period   string
	From, To vouch.Date
	// Filters by parameter name (industry, region …): taxonomy value names.
	Filters map[string][]string
	// Owners are user ids or emails.
	Owners []string
}

// FilterParam is one segment filter: its URL parameter and taxonomy.
type FilterParam struct {
	Param string
	Label string
	Kind  vouch.TaxonomyKind
}

// FilterParams lists the taxonomy filters in the order pages show them.
// The owner filter (parameter "owner") names users, not values.
var FilterParams = []FilterParam{
	{"industry", "Industry", vouch.TaxIndustry},
	{"region", "Region", vouch.TaxRegion},
	{"country", "Country", vouch.TaxCountry},
	{"product", "Product", vouch.TaxProduct},
	{"segment", "Segment", vouch.TaxSegment},
	{"size", "Company size", vouch.TaxCompanySize},
	{"activity_type", "Activity type", vouch.TaxActivityType},
}

// AppliedFilter is one filter of a selection, named for people.
type AppliedFilter struct {
	Param string   `json:"param"`
	Label string   `json:"label"`
	Names []string `json:"names"`
	IDs   []int64  `json:"ids"`
}

// Selection is a resolved request: the engine's query and how to name it.
type Selection struct {
	Query  vouch.MetricQuery
	Kind   string       // month, quarter, year or custom
	Period vouch.Period // zero for custom days
	// Name is the period for people ("FY2027 Q1", "November 2026",
	// "1 Mar 2026 – 15 Apr 2026"); Param is how a URL names it ("" for custom).
	Name, Param  string
	PreviousName string
	Filters      []AppliedFilter
	Owners       []string // as asked (ids or emails)
	FiscalStart  int
}

// FiltersText is the filters in one line ("Industry: Healthcare; Region:
// EMEA"), "All segments" when there are none.
func (s Selection) FiltersText() string {
	if len(s.Filters) == 0 {
		return "All segments"
	}
	parts := make([]string, len(s.Filters))
	for i, f := range s.Filters {
		parts[i] = f.Label + ": " + strings.Join(f.Names, ", ")
	}
	return strings.Join(parts, "; ")
}

// Resolve turns a request into the engine's query. Every problem is named
// by its parameter in one vouch.Validation.
func (s *Service) Resolve(ctx context.Context, req Request) (Selection, error) {
	ps := s.cat.ProgramSettings()
	start := ps.FiscalYearStart
	if start < 1 || start > 12 {
		start = 1
	}
	sel := Selection{FiscalStart: start}
	var v vouch.Validation
	switch {
	case !req.From.IsZero() || !req.To.IsZero():
		switch {
		case req.From.IsZero():
			v.Add("from", "is required with to: a date like 2026-07-01")
		case req.To.IsZero():
			v.Add("to", "is required with from: a date like 2026-09-30")
		case req.To.Before(req.From):
			v.Add("to", fmt.Sprintf("is before from (%s)", req.From))
		case req.From.DaysUntil(req.To)+1 > MaxCustomDays:
			v.Add("to", fmt.Sprintf("is more than %d days after from: choose at most ten years", MaxCustomDays))
		}
		if req.Kind != "" && req.Kind != KindCustom {
			v.Add("kind", "must be custom (or left out) with from and to")
		}
		sel.Kind = KindCustom
		sel.Query.From, sel.Query.To = req.From, req.To
		if ok := v.Err() == nil; ok {
			sel.Name = customName(req.From, req.To)
			prev := sel.Query.Previous()
			sel.PreviousName = customName(prev.From, prev.To)
		}
	case req.Period != "":
		p, err := vouch.ParseFiscalPeriod(req.Period, start)
		if err != nil {
			v.Add("period", err.Error())
			break
		}
		if p.Kind == vouch.PeriodWeek {
			v.Add("period", "must be a month, a quarter or a year (or use from and to)")
			break
		}
		// A calendar quarter or year of a program whose fiscal year starts
		// later is still what was asked for: the days it names.
		sel.setPeriod(p)
	default:
		kind := req.Kind
		if kind == "" {
			kind = KindQuarter
		}
		var pk vouch.PeriodKind
		switch kind {
		case KindMonth:
			pk = vouch.PeriodMonth
		case KindQuarter:
			pk = vouch.PeriodQuarter
		case KindYear:
			pk = vouch.PeriodYear
		case KindCustom:
			v.Add("from", "is required for a custom period: a date like 2026-07-01")
		default:
			v.Add("kind", fmt.Sprintf("%q is not a period kind: choose month, quarter, year or custom", kind))
		}
		if pk != "" {
			day := req.Anchor
			if day.IsZero() {
				day = s.today()
			}
			sel.setPeriod(vouch.FiscalPeriodOf(pk, day, start))
		}
	}
	for _, fp := range FilterParams {
		names := req.Filters[fp.Param]
		if len(names) == 0 {
			continue
		}
		af := AppliedFilter{Param: fp.Param, Label: fp.Label}
		var unknown []string
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			id := s.cat.ValueID(fp.Kind, n)
			if id == 0 {
				unknown = append(unknown, strconv.Quote(n))
				continue
			}
			if !containsID(af.IDs, id) {
				af.IDs = append(af.IDs, id)
				af.Names = append(af.Names, s.cat.ValueName(id))
			}
		}
		if len(unknown) > 0 {
			v.Add(fp.Param, fmt.Sprintf("has no %s value named %s", strings.ToLower(fp.Label), strings.Join(unknown, ", ")))
		}
		if len(af.IDs) > 0 {
			sel.Filters = append(sel.Filters, af)
			setFilter(&sel.Query.Filter, fp.Kind, af.IDs)
		}
	}
	if len(req.Owners) > 0 {
		af := AppliedFilter{Param: "owner", Label: "Owner"}
		for _, o := range req.Owners {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			id, err := strconv.ParseInt(o, 10, 64)
			if err != nil || id <= 0 {
				id = 0
				if s.users != nil && strings.Contains(o, "@") {
					if u, err := s.users.UserByEmail(ctx, vouch.NormalizeEmail(o)); err == nil && u != nil {
						id = u.ID
					}
				}
				if id == 0 {
					v.Add("owner", fmt.Sprintf("%q is not a user id or the email of a user", o))
					continue
				}
			}
			if !containsID(af.IDs, id) {
				af.IDs = append(af.IDs, id)
				af.Names = append(af.Names, o)
				sel.Owners = append(sel.Owners, o)
			}
		}
		if len(af.IDs) > 0 {
			sel.Filters = append(sel.Filters, af)
			sel.Query.Filter.OwnerIDs = af.IDs
		}
	}
	if err := v.Err(); err != nil {
		return Selection{}, err
	}
	return sel, nil
}

// setPeriod makes p the selection's period.
func (sel *Selection) setPeriod(p vouch.Period) {
	sel.Period = p
	sel.Query.From, sel.Query.To = p.First, p.Last
	switch p.Kind {
	case vouch.PeriodMonth:
		sel.Kind = KindMonth
	case vouch.PeriodQuarter:
		sel.Kind = KindQuarter
	default:
		sel.Kind = KindYear
	}
	sel.Name, sel.Param = PeriodName(p, sel.FiscalStart), PeriodParam(p, sel.FiscalStart)
	sel.PreviousName = PeriodName(vouch.PreviousFiscal(p, sel.FiscalStart), sel.FiscalStart)
	if !isFiscal(p, sel.FiscalStart) {
		// A calendar quarter in a fiscal program: the previous one is the
		// calendar quarter before.
		sel.PreviousName = PeriodName(p.Previous(), sel.FiscalStart)
	}
}

// isFiscal reports whether p is a period of the fiscal calendar (months always are).
func isFiscal(p vouch.Period, start int) bool {
	f := vouch.FiscalPeriodOf(p.Kind, p.First, start)
	return f.First == p.First && f.Last == p.Last
}

// PeriodName names a period for people: "November 2026", "FY2027 Q1",
// "2026-Q3", "FY2027". A calendar quarter of a fiscal program keeps its
// calendar name.
func PeriodName(p vouch.Period, start int) string {
	if p.IsZero() {
		return ""
	}
	if p.Kind == vouch.PeriodMonth {
		return p.First.Time().Format("January 2006")
	}
	if isFiscal(p, start) {
		return vouch.FiscalName(p, start)
	}
	return p.String()
}

// PeriodParam is how a URL names p ("2026-11", "FY2027 Q1", "2026-Q3").
func PeriodParam(p vouch.Period, start int) string {
	if p.Kind == vouch.PeriodMonth {
		return p.String()
	}
	if isFiscal(p, start) {
		return vouch.FiscalName(p, start)
	}
	return p.String()
}

// customName names a run of days: "1 Mar 2026 – 15 Apr 2026".
func customName(from, to vouch.Date) string {
	return from.Time().Format("2 Jan 2006") + " – " + to.Time().Format("2 Jan 2006")
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func setFilter(f *vouch.MetricFilter, kind vouch.TaxonomyKind, ids []int64) {
	switch kind {
	case vouch.TaxIndustry:
		f.IndustryIDs = ids
	case vouch.TaxRegion:
		f.RegionIDs = ids
	case vouch.TaxCountry:
		f.CountryIDs = ids
	case vouch.TaxProduct:
		f.ProductIDs = ids
	case vouch.TaxSegment:
		f.SegmentIDs = ids
	case vouch.TaxCompanySize:
		f.SizeIDs = ids
	case vouch.TaxActivityType:
		f.ActivityTypeIDs = ids
	}
}

// Card is a scorecard with the selection it answers.
type Card struct {
	Selection
	Scorecard *vouch.Scorecard
}

// Card computes the scorecard of a selection: every figure from the
// engine, goal progress from Goals.
func (s *Service) Card(ctx context.Context, sel Selection) (*Card, error) {
	sc := s.mx.Scorecard(sel.Query)
	if sc == nil {
		sc = &vouch.Scorecard{Query: sel.Query, Previous: sel.Query.Previous()}
	}
	if sc.Tiles == nil {
		sc.Tiles = map[vouch.MetricID]*vouch.Tile{}
	}
	if s.goals != nil {
		g, err := s.goals.Progress(ctx, sel.Query)
		if err != nil {
			return nil, fmt.Errorf("scorecard goals: %w", err)
		}
		sc.Goals = g
	}
	if len(sc.Trend) == 0 {
		sc.Trend = emptyTrend(sel.Query)
	}
	return &Card{Selection: sel, Scorecard: sc}, nil
}

// Build resolves a request and computes its scorecard.
func (s *Service) Build(ctx context.Context, req Request) (*Card, error) {
	sel, err := s.Resolve(ctx, req)
	if err != nil {
		return nil, err
	}
	return s.Card(ctx, sel)
}

// Rows lists the rows behind a metric of a selection (at most limit; 0 = all).
func (s *Service) Rows(id vouch.MetricID, sel Selection, limit int) []vouch.MetricRow {
	return s.mx.Rows(id, sel.Query, limit)
}

// emptyTrend is the months of a trend with nothing in them, as the engine
// would lay them out: the query's months, or the twelve ending with it when
// it is shorter than three months.
func emptyTrend(q vouch.MetricQuery) []vouch.MonthFigure {
	if q.From.IsZero() || q.To.IsZero() {
		return nil
	}
	first := vouch.PeriodOf(vouch.PeriodMonth, q.From).First
	last := vouch.PeriodOf(vouch.PeriodMonth, q.To).First
	months := 0
	for d := first; !d.After(last); d = vouch.PeriodOf(vouch.PeriodMonth, d).Next().First {
		months++
	}
	if months < 3 {
		for i := months; i < 12; i++ {
			first = vouch.PeriodOf(vouch.PeriodMonth, first.AddDays(-1)).First
		}
	}
	var out []vouch.MonthFigure
	for d := first; !d.After(last); d = vouch.PeriodOf(vouch.PeriodMonth, d).Next().First {
		out = append(out, vouch.MonthFigure{Month: vouch.PeriodOf(vouch.PeriodMonth, d).String()})
	}
	return out
}
