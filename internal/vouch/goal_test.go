package vouch

import (
	"math"
	"testing"
	"time"
)

func TestGoalPace(t *testing.T) {
	// A quarter of 90 days: 1 January to 31 March 2027.
	from, to := NewDate(2027, time.January, 1), NewDate(2027, time.March, 31)
	day := func(m time.Month, d int) Date { return NewDate(2027, m, d) }
	num := func(f float64) *float64 { return &f }
	for _, c := range []struct {
		name     string
		metric   MetricID
		target   float64
		current  *float64
		today    Date
		expected float64
		pace     GoalPace
		forecast *float64 // nil: none
	}{
		{"before the period", MetricReferencesAdded, 9, num(0), day(time.January, 1).AddDays(-1), 0, PaceNotStarted, nil},
		{"first day, nothing yet", MetricReferencesAdded, 90, num(0), day(time.January, 1), 1, PaceBehind, num(0)},
		{"first day, one in", MetricReferencesAdded, 90, num(1), day(time.January, 1), 1, PaceOnTrack, num(90)},
		// Day 45 of 90: half the target is expected.
		{"middle, on pace", MetricReferencesAdded, 10, num(5), day(time.February, 14), 5, PaceOnTrack, num(10)},
		{"middle, at risk (80% of expected)", MetricReferencesAdded, 10, num(4), day(time.February, 14), 5, PaceAtRisk, num(8)},
		{"middle, behind", MetricReferencesAdded, 10, num(3), day(time.February, 14), 5, PaceBehind, num(6)},
		{"middle, met early", MetricReferencesAdded, 10, num(12), day(time.February, 14), 5, PaceMet, num(24)},
		{"last day, short", MetricReferencesAdded, 10, num(9), day(time.March, 31), 10, PaceAtRisk, num(9)},
		{"over, met", MetricReferencesAdded, 10, num(10), day(time.April, 2), 10, PaceMet, num(10)},
		{"over, missed", MetricReferencesAdded, 10, num(7), day(time.April, 2), 10, PaceMissed, num(7)},
		{"over, no figure", MetricReferencesAdded, 10, nil, day(time.April, 2), 10, PaceMissed, nil},
		{"no figure yet", MetricReferencesAdded, 10, nil, day(time.February, 14), 5, PaceNoData, nil},
		{"money paced", MetricRevenueInfluenced, 900000, num(500000), day(time.February, 14), 450000, PaceOnTrack, num(1000000)},
		// Rates and ratings compare with the target as they stand, no forecast.
		{"rate above target mid-period", MetricFulfillmentRate, 0.8, num(0.85), day(time.January, 10), 0.8, PaceOnTrack, nil},
		{"rate at risk", MetricFulfillmentRate, 0.8, num(0.7), day(time.January, 10), 0.8, PaceAtRisk, nil},
		{"rate behind", MetricFulfillmentRate, 0.8, num(0.5), day(time.January, 10), 0.8, PaceBehind, nil},
		{"rate met at the end", MetricFulfillmentRate, 0.8, num(0.8), day(time.April, 1), 0.8, PaceMet, nil},
		{"rating missed at the end", MetricSellerSatisfaction, 4.5, num(4.2), day(time.April, 1), 4.5, PaceMissed, nil},
		// A stock (active references at the end) is compared as it stands.
		{"stock below target mid-period", MetricActiveReferences, 8, num(7), day(time.February, 14), 8, PaceAtRisk, nil},
		{"stock at target mid-period", MetricActiveReferences, 8, num(8), day(time.February, 14), 8, PaceOnTrack, nil},
		{"stock met at the end", MetricActiveReferences, 8, num(9), day(time.April, 1), 8, PaceMet, nil},
		// Lower is better: days to fulfil at or under the target is on track.
		{"lower is better, under target", MetricFulfilMedianDays, 5, num(4), day(time.February, 14), 5, PaceOnTrack, nil},
		{"lower is better, a little over", MetricFulfilMedianDays, 5, num(6), day(time.February, 14), 5, PaceAtRisk, nil},
		{"lower is better, far over", MetricFulfilMedianDays, 5, num(9), day(time.February, 14), 5, PaceBehind, nil},
		{"lower is better, met", MetricFulfilMedianDays, 5, num(5), day(time.April, 1), 5, PaceMet, nil},
		{"lower is better, missed", MetricFulfilMedianDays, 5, num(5.5), day(time.April, 1), 5, PaceMissed, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := &Goal{Kind: GoalProgram, Metric: c.metric, Target: c.target, From: from, To: to}
			p := g.ProgressOf(c.current, c.today)
			if math.Abs(p.Expected-c.expected) > 1e-9 {
				t.Errorf("expected %v, want %v", p.Expected, c.expected)
			}
			if p.Pace != c.pace {
				t.Errorf("pace %s, want %s", p.Pace, c.pace)
			}
			switch {
			case c.forecast == nil && p.Forecast != nil:
				t.Errorf("forecast %v, want none", *p.Forecast)
			case c.forecast != nil && (p.Forecast == nil || math.Abs(*p.Forecast-*c.forecast) > 1e-9):
				t.Errorf("forecast %v, want %v", p.Forecast, *c.forecast)
			}
		})
	}
}

func TestGoalValidate(t *testing.T) {
	from, to := NewDate(2027, time.January, 1), NewDate(2027, time.March, 31)
	ok := Goal{Name: "8 Healthcare references", Objective: "grow Healthcare in EMEA", Metric: MetricActiveReferences,
		Target: 8, From: from, To: to}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid goal: %v", err)
	}
	bad := Goal{Kind: GoalMember, Metric: MetricRevenueInfluenced, Target: -1, From: to, To: from}
	fields := ErrorFields(bad.Validate())
	for _, f := range []string{"name", "metric", "owner", "target", "to"} {
		if fields[f] == "" {
			t.Errorf("no problem reported for %s: %v", f, fields)
		}
	}
	rate := ok
	rate.Metric, rate.Target = MetricFulfillmentRate, 80
	if ErrorFields(rate.Validate())["target"] == "" {
		t.Error("a rate target of 80 is accepted; it must be a fraction")
	}
	notGoal := ok
	notGoal.Metric = MetricRequestsOverdue
	if ErrorFields(notGoal.Validate())["metric"] == "" {
		t.Error("a metric that is not goal-able is accepted")
	}
	noObjective := ok
	noObjective.Objective = " "
	if ErrorFields(noObjective.Validate())["objective"] == "" {
		t.Error("a program goal without an objective is accepted")
	}
}

func TestGoalQuery(t *testing.T) {
	g := &Goal{Kind: GoalMember, OwnerID: 7, Metric: MetricContentCreated, From: NewDate(2027, time.January, 1),
		To: NewDate(2027, time.March, 31), Filter: MetricFilter{IndustryIDs: []int64{3}}}
	q := g.Query(NewDate(2027, time.February, 1))
	if q.To.String() != "2027-02-01" || len(q.Filter.OwnerIDs) != 1 || q.Filter.OwnerIDs[0] != 7 || q.Filter.IndustryIDs[0] != 3 {
		t.Errorf("member goal's query mid-period: %+v", q)
	}
	if q := g.Query(NewDate(2027, time.May, 1)); q.To.String() != "2027-03-31" {
		t.Errorf("after the period the query ends on its last day, not %s", q.To)
	}
}

func TestGoalPeriodChoices(t *testing.T) {
	ch := GoalPeriodChoices(NewDate(2026, time.November, 20), 2)
	want := map[string]string{"this_month": "2026-11-01", "next_month": "2026-12-01",
		"this_quarter": "2026-11-01", "next_quarter": "2027-02-01", "this_year": "2026-02-01", "next_year": "2027-02-01"}
	if len(ch) != len(want) {
		t.Fatalf("%d choices, want %d", len(ch), len(want))
	}
	for _, c := range ch {
		if c.First.String() != want[c.Key] {
			t.Errorf("%s starts %s, want %s", c.Key, c.First, want[c.Key])
		}
	}
	if ch[2].Label != "This quarter (FY2027 Q4)" {
		t.Errorf("label %q", ch[2].Label)
	}
}

func TestGoalCurrent(t *testing.T) {
	if GoalCurrent(MetricValue{Money: map[string]*Money{"USD": {Amount: 5}, "EUR": {Amount: 3}}}) != nil {
		t.Error("two currencies without a rate table were added up")
	}
	if c := GoalCurrent(MetricValue{Money: map[string]*Money{"USD": {Amount: 5}}}); c == nil || *c != 5 {
		t.Error("one currency's amount is not the goal's figure")
	}
	if c := GoalCurrent(MetricValue{Money: map[string]*Money{"USD": {Amount: 5}, "EUR": {Amount: 3}}, Converted: &Money{Amount: 9}}); c == nil || *c != 9 {
		t.Error("the converted total is not the goal's figure")
	}
	// Nothing done yet: a count or an amount is 0 (behind), a rate, a rating or a duration has no figure.
	for id, want := range map[MetricID]*float64{MetricRequestsReceived: ptrFloat(0), MetricContentCreated: ptrFloat(0),
		MetricRevenueInfluenced: ptrFloat(0), MetricPointsAwarded: ptrFloat(0), MetricFulfillmentRate: nil, MetricSellerSatisfaction: nil,
		MetricActiveReferences: ptrFloat(0), MetricDaysToCloseWith: nil} {
		got := GoalCurrent(MetricValue{Metric: id})
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Errorf("%s with nothing in the period: %v, want %v", id, got, want)
		}
	}
	g := &Goal{Kind: GoalProgram, Metric: MetricRequestsReceived, Target: 40, From: NewDate(2026, 11, 1), To: NewDate(2026, 11, 30)}
	if p := g.ProgressOf(GoalCurrent(MetricValue{Metric: MetricRequestsReceived}), NewDate(2026, 11, 15)); p.Pace != PaceBehind {
		t.Errorf("no request by mid-month against 40: %s, want behind", p.Pace)
	}
}

func ptrFloat(f float64) *float64 { return &f }
