package refsheet

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// DateOrder is how a file writes slashed dates: month first (11/20/2026,
// as Salesforce and HubSpot in the US write them) or day first (20/11/2026).
// Dotted dates (20.11.2026) are always day first and ISO dates are the same
// everywhere, so the order only matters for slashes.
type DateOrder string

// The date orders a file may use.
const (
	MonthFirst DateOrder = "mdy"
	DayFirst   DateOrder = "dmy"
)

// ParseDateOrder reads a date order as a person chooses it: mdy or dmy ("" : none chosen).
func ParseDateOrder(s string) (DateOrder, error) {
	switch o := DateOrder(strings.ToLower(strings.TrimSpace(s))); o {
	case "", MonthFirst, DayFirst:
		return o, nil
	}
	return "", vouch.Errorf(vouch.EINVALID, "%q is not a date order; use mdy (month/day/year, 11/20/2026) or dmy (day/month/year, 20/11/2026).", s)
}

// slashDate is a slashed date, perhaps with the time a report export adds:
// "11/20/2026", "20/11/26", "11/20/2026 10:14 AM".
var slashDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$`)

// isoDateTime is an ISO day with the time HubSpot exports add: "2026-11-20 10:14".
var isoDateTime = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}`)

// ParseDateIn reads a day as ParseDate does, reading slashed dates in the
// file's order (MonthFirst when order is "") and leaving out the time of day
// a report export writes after the day.
func ParseDateIn(s string, xlsx bool, order DateOrder) (vouch.Date, string) {
	if m := slashDate.FindStringSubmatch(s); m != nil {
		first, _ := strconv.Atoi(m[1])
		second, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		if len(m[3]) == 2 {
			year += 2000
		}
		month, day := first, second
		if order == DayFirst {
			month, day = second, first
		}
		t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if month < 1 || month > 12 || day < 1 || t.Day() != day {
			if order == DayFirst {
				return vouch.Date{}, "not a date: the file's dates are read as day/month/year; write it as YYYY-MM-DD, e.g. 2026-11-20"
			}
			return vouch.Date{}, "not a date: the file's dates are read as month/day/year; write it as YYYY-MM-DD, e.g. 2026-11-20"
		}
		return vouch.DateOf(t), ""
	}
	if m := isoDateTime.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	return parseDate(s, xlsx)
}

// DateColumn is a column of dates, for FileDateOrder: its sheet index and the
// field it fills.
type DateColumn struct {
	Index int
	Field string
}

// FileDateOrder is the order a sheet's slashed dates are read in: chosen,
// when the person chose one; else the order some date shows (a part above
// 12 can only be the day); else MonthFirst when no slashed date could be
// read both ways. When every slashed date could be either and none was
// chosen, or the dates show both orders, it is an error that names the
// column and rows and says how to choose.
func FileDateOrder(sheet *Sheet, cols []DateColumn, chosen DateOrder) (DateOrder, error) {
	if chosen != "" {
		return chosen, nil
	}
	type sample struct {
		field, header string
		rows          []int
		value         string
	}
	var ambiguous, dayFirst, monthFirst *sample
	note := func(p **sample, c DateColumn, row Row) {
		if *p == nil {
			*p = &sample{field: c.Field, header: sheet.Headers[c.Index], value: row.Cells[c.Index]}
		}
		if (*p).header == sheet.Headers[c.Index] {
			(*p).rows = append((*p).rows, row.Number)
		}
	}
	for _, c := range cols {
		for _, row := range sheet.Rows {
			m := slashDate.FindStringSubmatch(strings.TrimSpace(row.Cells[c.Index]))
			if m == nil {
				continue
			}
			first, _ := strconv.Atoi(m[1])
			second, _ := strconv.Atoi(m[2])
			switch {
			case first > 12 && second <= 12:
				note(&dayFirst, c, row)
			case second > 12 && first <= 12:
				note(&monthFirst, c, row)
			case first <= 12 && second <= 12 && first != second:
				note(&ambiguous, c, row)
			}
		}
	}
	switch {
	case dayFirst != nil && monthFirst != nil:
		return "", vouch.Errorf(vouch.EINVALID, "%s: some dates are day first (column '%s', %s: '%s') and some month first (column '%s', %s: '%s'). "+
			"Choose the order the file uses: --date-order dmy or --date-order mdy on the command line, or “Date order” on the import page; the dates that do not fit are then listed by row.",
			sheet.Name, dayFirst.header, rowWord(dayFirst.rows), dayFirst.value, monthFirst.header, rowWord(monthFirst.rows), monthFirst.value)
	case dayFirst != nil:
		return DayFirst, nil
	case monthFirst != nil:
		return MonthFirst, nil
	case ambiguous != nil:
		return "", vouch.Errorf(vouch.EINVALID, "%s: the dates in column '%s' (%s) could be month/day/year or day/month/year, and no date in the file has a day above 12 to tell. "+
			"Choose the order: --date-order mdy ('%s' is %s) or --date-order dmy ('%s' is %s) on the command line, or “Date order” on the import page.",
			sheet.Name, ambiguous.header, rowWord(ambiguous.rows), ambiguous.value, readAs(ambiguous.value, MonthFirst),
			ambiguous.value, readAs(ambiguous.value, DayFirst))
	}
	return MonthFirst, nil
}

func rowWord(rows []int) string {
	return rowList(slices.Compact(rows), 5)
}

// readAs writes the day a slashed date is in an order: "20 November 2026".
func readAs(s string, order DateOrder) string {
	d, reason := ParseDateIn(strings.TrimSpace(s), false, order)
	if reason != "" {
		return "no date"
	}
	return d.Time().Format("2 January 2006")
}
