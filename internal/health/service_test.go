package health_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/coverage"
	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestHealthAssessmentsOverTimeWithSignals(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		db.Clock.Set(time.Date(2027, time.March, 10, 12, 0, 0, 0, time.UTC))
		feed, cat, _ := testutil.ReadModels(t, db)
		mx := analytics.New(db, cat, nil)
		if _, err := feed.Subscribe(context.Background(), "metrics engine", analytics.Kinds, mx); err != nil {
			t.Fatal(err)
		}
		pm := testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})
		cad := cadence.New(db, cat)
		if err := cad.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		s := health.New(db, cat, mx, cad)

		_, err := s.Record(ctx, health.Input{AssessedOn: "2027-03-11", Ratings: []health.RatingInput{{Element: "vision", Stage: "brilliant"}}})
		fields := vouch.ErrorFields(err)
		if fields["assessed_on"] == "" || !strings.Contains(fields["ratings.vision"], "underdeveloped, emerging, focused or advanced") {
			t.Errorf("problems %v", fields)
		}
		if list, _ := s.Assessments(ctx); len(list) != 0 {
			t.Fatalf("a refused assessment was stored: %d", len(list))
		}
		if _, err := s.Record(ctx, health.Input{AssessedOn: "2026-12-01", Note: "Starting out", Ratings: []health.RatingInput{
			{Element: "vision", Stage: "emerging"}, {Element: "metrics", Stage: "1", Note: "No scorecard yet"}}}); err != nil {
			t.Fatal(err)
		}
		a, err := s.Record(ctx, health.Input{Ratings: []health.RatingInput{
			{Element: "metrics", Stage: "focused"}, {Element: "vision", Stage: "focused"}, {Element: "recruiting", Stage: ""}}})
		if err != nil {
			t.Fatal(err)
		}
		if a.AssessedOn.String() != "2027-03-10" || a.ByID != pm.ID || len(a.Ratings) != 2 || a.Ratings[0].Element != vouch.ElementVision {
			t.Errorf("saved %+v", a)
		}
		list, err := s.Assessments(ctx)
		if err != nil || len(list) != 2 || list[0].Note != "Starting out" || list[0].Rating(vouch.ElementMetrics).Note != "No scorecard yet" {
			t.Fatalf("assessments %+v (%v)", list, err)
		}

		svg, err := health.TrendChart(list, vouch.ElementMetrics, 720, 320)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Assessment date", "Stage (1–4)", "4 Advanced", "1 Dec 26", "10 Mar 27", "Metrics"} {
			if !strings.Contains(string(svg), want) {
				t.Errorf("chart lacks %q", want)
			}
		}
		if strings.Contains(string(svg), `style="`) {
			t.Error("chart keeps inline styles a strict page would ignore")
		}

		// Signals: the scorecard is not published this month until the
		// cadence's task is done; elements without a signal say so.
		sig, err := s.Signals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := sig[vouch.ElementMetrics][0].Value; !strings.HasPrefix(got, "Not yet in March 2027") {
			t.Errorf("scorecard signal %q", got)
		}
		if got := sig[vouch.ElementVision][0]; got.Measured || got.Label != "Not measured yet" {
			t.Errorf("vision signal %+v", got)
		}
		if got := sig[vouch.ElementOperations][0]; got.Label == "" || got.Measured {
			t.Errorf("operations without requests %+v", got)
		}
		db.Clock.Set(time.Date(2027, time.March, 5, 12, 0, 0, 0, time.UTC))
		_, items, err := cad.Week(ctx, db.Today(), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Task.Kind == vouch.CadenceScorecard {
				if _, err := cad.Close(ctx, it.Occurrence.ID, vouch.OccurrenceDone, "Sent to the leadership team"); err != nil {
					t.Fatal(err)
				}
			}
		}
		sig, err = s.Signals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := sig[vouch.ElementMetrics][0].Value; got != "Yes, in March 2027" {
			t.Errorf("after the cadence task was done: %q", got)
		}
	})
}

// TestGapsClosedSignal: the recruiting signal counts, of the gaps that
// campaigns started this fiscal quarter aimed at, those the coverage matrix
// no longer shows — each gap once, last quarter's campaigns not at all.
func TestGapsClosedSignal(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		feed, cat, ix := testutil.ReadModels(t, db)
		mx := analytics.New(db, cat, nil)
		if _, err := feed.Subscribe(context.Background(), "metrics engine", analytics.Kinds, mx); err != nil {
			t.Fatal(err)
		}
		pm := testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})
		p := testutil.AddCoverageProgram(t, db, pm.ID) // today 15 January 2027: 2027-Q1
		s := health.New(db, cat, mx, nil)
		signal := func() string {
			t.Helper()
			sig, err := s.Signals(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range sig[vouch.ElementRecruiting] {
				if x.Label == "Coverage gaps closed this quarter" {
					return x.Value
				}
			}
			return ""
		}
		if got := signal(); got != "" {
			t.Errorf("without the coverage matrix the signal is not shown: %q", got)
		}
		s.SetCoverage(coverage.Reader{Index: ix, Metrics: mx, Catalog: cat})
		if got := signal(); got != "No recruiting campaign started from a gap this quarter (2027-Q1)" {
			t.Errorf("no campaign: %q", got)
		}
		campaign := func(name string, value, typ int64) {
			t.Helper()
			if err := db.CreateCampaign(ctx, &vouch.Campaign{Name: name, Dimension: "industry", ValueID: value, ActivityTypeID: typ, CreatedBy: pm.ID}); err != nil {
				t.Fatal(err)
			}
		}
		today := db.Clock.Now()
		db.Clock.Set(time.Date(2026, time.December, 20, 12, 0, 0, 0, time.UTC))
		campaign("Last quarter's case studies", p.Healthcare, p.CaseStudy)
		db.Clock.Set(today)
		campaign("Healthcare calls", p.Healthcare, p.Call)
		campaign("Healthcare calls, again", p.Healthcare, p.Call)
		campaign("Bank calls", p.Financial, p.Call) // supply 1, demand 1: no gap today
		if got := signal(); got != "1 closed of the 2 gaps that campaigns started this quarter (2027-Q1) aimed at" {
			t.Errorf("one of two closed: %q", got)
		}
		// Four more Healthcare references free for calls close the Healthcare
		// gap (demand 2 requests + 2.3 of the pipeline).
		for _, name := range []string{"rae", "sol", "tam", "uma"} {
			r := &vouch.Reference{AccountID: p.HealthcareAccount.ID, Name: name, Title: "CIO", Status: vouch.StatusActive,
				Email: name + "@example.org", LastVerified: vouch.NewDate(2026, 12, 1), Activities: []vouch.AgreedActivity{{TypeID: p.Call}}}
			if err := db.CreateReference(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if got := signal(); got != "2 closed of the 2 gaps that campaigns started this quarter (2027-Q1) aimed at" {
			t.Errorf("both closed: %q", got)
		}
	})
}
