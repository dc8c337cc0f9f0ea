package vouch

import (
	"strings"
	"testing"
)

func TestCadenceDueAcrossMonthQuarterAndYearEnds(t *testing.T) {
	cases := []struct {
		name    string
		task    CadenceTask
		fyStart int
		on      string // a day in the period
		due     string
		first   string // the period's first day
		last    string
	}{
		{"monthly 31st in January", CadenceTask{Recurrence: RecurMonthly, Day: 31}, 1, "2027-01-10", "2027-01-31", "2027-01-01", "2027-01-31"},
		{"monthly 31st in February of a common year", CadenceTask{Recurrence: RecurMonthly, Day: 31}, 1, "2027-02-03", "2027-02-28", "2027-02-01", "2027-02-28"},
		{"monthly 31st in February of a leap year", CadenceTask{Recurrence: RecurMonthly, Day: 31}, 1, "2028-02-29", "2028-02-29", "2028-02-01", "2028-02-29"},
		{"monthly 30th in February of a leap year", CadenceTask{Recurrence: RecurMonthly, Day: 30}, 1, "2028-02-01", "2028-02-29", "2028-02-01", "2028-02-29"},
		{"monthly 29th in February 2100, not a leap year", CadenceTask{Recurrence: RecurMonthly, Day: 29}, 1, "2100-02-15", "2100-02-28", "2100-02-01", "2100-02-28"},
		{"monthly 31st in April", CadenceTask{Recurrence: RecurMonthly, Day: 31}, 1, "2027-04-30", "2027-04-30", "2027-04-01", "2027-04-30"},
		{"monthly 1st in December", CadenceTask{Recurrence: RecurMonthly, Day: 1}, 1, "2026-12-31", "2026-12-01", "2026-12-01", "2026-12-31"},
		{"weekly Monday, week across the year end", CadenceTask{Recurrence: RecurWeekly, Day: 1}, 1, "2027-01-01", "2026-12-28", "2026-12-28", "2027-01-03"},
		{"weekly Friday, week across a month end", CadenceTask{Recurrence: RecurWeekly, Day: 5}, 1, "2027-03-01", "2027-03-05", "2027-03-01", "2027-03-07"},
		{"weekly Sunday, week across a leap day", CadenceTask{Recurrence: RecurWeekly, Day: 7}, 1, "2028-02-28", "2028-03-05", "2028-02-28", "2028-03-05"},
		{"quarterly calendar Q1, 2nd month, 31st", CadenceTask{Recurrence: RecurQuarterly, Month: 2, Day: 31}, 1, "2028-03-31", "2028-02-29", "2028-01-01", "2028-03-31"},
		{"quarterly calendar Q4, 3rd month, 15th", CadenceTask{Recurrence: RecurQuarterly, Month: 3, Day: 15}, 1, "2026-10-01", "2026-12-15", "2026-10-01", "2026-12-31"},
		{"quarterly fiscal year from February: Nov–Jan spans the year end", CadenceTask{Recurrence: RecurQuarterly, Month: 3, Day: 31}, 2, "2026-12-02", "2027-01-31", "2026-11-01", "2027-01-31"},
		{"quarterly fiscal year from February: 1st month of Feb–Apr", CadenceTask{Recurrence: RecurQuarterly, Month: 1, Day: 30}, 2, "2027-04-30", "2027-02-28", "2027-02-01", "2027-04-30"},
		{"quarterly fiscal year from July: Q1 is Jul–Sep", CadenceTask{Recurrence: RecurQuarterly, Month: 2, Day: 31}, 7, "2027-07-01", "2027-08-31", "2027-07-01", "2027-09-30"},
		{"quarterly fiscal year from November, 2nd month is December", CadenceTask{Recurrence: RecurQuarterly, Month: 2, Day: 31}, 11, "2027-01-31", "2026-12-31", "2026-11-01", "2027-01-31"},
		{"daily", CadenceTask{Recurrence: RecurDaily}, 1, "2028-02-29", "2028-02-29", "2028-02-29", "2028-02-29"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.task.Validate(); err != nil && !strings.Contains(err.Error(), "title") {
				t.Fatalf("task does not validate: %v", err)
			}
			p := CadencePeriod(c.task.Recurrence, day(c.on), c.fyStart)
			if p.First.String() != c.first || p.Last.String() != c.last {
				t.Errorf("period of %s = %s … %s, want %s … %s", c.on, p.First, p.Last, c.first, c.last)
			}
			if got := c.task.DueIn(p).String(); got != c.due {
				t.Errorf("due = %s, want %s", got, c.due)
			}
		})
	}
}

func TestCadenceDueBetween(t *testing.T) {
	dates := func(os []CadenceOccurrence) string {
		var s []string
		for _, o := range os {
			s = append(s, o.DueOn.String())
		}
		return strings.Join(s, " ")
	}
	cases := []struct {
		name        string
		task        CadenceTask
		fyStart     int
		first, last string
		want        string
	}{
		{"monthly on the 31st through a leap year's first half", CadenceTask{Recurrence: RecurMonthly, Day: 31}, 1, "2027-12-15", "2028-06-30",
			"2027-12-31 2028-01-31 2028-02-29 2028-03-31 2028-04-30 2028-05-31 2028-06-30"},
		{"quarterly with the fiscal year from April", CadenceTask{Recurrence: RecurQuarterly, Month: 1, Day: 10}, 4, "2026-12-01", "2027-12-31",
			"2027-01-10 2027-04-10 2027-07-10 2027-10-10"},
		{"daily across a year end skips the weekend", CadenceTask{Recurrence: RecurDaily}, 1, "2026-12-30", "2027-01-05",
			"2026-12-30 2026-12-31 2027-01-01 2027-01-04 2027-01-05"},
		{"weekly on Wednesday, a window starting Thursday", CadenceTask{Recurrence: RecurWeekly, Day: 3}, 1, "2027-02-25", "2027-03-10",
			"2027-03-03 2027-03-10"},
		{"a window that misses the due day", CadenceTask{Recurrence: RecurMonthly, Day: 5}, 1, "2027-03-06", "2027-03-31", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := dates(c.task.DueBetween(day(c.first), day(c.last), c.fyStart)); got != c.want {
				t.Errorf("due %s … %s = %q, want %q", c.first, c.last, got, c.want)
			}
		})
	}
}

func TestCadenceTaskValidate(t *testing.T) {
	cases := []struct {
		task  CadenceTask
		field string // "" valid
	}{
		{CadenceTask{Title: "Triage", Recurrence: RecurDaily, Day: 9}, ""},
		{CadenceTask{Title: "Review", Recurrence: RecurWeekly, Day: 8}, "day"},
		{CadenceTask{Title: "Publish", Recurrence: RecurMonthly, Day: 0}, "day"},
		{CadenceTask{Title: "Publish", Recurrence: RecurMonthly, Day: 31}, ""},
		{CadenceTask{Title: "Board", Recurrence: RecurQuarterly, Month: 4, Day: 1}, "month"},
		{CadenceTask{Title: "Board", Recurrence: "yearly"}, "recurrence"},
		{CadenceTask{Title: "  ", Recurrence: RecurDaily}, "title"},
	}
	for _, c := range cases {
		err := c.task.Validate()
		fields := ErrorFields(err)
		if c.field == "" && err != nil {
			t.Errorf("%+v: %v", c.task, err)
		}
		if c.field != "" && fields[c.field] == "" {
			t.Errorf("%+v: want a problem with %s, got %v", c.task, c.field, err)
		}
	}
}

func TestOccurrenceClose(t *testing.T) {
	open := CadenceOccurrence{Status: OccurrenceOpen}
	if err := open.CheckClose(OccurrenceDone, ""); err != nil {
		t.Errorf("done without a note: %v", err)
	}
	if ErrorFields(open.CheckClose(OccurrenceSkipped, " "))["note"] == "" {
		t.Error("a skip without a reason was allowed")
	}
	done := CadenceOccurrence{Status: OccurrenceDone}
	if ErrorCode(done.CheckClose(OccurrenceSkipped, "late")) != ECONFLICT {
		t.Error("a done occurrence could be skipped")
	}
}

func TestCadenceSchedule(t *testing.T) {
	for task, want := range map[CadenceTask]string{
		{Recurrence: RecurWeekly, Day: 1}:               "Every Monday",
		{Recurrence: RecurWeekly, Day: 7}:               "Every Sunday",
		{Recurrence: RecurMonthly, Day: 31}:             "Monthly on the 31st (or the month's last day)",
		{Recurrence: RecurQuarterly, Month: 2, Day: 12}: "Quarterly: 2nd month of the quarter, on the 12th",
	} {
		if got := task.Schedule(); got != want {
			t.Errorf("%+v: %q, want %q", task, got, want)
		}
	}
}
