package refsheet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Layout is a kind of sheet Vouch imports: how its headers map to columns
// and which columns it needs. References is this package's own; other
// importers (internal/contentsheet) give theirs, and share everything else:
// reading CSV and XLSX, finding the header row, mapping files, the report,
// GroupProblems and Choices.
type Layout struct {
	AutoMap     func(headers []string) Mapping
	Check       func(m Mapping, headers []string) error
	ParseColumn func(s string) (string, error)
	Requires    string // the required columns, for messages: "account and name"
}

// References is the layout of a sheet of accounts and references.
var References = Layout{AutoMap: AutoMap, Check: Mapping.Check, ParseColumn: ParseColumn, Requires: "account and name"}

// fits reports whether headers, with overrides applied, are this layout's header row.
func (l *Layout) fits(headers []string, overrides map[string]string) bool {
	m := l.AutoMap(headers)
	if m.Override(headers, overrides) != nil {
		return false
	}
	return l.Check(m, headers) == nil
}

// ReadMapping reads a mapping file of the layout: a JSON object from
// spreadsheet header to column, e.g. {"Client": "account", "Notes": ""}.
func (l *Layout) ReadMapping(r io.Reader) (map[string]string, error) {
	var raw map[string]string
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("the mapping file is not a JSON object of header to column, like {\"Client\": \"account\"}: %v", err)
	}
	out := make(map[string]string, len(raw))
	for h, c := range raw {
		col, err := l.ParseColumn(c)
		if err != nil {
			return nil, fmt.Errorf("mapping file, header %q: %v", h, err)
		}
		out[h] = col
	}
	return out, nil
}

// The cell readers and checks below are the ones the reference import
// uses, for other importers to read cells alike: the same dates, emails,
// lists, picklist matching and "did you mean".

// HeaderKey reduces a header to lower-case letters and digits, as AutoMap compares headers.
func HeaderKey(s string) string { return headerKey(s) }

// ColumnLetter is a spreadsheet's name of the column at index i: A, B, …, Z, AA.
func ColumnLetter(i int) string { return columnLetter(i) }

// ParseDate reads a day as the reference import does (ISO, written-out and
// American slashed dates; Excel serial numbers from XLSX), or gives a reason.
func ParseDate(s string, xlsx bool) (vouch.Date, string) { return parseDate(s, xlsx) }

// ParseEmail reads an email address ("Name <a@b.example>" too), or gives a reason.
func ParseEmail(s string) (string, string) { return parseEmail(s) }

// SplitList splits a multi-valued cell on ";", or on "," when it has no ";".
func SplitList(s string) []string { return splitList(s) }

// QuoteList writes 'a', 'b' for a message; "(none)" when empty.
func QuoteList(items []string) string { return quoteList(items) }

// Unknown is the reason for a value not among options: "did you mean …?"
// when one is close enough, else otherwise.
func Unknown(s string, options []string, otherwise string) string {
	return unknown(s, options, otherwise)
}

// KindName is a picklist's name in the singular: "Industry", "Company size".
func KindName(k vouch.TaxonomyKind) string { return kindName(k) }

// CellProblem says why a cell of a field cannot be stored (invalid UTF-8, a
// control character; long text may hold tabs and line breaks), as a row
// error reason, and gives the cell cleaned of what it refused; "" when fine.
func CellProblem(cell string, letter, field string, long bool) (reason, cause, cleaned string) {
	problem := vouch.TextProblem(cell, long)
	if problem == "" {
		return "", "", cell
	}
	reason = fmt.Sprintf("%s in column %s (the %s field); remove it and import again", problem, letter, field)
	if strings.HasPrefix(problem, "contains a control character") {
		cause = "contains a control character; remove it and import again"
	}
	return reason, cause, withoutControls(cell, long)
}

// ExtraCells is the row error of a ragged row, "" when it has none.
func ExtraCells(row Row) RowError {
	if len(row.Extra) == 0 {
		return RowError{}
	}
	what := fmt.Sprintf("%d cells", len(row.Extra))
	if len(row.Extra) == 1 {
		what = "a cell"
	}
	return RowError{Row: row.Number, col: -1, Reason: fmt.Sprintf(
		"%s to the right of the last header (%s); put cells that contain the separator in quotes",
		what, quoteList(row.Extra)), Cause: "cells to the right of the last header; put cells that contain the separator in quotes"}
}

// Picklists finds taxonomy values by name as the reference import does
// (case, spacing, dashes, common aliases; retired values known), and keeps
// the values an import adds, with made-up negative ids until stored.
type Picklists struct{ p *picklists }

// NewPicklists indexes values (a store.Snapshot's).
func NewPicklists(values []*vouch.TaxonomyValue) *Picklists {
	return &Picklists{newPicklists(values)}
}

// Find returns the id of the value of kind named s, or 0 and the reason
// (with a suggestion) when it is unknown; with add, an unknown value is added.
func (p *Picklists) Find(kind vouch.TaxonomyKind, s string, add bool) (int64, string) {
	return p.p.find(kind, s, add)
}

// Retired returns the retired value with id, or nil.
func (p *Picklists) Retired(id int64) *vouch.TaxonomyValue { return p.p.retired[id] }

// Added lists the values Find added, in order (ids -1, -2, …).
func (p *Picklists) Added() []*vouch.TaxonomyValue { return p.p.added }
