package vouch

import (
	"testing"
	"time"
)

func TestFiscalPeriodOf(t *testing.T) {
	d := func(s string) Date {
		v, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		kind        PeriodKind
		day         string
		start       int
		first, last string
		name        string
	}{
		{PeriodQuarter, "2026-11-20", 1, "2026-10-01", "2026-12-31", "2026-Q4"},
		{PeriodYear, "2026-11-20", 1, "2026-01-01", "2026-12-31", "2026"},
		// A year starting in February (FY2027 = Feb 2026 – Jan 2027).
		{PeriodYear, "2026-11-20", 2, "2026-02-01", "2027-01-31", "FY2027"},
		{PeriodQuarter, "2026-11-20", 2, "2026-11-01", "2027-01-31", "FY2027 Q4"},
		{PeriodQuarter, "2027-01-31", 2, "2026-11-01", "2027-01-31", "FY2027 Q4"},
		{PeriodQuarter, "2026-02-01", 2, "2026-02-01", "2026-04-30", "FY2027 Q1"},
		// July start: Q1 is July–September.
		{PeriodQuarter, "2026-07-15", 7, "2026-07-01", "2026-09-30", "FY2027 Q1"},
		{PeriodYear, "2026-06-30", 7, "2025-07-01", "2026-06-30", "FY2026"},
		{PeriodMonth, "2026-06-30", 7, "2026-06-01", "2026-06-30", "2026-06"},
	} {
		p := FiscalPeriodOf(c.kind, d(c.day), c.start)
		if p.First.String() != c.first || p.Last.String() != c.last {
			t.Errorf("%s of %s starting in %d: %s – %s, want %s – %s", c.kind, c.day, c.start, p.First, p.Last, c.first, c.last)
		}
		if got := FiscalName(p, c.start); got != c.name {
			t.Errorf("name of %s – %s: %q, want %q", p.First, p.Last, got, c.name)
		}
	}
	prev := PreviousFiscal(FiscalPeriodOf(PeriodQuarter, NewDate(2026, time.February, 10), 2), 2)
	if prev.First.String() != "2025-11-01" || prev.Last.String() != "2026-01-31" {
		t.Errorf("previous fiscal quarter: %s – %s", prev.First, prev.Last)
	}
}

func TestMetricQueryPrevious(t *testing.T) {
	q := MetricQuery{From: NewDate(2026, time.October, 1), To: NewDate(2026, time.December, 31)}
	if p := q.Previous(); p.From.String() != "2026-07-01" || p.To.String() != "2026-09-30" {
		t.Errorf("previous quarter: %s – %s", p.From, p.To)
	}
	q = MetricQuery{From: NewDate(2026, time.March, 1), To: NewDate(2026, time.March, 31)}
	if p := q.Previous(); p.From.String() != "2026-02-01" || p.To.String() != "2026-02-28" {
		t.Errorf("previous month: %s – %s", p.From, p.To)
	}
	q = MetricQuery{From: NewDate(2026, time.March, 5), To: NewDate(2026, time.March, 14)}
	if p := q.Previous(); p.From.String() != "2026-02-23" || p.To.String() != "2026-03-04" {
		t.Errorf("previous custom run: %s – %s", p.From, p.To)
	}
	for _, d := range Metrics {
		if Metric(d.ID) == nil || d.Label == "" || d.Definition == "" {
			t.Errorf("metric %q is not fully defined", d.ID)
		}
	}
}
