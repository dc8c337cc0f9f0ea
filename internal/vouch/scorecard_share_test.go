package vouch

import (
	"testing"
	"time"
)

func TestClosedPeriod(t *testing.T) {
	for _, c := range []struct {
		cadence string
		today   Date
		start   int
		first   Date
		key     string
	}{
		{CadenceMonthly, NewDate(2026, 12, 1), 1, NewDate(2026, 11, 1), "2026-11"},
		{CadenceMonthly, NewDate(2026, 11, 30), 1, NewDate(2026, 10, 1), "2026-10"},
		{CadenceMonthly, NewDate(2027, 1, 1), 2, NewDate(2026, 12, 1), "2026-12"},
		{CadenceQuarterly, NewDate(2026, 10, 1), 1, NewDate(2026, 7, 1), "2026-Q3"},
		{CadenceQuarterly, NewDate(2026, 9, 30), 1, NewDate(2026, 4, 1), "2026-Q2"},
		// A fiscal year from February: Q1 of FY2027 is February–April 2026.
		{CadenceQuarterly, NewDate(2026, 5, 1), 2, NewDate(2026, 2, 1), "FY2027 Q1"},
		{CadenceQuarterly, NewDate(2026, 2, 1), 2, NewDate(2025, 11, 1), "FY2026 Q4"},
	} {
		p, key := ClosedPeriod(c.cadence, c.today, c.start)
		if p.First != c.first || key != c.key {
			t.Errorf("%s on %s (FY from %d): %s %q, want %s %q", c.cadence, c.today, c.start, p.First, key, c.first, c.key)
		}
	}
}

func TestShareQueryResolve(t *testing.T) {
	today := NewDate(2026, 5, 20)
	if q := (ShareQuery{Period: SharePeriodQuarter}).Resolve(today, 2); q.From != NewDate(2026, 5, 1) || q.To != NewDate(2026, 7, 31) {
		t.Errorf("fiscal quarter %v – %v", q.From, q.To)
	}
	if q := (ShareQuery{Period: SharePeriodMonth}).Resolve(today, 1); q.From != NewDate(2026, 5, 1) || q.To != NewDate(2026, 5, 31) {
		t.Errorf("month %v – %v", q.From, q.To)
	}
	fixed := ShareQuery{Period: SharePeriodFixed, From: NewDate(2026, 1, 1), To: NewDate(2026, 3, 31)}
	if q := fixed.Resolve(today, 1); q.From != fixed.From || q.To != fixed.To {
		t.Errorf("fixed %v – %v", q.From, q.To)
	}
}

func TestCheckScorecardShareAndSchedule(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for days, ok := range map[int]bool{0: true, 7: true, 30: true, 90: true, 1: false, 45: false, 365: false} {
		s := &ScorecardShare{}
		if err := CheckScorecardShare(s, days, now); (err == nil) != ok {
			t.Errorf("%d days: %v", days, err)
		}
	}
	s := &ScorecardShare{Query: ShareQuery{Period: SharePeriodFixed, From: NewDate(2026, 3, 1), To: NewDate(2026, 2, 1)}}
	if ErrorFields(CheckScorecardShare(s, 0, now))["to"] == "" {
		t.Errorf("a period ending before it starts was accepted")
	}
	sch := &ScorecardSchedule{Cadence: CadenceQuarterly, Recipients: []string{"a@example.com; B@Example.com\n\n a@example.com"}}
	if err := CheckScorecardSchedule(sch); err != nil || len(sch.Recipients) != 2 || sch.Recipients[1] != "b@example.com" {
		t.Errorf("recipients %v, %v", sch.Recipients, err)
	}
	bad := &ScorecardSchedule{Cadence: CadenceMonthly, Recipients: []string{"ok@example.com, nobody"}}
	if f := ErrorFields(CheckScorecardSchedule(bad)); f["recipients"] != `"nobody" is not an email address` {
		t.Errorf("fields %v", f)
	}
}
