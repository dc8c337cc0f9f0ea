package crmsheet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// rowError is a problem with the sheet index of its column, to list a
// row's problems left to right (-1: the whole row).
type rowError struct {
	refsheet.RowError
	col int
}

// sheetCols is a sheet's mapped columns.
type sheetCols struct {
	sheet *refsheet.Sheet
	kind  *refsheet.ColumnSet
	col   map[string]int // column key → sheet index
}

func newSheetCols(sheet *refsheet.Sheet, k *refsheet.ColumnSet, m refsheet.Mapping) *sheetCols {
	s := &sheetCols{sheet: sheet, kind: k, col: map[string]int{}}
	for i, c := range m {
		if c != "" {
			s.col[c] = i
		}
	}
	return s
}

// problem places a problem with a field under its row and column.
func (s *sheetCols) problem(row int, key, value, reason string) rowError {
	e := rowError{RowError: refsheet.RowError{Row: row, Value: value, Reason: reason}, col: -1}
	if key != "" {
		e.Field = s.kind.FieldName(key)
		e.Column = e.Field
		e.col = len(s.sheet.Headers)
		if i, ok := s.col[key]; ok {
			e.Column, e.Letter, e.col = s.sheet.Headers[i], refsheet.ColumnLetter(i), i
		}
	}
	return e
}

// cells reads a row's mapped cells, refusing what Vouch could not store
// (invalid UTF-8, control characters), as every import does.
func (s *sheetCols) cells(row refsheet.Row) (map[string]string, []rowError) {
	var errs []rowError
	if e := refsheet.ExtraCells(row); e.Reason != "" {
		errs = append(errs, rowError{e, -1})
	}
	out := make(map[string]string, len(s.col))
	for key, i := range s.col {
		cell := strings.TrimSpace(row.Cells[i])
		reason, cause, cleaned := refsheet.CellProblem(cell, refsheet.ColumnLetter(i), s.kind.FieldName(key), false)
		if reason != "" {
			e := s.problem(row.Number, key, vouch.Printable(cell), reason)
			e.Cause = cause
			errs = append(errs, e)
			cell = cleaned
		}
		out[key] = cell
	}
	return out, errs
}

// dateColumns lists the mapped date columns, for refsheet.FileDateOrder.
func (s *sheetCols) dateColumns(keys ...string) []refsheet.DateColumn {
	var out []refsheet.DateColumn
	for _, k := range keys {
		if i, ok := s.col[k]; ok {
			out = append(out, refsheet.DateColumn{Index: i, Field: s.kind.FieldName(k)})
		}
	}
	return out
}

// reporter fills a report row by row.
type reporter struct {
	report  *refsheet.Report
	repeats map[int][]int // a row's number → the numbers of the rows repeating it
	order   []int
}

func newReporter(sheet *refsheet.Sheet, m refsheet.Mapping) *reporter {
	return &reporter{report: &refsheet.Report{Rows: len(sheet.Rows), Ignored: m.Unmapped(sheet.Headers), Footer: sheet.Footer},
		repeats: map[int][]int{}}
}

func (r *reporter) reject(errs []rowError) {
	slices.SortStableFunc(errs, func(a, b rowError) int { return a.col - b.col })
	r.report.Rejected++
	for _, e := range errs {
		r.report.Errors = append(r.report.Errors, e.RowError)
	}
}

func (r *reporter) repeat(first, row int) {
	if _, ok := r.repeats[first]; !ok {
		r.order = append(r.order, first)
	}
	r.repeats[first] = append(r.repeats[first], row)
	r.report.Repeated++
}

func (r *reporter) done() *refsheet.Report {
	slices.Sort(r.order)
	for _, first := range r.order {
		r.report.Repeats = append(r.report.Repeats, refsheet.Repeat{Row: first, Rows: r.repeats[first]})
	}
	return r.report
}

func checkMapping(sheet *refsheet.Sheet, k *refsheet.ColumnSet, m refsheet.Mapping) (refsheet.Mapping, error) {
	if m == nil {
		m = k.AutoMap(sheet.Headers)
	}
	if len(m) != len(sheet.Headers) {
		return nil, fmt.Errorf("mapping has %d columns for %d headers", len(m), len(sheet.Headers))
	}
	if err := k.Check(m, sheet.Headers); err != nil {
		return nil, vouch.Errorf(vouch.EINVALID, "%s: %s", sheet.Name, vouch.ErrorMessage(err))
	}
	return m, nil
}
