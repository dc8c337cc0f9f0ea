// Package health keeps the program health self-assessment: the program
// team rates the eleven elements of a reference program on four stages,
// dated and signed, kept over time with a trend chart; beside each element
// stand the signals Vouch measures itself (from the metrics engine, the
// cadence and the data), so the ratings are grounded, and "not measured
// yet" where Vouch has no signal.
package health

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/coverage"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Metrics computes a metric over a query: the metrics engine (analytics.Model).
type Metrics interface {
	Metric(id vouch.MetricID, q vouch.MetricQuery) vouch.MetricValue
}

// Settings gives the program's settings (the fiscal year's first month).
type Settings interface {
	ProgramSettings() vouch.ProgramSettings
}

// Coverage computes a coverage matrix as of now (coverage.Reader).
type Coverage interface {
	Matrix(q coverage.Query) (coverage.Matrix, bool)
}

// Service records assessments and reads the signals.
type Service struct {
	db       *store.DB
	cat      Settings
	mx       Metrics
	cadence  *cadence.Service
	coverage Coverage
}

// New returns the service over db, reading figures from mx and whether
// cadence tasks were done from cad (nil: not asked).
func New(db *store.DB, cat Settings, mx Metrics, cad *cadence.Service) *Service {
	return &Service{db: db, cat: cat, mx: mx, cadence: cad}
}

// SetCoverage lets the recruiting signal read the coverage matrix (nil: the
// signal is not measured).
func (s *Service) SetCoverage(c Coverage) { s.coverage = c }

// Input is an assessment as a form or the API gives it.
type Input struct {
	AssessedOn string `json:"assessed_on"` // empty: today
	Note       string `json:"note"`
	// Ratings maps an element to its stage ("focused" or 1–4) and note.
	Ratings []RatingInput `json:"ratings"`
}

// RatingInput is one element's rating as given.
type RatingInput struct {
	Element string `json:"element"`
	Stage   string `json:"stage"`
	Note    string `json:"note"`
}

// Record stores an assessment by who is acting; every problem at once.
func (s *Service) Record(ctx context.Context, in Input) (*vouch.HealthAssessment, error) {
	var v vouch.Validation
	today := s.db.Today()
	a := &vouch.HealthAssessment{AssessedOn: today, Note: in.Note}
	if in.AssessedOn != "" {
		d, err := vouch.ParseDate(in.AssessedOn)
		if err != nil {
			v.Add("assessed_on", "must be a date like 2026-03-14")
		}
		a.AssessedOn = d
	}
	for _, r := range in.Ratings {
		if r.Stage == "" {
			continue // not rated this time
		}
		st, ok := vouch.ParseHealthStage(r.Stage)
		if !ok {
			v.Add("ratings."+r.Element, "must be underdeveloped, emerging, focused or advanced")
			continue
		}
		a.Ratings = append(a.Ratings, vouch.ElementRating{Element: vouch.HealthElement(r.Element), Stage: st, Note: r.Note})
	}
	if err := a.Validate(today); err != nil {
		for f, reason := range vouch.ErrorFields(err) {
			v.Add(f, reason) // a problem found while reading the input stays first
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.CreateHealthAssessment(ctx, a); err != nil {
		return nil, err
	}
	return s.db.HealthAssessment(ctx, a.ID)
}

// Assessments lists every assessment, oldest first.
func (s *Service) Assessments(ctx context.Context) ([]*vouch.HealthAssessment, error) {
	return s.db.HealthAssessments(ctx)
}

// Assessment reads one assessment.
func (s *Service) Assessment(ctx context.Context, id int64) (*vouch.HealthAssessment, error) {
	return s.db.HealthAssessment(ctx, id)
}

func (s *Service) fiscalStart() int {
	if s.cat == nil {
		return 1
	}
	return s.cat.ProgramSettings().FiscalYearStart
}

// Signals is what Vouch measures itself beside each element, as of today:
// this fiscal quarter's figures, and this month's for the scorecard. An
// element with no signal gets one saying "Not measured yet".
func (s *Service) Signals(ctx context.Context) (map[vouch.HealthElement][]vouch.HealthSignal, error) {
	today := s.db.Today()
	quarter := vouch.FiscalPeriodOf(vouch.PeriodQuarter, today, s.fiscalStart())
	month := vouch.PeriodOf(vouch.PeriodMonth, today)
	q := vouch.MetricQuery{From: quarter.First, To: today}
	qName := "this quarter (" + vouch.FiscalName(quarter, s.fiscalStart()) + ")"
	out := map[vouch.HealthElement][]vouch.HealthSignal{}
	metric := func(e vouch.HealthElement, id vouch.MetricID, link string) {
		def := vouch.Metric(id)
		if def == nil || s.mx == nil {
			return
		}
		v := s.mx.Metric(id, q)
		sig := vouch.HealthSignal{Label: def.Label, Link: link}
		if v.Value == nil {
			sig.Value = "no data " + qName
		} else {
			sig.Measured, sig.Value = true, figure(def.Unit, *v.Value)+" "+qName
		}
		out[e] = append(out[e], sig)
	}
	metric(vouch.ElementOperations, vouch.MetricFulfilMedianDays, "/scorecard")
	metric(vouch.ElementOperations, vouch.MetricRequestsOverdue, "/requests?tab=overdue")
	metric(vouch.ElementContentStrategy, vouch.MetricContentUses, "/content/reports")
	metric(vouch.ElementContentStrategy, vouch.MetricContentHelpfulness, "/content/reports")
	metric(vouch.ElementRecruiting, vouch.MetricReferencesAdded, "/references")
	metric(vouch.ElementRecruiting, vouch.MetricReferencesStale, "/references?verified=0")
	metric(vouch.ElementCustomerRelationships, vouch.MetricAskAcceptance, "/scorecard")
	metric(vouch.ElementCustomerRelationships, vouch.MetricAdvocateExperience, "/scorecard")
	metric(vouch.ElementFieldRelationships, vouch.MetricSellerSatisfaction, "/scorecard")
	metric(vouch.ElementFieldRelationships, vouch.MetricRequestsReceived, "/requests")

	// Metrics: was the scorecard published this month — a share link made,
	// a scheduled scorecard mail sent, or the cadence's task marked done.
	first := month.First.Time()
	since := first.Add(-offset(s.db.Clock, first))
	sent, err := s.db.ScorecardSentSince(ctx, since)
	if err != nil {
		return nil, err
	}
	if !sent && s.cadence != nil {
		if sent, err = s.cadence.DoneSince(ctx, vouch.CadenceScorecard, month.First); err != nil {
			return nil, err
		}
	}
	published := vouch.HealthSignal{Label: "Scorecard published this month", Measured: true, Value: "Not yet in " + month.First.Time().Format("January 2006"), Link: "/scorecard"}
	if sent {
		published.Value = "Yes, in " + month.First.Time().Format("January 2006")
	}
	out[vouch.ElementMetrics] = append(out[vouch.ElementMetrics], published)

	// Managing upward: the quarter's review of goals against the company's objectives.
	if s.cadence != nil {
		done, err := s.cadence.DoneSince(ctx, vouch.CadenceGoalsReview, quarter.First)
		if err != nil {
			return nil, err
		}
		sig := vouch.HealthSignal{Label: "Goals reviewed against company objectives", Measured: true, Value: "Not yet " + qName, Link: "/cadence"}
		if done {
			sig.Value = "Done " + qName
		}
		out[vouch.ElementManagingUpward] = append(out[vouch.ElementManagingUpward], sig)
	}

	// Recruiting: the gaps the quarter's campaigns aimed at that are closed now.
	if s.coverage != nil {
		sig, err := s.gapsClosed(ctx, quarter, qName)
		if err != nil {
			return nil, err
		}
		out[vouch.ElementRecruiting] = append(out[vouch.ElementRecruiting], sig)
	}

	// Staff and organisation: the people on the program team.
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	team := 0
	for _, u := range users {
		if u.Can(vouch.PermManageProgram) {
			team++
		}
	}
	out[vouch.ElementStaff] = append(out[vouch.ElementStaff], vouch.HealthSignal{Label: "People on the program team", Measured: true,
		Value: strconv.Itoa(team) + " (program managers, team members and admins)"})

	for _, e := range vouch.HealthElements {
		if len(out[e]) == 0 {
			out[e] = []vouch.HealthSignal{{Label: "Not measured yet", Value: "Vouch has no signal for this element; rate it from what you know."}}
		}
	}
	return out, nil
}

// gapsClosed is the recruiting signal "coverage gaps closed this quarter":
// of the gaps (a value of a dimension × an activity type) that recruiting
// campaigns started this fiscal quarter aimed at, how many the coverage
// matrix no longer shows as a gap today (demand no more than supply). Each
// gap counts once however many campaigns aimed at it. Vouch keeps no
// history of the matrix, so a gap closed and reopened within the quarter
// counts as open; a gap closed without a campaign is not counted.
func (s *Service) gapsClosed(ctx context.Context, quarter vouch.Period, qName string) (vouch.HealthSignal, error) {
	sig := vouch.HealthSignal{Label: "Coverage gaps closed this quarter", Measured: true, Link: "/coverage"}
	camps, err := s.db.Campaigns(ctx)
	if err != nil {
		return sig, err
	}
	type gap struct {
		dim         string
		value, kind int64
	}
	zone := s.db.Clock.Zone()
	var aimed []gap
	seen := map[gap]bool{}
	for _, c := range camps {
		g := gap{c.Dimension, c.ValueID, c.ActivityTypeID}
		y, m, d := c.CreatedAt.In(zone).Date()
		day := vouch.NewDate(y, m, d)
		if c.ValueID <= 0 || c.ActivityTypeID <= 0 || day.Before(quarter.First) || seen[g] {
			continue
		}
		seen[g] = true
		aimed = append(aimed, g)
	}
	if len(aimed) == 0 {
		sig.Value = "No recruiting campaign started from a gap " + qName
		return sig, nil
	}
	today := s.db.Today()
	matrices := map[string]map[[2]int64]float64{}
	closed := 0
	for _, g := range aimed {
		gaps, ok := matrices[g.dim]
		if !ok {
			m, known := s.coverage.Matrix(coverage.Query{Dimension: g.dim, Today: today})
			if known {
				gaps = map[[2]int64]float64{}
				for _, c := range m.Cells {
					gaps[[2]int64{c.ValueID, c.ActivityTypeID}] = c.Gap
				}
			}
			matrices[g.dim] = gaps
		}
		if gaps != nil && gaps[[2]int64{g.value, g.kind}] <= 0 {
			closed++
		}
	}
	sig.Value = fmt.Sprintf("%d closed of the %d %s that campaigns started %s aimed at", closed, len(aimed), plural(len(aimed), "gap", "gaps"), qName)
	return sig, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// offset is how far the program's zone is ahead of UTC at t's wall time,
// so the month's first day starts at its midnight in that zone.
func offset(c *vouch.Clock, t time.Time) time.Duration {
	_, off := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.Zone()).Zone()
	return time.Duration(off) * time.Second
}

// figure writes a metric's value in its unit.
func figure(unit string, x float64) string {
	switch unit {
	case vouch.UnitFraction:
		return strconv.FormatFloat(x*100, 'f', 0, 64) + "%"
	case vouch.UnitRating:
		return strconv.FormatFloat(x, 'f', 1, 64) + " / 5"
	case vouch.UnitDays:
		return strconv.FormatFloat(x, 'f', 1, 64) + " days"
	}
	if x == float64(int64(x)) {
		return fmt.Sprintf("%d", int64(x))
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}
