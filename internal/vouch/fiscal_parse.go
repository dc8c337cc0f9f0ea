package vouch

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseFiscalPeriod reads a period as people and URLs name it: the
// calendar names ParsePeriod reads ("2026", "2026-Q3", "2026-11") and, for
// a fiscal year starting in startMonth, the fiscal names FiscalName writes
// ("FY2027", "FY2027 Q1", also "FY2027-Q1"). The error is a sentence fit to show.
func ParseFiscalPeriod(s string, startMonth int) (Period, error) {
	s = strings.TrimSpace(s)
	up := strings.ToUpper(s)
	if !strings.HasPrefix(up, "FY") {
		return ParsePeriod(s)
	}
	bad := fmt.Errorf("%q is not a period like 2026-11, 2026-Q3, 2026, FY2027 Q1 or FY2027", s)
	rest := strings.TrimPrefix(up, "FY")
	if len(rest) < 4 {
		return Period{}, bad
	}
	fy, err := strconv.Atoi(rest[:4])
	if err != nil || fy < 2 {
		return Period{}, bad
	}
	if startMonth < 1 || startMonth > 12 {
		startMonth = 1
	}
	// FYn ends in calendar year n: it starts in startMonth of n-1 (or of n
	// for a calendar fiscal year).
	startYear := fy - 1
	if startMonth == 1 {
		startYear = fy
	}
	first := NewDate(startYear, time.Month(startMonth), 1)
	year := FiscalPeriodOf(PeriodYear, first, startMonth)
	q := strings.TrimLeft(rest[4:], " -_")
	switch {
	case q == "" && len(rest) == 4:
		return year, nil
	case len(q) == 2 && q[0] == 'Q' && q[1] >= '1' && q[1] <= '4' && len(rest) > 4:
		n := int(q[1] - '0')
		return FiscalPeriodOf(PeriodQuarter, NewDate(startYear, time.Month(startMonth+3*(n-1)), 1), startMonth), nil
	}
	return Period{}, bad
}
