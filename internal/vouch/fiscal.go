package vouch

import (
	"fmt"
	"time"
)

// FiscalPeriodOf is the period of the kind that day falls in when the
// fiscal year starts in month startMonth (1–12; 1 is the calendar year).
// Weeks and months are calendar ones whatever the fiscal year; quarters
// and years count from startMonth. The fiscal year is named after the
// calendar year it ends in ("FY2027" starting February 2026), as most
// companies whose year does not start in January name it.
func FiscalPeriodOf(kind PeriodKind, day Date, startMonth int) Period {
	if startMonth <= 1 || startMonth > 12 || (kind != PeriodQuarter && kind != PeriodYear) {
		return PeriodOf(kind, day)
	}
	if day.IsZero() {
		return Period{}
	}
	y, m, _ := day.t.Date()
	// Months since the fiscal year began.
	since := (int(m) - startMonth + 12) % 12
	yearStart := NewDate(y, m-time.Month(since), 1)
	switch kind {
	case PeriodQuarter:
		first := NewDate(yearStart.t.Year(), yearStart.t.Month()+time.Month(since/3*3), 1)
		return Period{Kind: PeriodQuarter, First: first, Last: NewDate(first.t.Year(), first.t.Month()+3, 1).AddDays(-1)}
	default:
		return Period{Kind: PeriodYear, First: yearStart, Last: NewDate(yearStart.t.Year()+1, yearStart.t.Month(), 1).AddDays(-1)}
	}
}

// FiscalName names a fiscal quarter or year for people: "FY2027 Q1",
// "FY2027"; calendar ones (startMonth 1) as Period.String names them.
func FiscalName(p Period, startMonth int) string {
	if startMonth <= 1 || startMonth > 12 || (p.Kind != PeriodQuarter && p.Kind != PeriodYear) {
		return p.String()
	}
	yearStart := FiscalPeriodOf(PeriodYear, p.First, startMonth)
	fy := yearStart.Last.t.Year()
	if p.Kind == PeriodYear {
		return fmt.Sprintf("FY%04d", fy)
	}
	q := monthsBetween(yearStart.First, p.First)/3 + 1
	return fmt.Sprintf("FY%04d Q%d", fy, q)
}

// PreviousFiscal is the period of the same kind just before p.
func PreviousFiscal(p Period, startMonth int) Period {
	if p.IsZero() {
		return Period{}
	}
	return FiscalPeriodOf(p.Kind, p.First.AddDays(-1), startMonth)
}
