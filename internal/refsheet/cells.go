package refsheet

import (
	"slices"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Cells reads one row of a sheet for the reference import's siblings
// (content, activities, CRM deals) and collects the row's problems, each
// at its column, so a row's problems list left to right.
type Cells struct {
	Row   Row
	sheet *Sheet
	col   map[string]int // column key → sheet index
	field func(key string) string
	errs  []cellError
	clean bool // Row.Cells is a copy without control characters
}

// cellError is a problem with the sheet index of its column (-1: the whole
// row; past the last header: a column the sheet lacks).
type cellError struct {
	RowError
	col int
}

// NewCells reads row of sheet, whose columns col gives by key; field names
// the Vouch field a key fills, for messages.
func NewCells(sheet *Sheet, col map[string]int, field func(key string) string, row Row) *Cells {
	return &Cells{Row: row, sheet: sheet, col: col, field: field}
}

// Cell returns the cell of a column as read ("" when the sheet lacks the column).
func (c *Cells) Cell(key string) string {
	if i, ok := c.col[key]; ok {
		return c.Row.Cells[i]
	}
	return ""
}

// Has says whether the sheet has the column.
func (c *Cells) Has(key string) bool {
	_, ok := c.col[key]
	return ok
}

// Fail records a problem with a column's cell (key "": the whole row).
func (c *Cells) Fail(key, value, reason string) *RowError {
	return c.FailBecause(key, value, reason, "")
}

// FailBecause is Fail, with cause wording the problem alike for every row
// when reason names other rows ("the same id as row 4").
func (c *Cells) FailBecause(key, value, reason, cause string) *RowError {
	e := cellError{RowError: RowError{Row: c.Row.Number, Value: value, Reason: reason, Cause: cause}, col: -1}
	if key != "" {
		e.Field = c.field(key)
		e.Column = e.Field
		e.col = len(c.sheet.Headers)
		if i, ok := c.col[key]; ok {
			e.Column, e.Letter, e.col = c.sheet.Headers[i], columnLetter(i), i
		}
	}
	c.errs = append(c.errs, e)
	return &c.errs[len(c.errs)-1].RowError
}

// CheckRow refuses cells beyond the last header, and the cells Vouch could
// not store or show (invalid UTF-8, control characters; the columns
// multiline allows may hold line breaks), as the reference import does; the
// rest of the row is read without them.
func (c *Cells) CheckRow(multiline func(key string) bool) {
	if e := ExtraCells(c.Row); e.Reason != "" {
		c.errs = append(c.errs, cellError{e, -1})
	}
	for key, i := range c.col {
		reason, cause, cleaned := CellProblem(c.Row.Cells[i], columnLetter(i), c.field(key), multiline(key))
		if reason == "" {
			continue
		}
		e := c.Fail(key, vouch.Printable(c.Row.Cells[i]), reason)
		e.Cause = cause
		if !c.clean {
			c.Row.Cells, c.clean = slices.Clone(c.Row.Cells), true
		}
		c.Row.Cells[i] = cleaned
	}
}

// OK says whether the row has no problem so far.
func (c *Cells) OK() bool { return len(c.errs) == 0 }

// Errors are the row's problems, left to right.
func (c *Cells) Errors() []RowError {
	slices.SortStableFunc(c.errs, func(a, b cellError) int { return a.col - b.col })
	errs := make([]RowError, len(c.errs))
	for i, e := range c.errs {
		errs[i] = e.RowError
	}
	return errs
}
