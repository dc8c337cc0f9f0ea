package vouch

import (
	"sync"
	"testing"
	"time"
)

func TestPeriodOf(t *testing.T) {
	for _, c := range []struct {
		kind        PeriodKind
		day         string
		first, last string
		name        string
		days        int
	}{
		{PeriodMonth, "2026-01-01", "2026-01-01", "2026-01-31", "2026-01", 31},
		{PeriodMonth, "2026-12-31", "2026-12-01", "2026-12-31", "2026-12", 31},
		{PeriodMonth, "2026-02-14", "2026-02-01", "2026-02-28", "2026-02", 28},
		{PeriodMonth, "2028-02-29", "2028-02-01", "2028-02-29", "2028-02", 29}, // leap year
		{PeriodMonth, "2100-02-10", "2100-02-01", "2100-02-28", "2100-02", 28}, // not a leap year
		{PeriodMonth, "2000-02-10", "2000-02-01", "2000-02-29", "2000-02", 29}, // a leap year
		{PeriodQuarter, "2026-01-01", "2026-01-01", "2026-03-31", "2026-Q1", 90},
		{PeriodQuarter, "2028-03-31", "2028-01-01", "2028-03-31", "2028-Q1", 91},
		{PeriodQuarter, "2026-04-01", "2026-04-01", "2026-06-30", "2026-Q2", 91},
		{PeriodQuarter, "2026-09-30", "2026-07-01", "2026-09-30", "2026-Q3", 92},
		{PeriodQuarter, "2026-10-01", "2026-10-01", "2026-12-31", "2026-Q4", 92},
		{PeriodQuarter, "2026-12-31", "2026-10-01", "2026-12-31", "2026-Q4", 92},
		{PeriodYear, "2026-07-04", "2026-01-01", "2026-12-31", "2026", 365},
		{PeriodYear, "2028-12-31", "2028-01-01", "2028-12-31", "2028", 366},
		{PeriodWeek, "2026-12-02", "2026-11-30", "2026-12-06", "2026-W49", 7}, // a Wednesday
		{PeriodWeek, "2026-11-30", "2026-11-30", "2026-12-06", "2026-W49", 7}, // Monday starts it
		{PeriodWeek, "2026-12-06", "2026-11-30", "2026-12-06", "2026-W49", 7}, // Sunday ends it
		{PeriodWeek, "2027-01-01", "2026-12-28", "2027-01-03", "2026-W53", 7}, // across the year end
		{PeriodWeek, "2025-12-31", "2025-12-29", "2026-01-04", "2026-W01", 7}, // ISO week of the next year
	} {
		p := PeriodOf(c.kind, day(c.day))
		if p.First != day(c.first) || p.Last != day(c.last) || p.String() != c.name || p.Days() != c.days {
			t.Errorf("PeriodOf(%s, %s) = %s %s..%s (%d days), want %s %s..%s (%d days)",
				c.kind, c.day, p, p.First, p.Last, p.Days(), c.name, c.first, c.last, c.days)
		}
		if !p.Contains(day(c.day)) || p.Contains(p.First.AddDays(-1)) || p.Contains(p.Last.AddDays(1)) {
			t.Errorf("%s: Contains is wrong at its edges", c.name)
		}
		back, err := ParsePeriod(c.name)
		if err != nil || back != p {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", c.name, back, err, p)
		}
	}
	if p := PeriodOf("fortnight", day("2026-01-01")); !p.IsZero() {
		t.Errorf("an unknown kind gave %v", p)
	}
	if p := PeriodOf(PeriodMonth, Date{}); !p.IsZero() || p.Contains(day("2026-01-01")) {
		t.Errorf("no date gave %v", p)
	}
}

func TestPeriodPreviousNext(t *testing.T) {
	for _, c := range []struct {
		name, previous, next string
	}{
		{"2026-01", "2025-12", "2026-02"},
		{"2026-03", "2026-02", "2026-04"},
		{"2026-Q1", "2025-Q4", "2026-Q2"},
		{"2026-Q4", "2026-Q3", "2027-Q1"},
		{"2026", "2025", "2027"},
		{"2026-W01", "2025-W52", "2026-W02"},
		{"2026-W53", "2026-W52", "2027-W01"},
	} {
		p, err := ParsePeriod(c.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Previous().String(); got != c.previous {
			t.Errorf("%s.Previous() = %s, want %s", c.name, got, c.previous)
		}
		if got := p.Next().String(); got != c.next {
			t.Errorf("%s.Next() = %s, want %s", c.name, got, c.next)
		}
		if p.Previous().Last.AddDays(1) != p.First {
			t.Errorf("%s: a gap or overlap before it", c.name)
		}
	}
}

func TestParsePeriodRefuses(t *testing.T) {
	for _, s := range []string{"", "26", "2026-", "2026-Q0", "2026-Q5", "2026-13", "2026-00", "2026-1",
		"2027-W53", "2026-W00", "2026-W54", "+026", "2026-11-01", "Q3-2026", "abcd"} {
		if p, err := ParsePeriod(s); err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", s, p)
		}
	}
	if p, err := ParsePeriod(" 2026-q3 "); err != nil || p.String() != "2026-Q3" {
		t.Errorf("lower case q: %v, %v", p, err)
	}
}

func TestClockToday(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, c := range []struct {
		name  string
		at    time.Time
		zone  *time.Location
		today string
		month string
	}{
		{"UTC by default", time.Date(2026, 7, 1, 0, 30, 0, 0, time.UTC), nil, "2026-07-01", "2026-07"},
		// Just after midnight UTC it is still the previous evening in California,
		// and so still the previous month and quarter.
		{"just after midnight UTC, Los Angeles", time.Date(2026, 7, 1, 0, 30, 0, 0, time.UTC), la, "2026-06-30", "2026-06"},
		{"new year in Berlin before UTC", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), berlin, "2027-01-01", "2027-01"},
		{"new year in UTC, not yet in Los Angeles", time.Date(2027, 1, 1, 7, 59, 0, 0, time.UTC), la, "2026-12-31", "2026-12"},
	} {
		clk := FixedClock(c.at)
		if c.zone != nil {
			clk.SetZone(c.zone)
		}
		got := clk.Today()
		if got.String() != c.today || PeriodOf(PeriodMonth, got).String() != c.month {
			t.Errorf("%s: today %s in %s, want %s in %s", c.name, got, PeriodOf(PeriodMonth, got), c.today, c.month)
		}
	}

	clk := FixedClock(time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC))
	if got := clk.TodayIn("America/Los_Angeles").String(); got != "2026-06-30" {
		t.Errorf("the advocate's today = %s, want 2026-06-30", got)
	}
	if got := clk.TodayIn("Mars/Olympus"); got != clk.Today() {
		t.Errorf("an unknown zone gave %s, want the program's day %s", got, clk.Today())
	}
	// A reference without a zone counts in the program's zone; one with a zone, in its own.
	clk.SetZone(berlin)
	evening := time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC) // 01:30 on 1 July in Berlin, 16:30 on 30 June in California
	if got := clk.DayIn(evening, "").String(); got != "2026-07-01" {
		t.Errorf("day of a zoneless reference = %s, want the program's 2026-07-01", got)
	}
	if got := clk.DayIn(evening, "America/Los_Angeles").String(); got != "2026-06-30" {
		t.Errorf("day of a Californian reference = %s, want 2026-06-30", got)
	}
	clk.SetZone(nil)
	if clk.Zone() != time.UTC {
		t.Errorf("SetZone(nil) = %v, want UTC", clk.Zone())
	}
}

func TestClockSetAdvance(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := FixedClock(start)
	if !clk.Now().Equal(start) {
		t.Fatalf("Now = %v, want %v", clk.Now(), start)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				clk.Advance(time.Minute)
				_ = clk.Today()
			}
		}()
	}
	wg.Wait()
	if want := start.Add(800 * time.Minute); !clk.Now().Equal(want) {
		t.Errorf("after 800 advances of a minute Now = %v, want %v", clk.Now(), want)
	}

	wall := NewClock(nil)
	before := time.Now()
	wall.Advance(48 * time.Hour)
	if d := wall.Now().Sub(before); d < 48*time.Hour || d > 49*time.Hour {
		t.Errorf("advancing the wall clock two days moved it %v", d)
	}
}
