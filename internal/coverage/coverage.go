// Package coverage weighs the reference database against what sales needs:
// a matrix of one dimension (industry, region, product, segment, size)
// against activity types, with supply from the reference index and demand
// from the metrics engine (requests, open opportunities, open content
// requests), both read models in memory, so a matrix of
// 100,000 references and 300,000 opportunities is answered in milliseconds
// without touching the database. docs/metrics.md ("Coverage") states the
// formulas.
package coverage

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// DefaultMonths is how many months of requests count as demand unless asked.
const DefaultMonths = 6

// Dimensions are the dimensions the matrix can be shown by.
var Dimensions = analytics.CoverageDimensions

// Query asks for one matrix.
type Query struct {
	Dimension string     // one of Dimensions
	Months    int        // months of requests; 0 = DefaultMonths
	Today     vouch.Date // the day supply and demand are as of
}

// Cell is one value of the dimension and one activity type.
type Cell struct {
	ValueID           int64   `json:"value_id"`
	Value             string  `json:"value"`
	ActivityTypeID    int64   `json:"activity_type_id"`
	ActivityType      string  `json:"activity_type"`
	Supply            int     `json:"supply"`             // active references with free capacity in the next 90 days
	Requests          int     `json:"requests"`           // requests in the window
	OpenOpportunities int     `json:"open_opportunities"` // open opportunities with the value
	Pipeline          float64 `json:"pipeline"`           // the open pipeline's estimated demand for the type
	// ContentRequests are the open content requests tagged with the value
	// that ask for the content type of the activity type's name
	// (vouch.ContentTypeActivities); they count in the demand.
	ContentRequests int `json:"content_requests"`
	// ValueContentRequests are all open content requests tagged with the
	// value, whatever they ask for: shown beside the cell.
	ValueContentRequests int     `json:"value_content_requests"`
	Demand               float64 `json:"demand"` // requests + pipeline + content requests
	Gap                  float64 `json:"gap"`    // demand − supply; above 0 the database falls short
}

// Value is one value of the dimension with open content requests tagged
// with it: how many, and how many of those count in a cell's demand (their
// content type is an activity type's).
type Value struct {
	ValueID         int64  `json:"value_id"`
	Value           string `json:"value"`
	ContentRequests int    `json:"content_requests"`
	InCells         int    `json:"content_requests_in_cells"`
}

// Matrix is the answer: cells with the largest gap first.
type Matrix struct {
	Dimension    string  `json:"dimension"`
	Months       int     `json:"months"`
	SharePct     int     `json:"share_pct"`                  // the setting: share of open opportunities needing a reference
	RefsPerOpp   int     `json:"references_per_opportunity"` // the setting
	LearnedShare float64 `json:"learned_share_pct"`          // share of deals closed in 12 months that had a request
	ClosedDeals  int     `json:"closed_deals"`               // the deals the learned share is of
	Cells        []Cell  `json:"cells"`
	Gaps         int     `json:"gaps"` // cells where demand exceeds supply
	// Values are the values with open content requests, the most first.
	Values []Value `json:"values"`
}

// Compute builds the matrix. It reports false for an unknown dimension.
// cat names the values (nil: names are left empty).
func Compute(ix *refindex.Index, mx *analytics.Model, cat *catalog.Catalog, ps vouch.ProgramSettings, q Query) (Matrix, bool) {
	months := q.Months
	if months <= 0 {
		months = DefaultMonths
	}
	supply, ok := ix.CoverageSupply(q.Dimension, q.Today)
	if !ok {
		return Matrix{}, false
	}
	demand, ok := mx.Coverage(q.Dimension, months, q.Today)
	if !ok {
		return Matrix{}, false
	}
	m := Matrix{Dimension: q.Dimension, Months: months, SharePct: ps.CoverageSharePct, RefsPerOpp: ps.CoverageRefsPerOpp,
		LearnedShare: round1(demand.LearnedShare * 100), ClosedDeals: demand.ClosedDeals, Cells: []Cell{}, Values: []Value{}}
	cells := map[refindex.CoverageKey]*Cell{}
	cell := func(k refindex.CoverageKey) *Cell {
		c := cells[k]
		if c == nil {
			c = &Cell{ValueID: k.Value, ActivityTypeID: k.ActivityType}
			cells[k] = c
		}
		return c
	}
	for k, n := range supply {
		cell(k).Supply = n
	}
	for k, n := range demand.Requests {
		cell(refindex.CoverageKey{Value: k[0], ActivityType: k[1]}).Requests = n
	}
	perOpp := float64(ps.CoverageSharePct) / 100 * float64(ps.CoverageRefsPerOpp)
	for v, n := range demand.OpenOpps {
		for t, share := range demand.TypeShare {
			c := cell(refindex.CoverageKey{Value: v, ActivityType: t})
			c.OpenOpportunities = n
			c.Pipeline = float64(n) * perOpp * share
		}
	}
	var activityOf map[int64]int64
	if cat != nil {
		activityOf = vouch.ContentTypeActivities(cat.Values(vouch.TaxContentType, true), cat.Values(vouch.TaxActivityType, true))
	}
	perValue := map[int64]int{}
	for v, byType := range demand.ContentRequests {
		val := Value{ValueID: v}
		for typ, n := range byType {
			val.ContentRequests += n
			if a, ok := activityOf[typ]; ok {
				cell(refindex.CoverageKey{Value: v, ActivityType: a}).ContentRequests += n
				val.InCells += n
			}
		}
		if cat != nil {
			val.Value = cat.ValueName(v)
		}
		perValue[v] = val.ContentRequests
		m.Values = append(m.Values, val)
	}
	slices.SortFunc(m.Values, func(a, b Value) int {
		return cmp.Or(cmp.Compare(b.ContentRequests, a.ContentRequests), cmp.Compare(a.Value, b.Value), cmp.Compare(a.ValueID, b.ValueID))
	})
	for _, c := range cells {
		c.Pipeline = round1(c.Pipeline)
		c.ValueContentRequests = perValue[c.ValueID]
		c.Demand = round1(float64(c.Requests) + c.Pipeline + float64(c.ContentRequests))
		c.Gap = round1(c.Demand - float64(c.Supply))
		if cat != nil {
			c.Value, c.ActivityType = cat.ValueName(c.ValueID), cat.ValueName(c.ActivityTypeID)
		}
		if c.Gap > 0 {
			m.Gaps++
		}
		m.Cells = append(m.Cells, *c)
	}
	slices.SortFunc(m.Cells, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(b.Gap, a.Gap), cmp.Compare(a.Value, b.Value), cmp.Compare(a.ValueID, b.ValueID),
			cmp.Compare(a.ActivityType, b.ActivityType), cmp.Compare(a.ActivityTypeID, b.ActivityTypeID))
	})
	return m, true
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// MaxMonths is the longest window of requests the matrix counts.
const MaxMonths = 36

// ParseQuery reads a matrix query as typed in a URL: dimension (default
// industry) and months (default DefaultMonths). Bad input is a validation
// error naming the field.
func ParseQuery(dimension, months string, today vouch.Date) (Query, error) {
	q := Query{Dimension: strings.TrimSpace(dimension), Months: DefaultMonths, Today: today}
	var v vouch.Validation
	if q.Dimension == "" {
		q.Dimension = "industry"
	}
	if !slices.Contains(Dimensions, q.Dimension) {
		v.Add("dimension", "must be one of "+strings.Join(Dimensions, ", "))
	}
	if s := strings.TrimSpace(months); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxMonths {
			v.Add("months", "must be a whole number from 1 to "+strconv.Itoa(MaxMonths))
		}
		q.Months = n
	}
	return q, v.Err()
}

// Reader answers matrices from the two read models with the program's
// settings as they are at the moment of asking.
type Reader struct {
	Index   *refindex.Index
	Metrics *analytics.Model
	Catalog *catalog.Catalog
}

// Matrix computes the matrix q asks for (false: an unknown dimension).
func (r Reader) Matrix(q Query) (Matrix, bool) {
	return Compute(r.Index, r.Metrics, r.Catalog, r.Catalog.ProgramSettings(), q)
}
