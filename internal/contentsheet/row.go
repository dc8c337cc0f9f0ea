package contentsheet

import (
	"fmt"
	"maps"
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

// rowCtx collects one row's cells and problems.
type rowCtx struct {
	p       *planner
	row     refsheet.Row
	errs    []rowError
	cleaned bool // row.Cells is a copy without control characters
}

// rowData is a row's cells, parsed: the item as the row gives it, and
// which columns have a non-empty cell.
type rowData struct {
	item vouch.ContentItem
	has  map[string]bool
}

// cell returns the value of a column ("" when the sheet lacks the column).
func (c *rowCtx) cell(key string) string {
	if i, ok := c.p.col[key]; ok {
		return c.row.Cells[i]
	}
	return ""
}

func (c *rowCtx) fail(key, value, reason string) *refsheet.RowError {
	return c.failBecause(key, value, reason, "")
}

// failBecause records a problem with a column's cell (key "": the whole
// row); cause words it alike for every row, when reason names other rows.
func (c *rowCtx) failBecause(key, value, reason, cause string) *refsheet.RowError {
	e := rowError{RowError: refsheet.RowError{Row: c.row.Number, Value: value, Reason: reason, Cause: cause}, col: -1}
	if key != "" {
		e.Field = FieldName(key)
		e.Column = e.Field
		e.col = len(c.p.sheet.Headers)
		if i, ok := c.p.col[key]; ok {
			e.Column, e.Letter, e.col = c.p.sheet.Headers[i], refsheet.ColumnLetter(i), i
		}
	}
	c.errs = append(c.errs, e)
	return &c.errs[len(c.errs)-1].RowError
}

// failValue records a value missing from a picklist (or an account Vouch
// does not have): adding it, with Options.AddMissing, fixes the problem.
func (c *rowCtx) failValue(key, value, reason, picklist string) {
	e := c.fail(key, value, reason)
	if !c.p.opts.AddMissing {
		e.Picklist, e.Missing, e.Cause = picklist, value, "not a known "+strings.ToLower(picklist)
	}
}

// fieldOf is the column of a field a validation names.
var fieldOf = map[string]string{"method": "approval_method", "note": ""}

// fieldErrors records the problems of a vouch.Validation, each at its column.
func (c *rowCtx) fieldErrors(err error) {
	fields := vouch.ErrorFields(err)
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		key, ok := fieldOf[f]
		if !ok {
			key = f
		}
		c.fail(key, c.cell(key), fields[f])
	}
}

// checkRetired refuses a retired value the stored item (had) does not have:
// it may stay where it is, but is not newly given, as in content.Service.
func (c *rowCtx) checkRetired(had, it *vouch.ContentItem) {
	if v := c.p.values.Retired(it.TypeID); v != nil && had.TypeID != it.TypeID {
		c.fail("type", v.Name, vouch.RetiredValue(v))
	}
	for _, t := range tagColumns {
		for _, id := range it.TagIDs(t.kind) {
			if v := c.p.values.Retired(id); v != nil && !slices.Contains(had.TagIDs(t.kind), id) {
				c.fail(t.key, v.Name, vouch.RetiredValue(v))
			}
		}
	}
}

// checkText refuses the cells Vouch could not store or show (invalid UTF-8,
// control characters; summary and body may hold line breaks), as the
// reference import does, and reads the rest of the row without them.
func (c *rowCtx) checkText() {
	for key, i := range c.p.col {
		long := key == "summary" || key == "body"
		reason, cause, cleaned := refsheet.CellProblem(c.row.Cells[i], refsheet.ColumnLetter(i), FieldName(key), long)
		if reason == "" {
			continue
		}
		e := c.fail(key, vouch.Printable(c.row.Cells[i]), reason)
		e.Cause = cause
		if !c.cleaned {
			c.row.Cells, c.cleaned = slices.Clone(c.row.Cells), true
		}
		c.row.Cells[i] = cleaned
	}
}

// parse reads every mapped cell of the row, collecting problems.
func (c *rowCtx) parse() *rowData {
	p := c.p
	d := &rowData{has: map[string]bool{}}
	if e := refsheet.ExtraCells(c.row); e.Reason != "" {
		c.errs = append(c.errs, rowError{e, -1})
	}
	c.checkText()
	for key := range p.col {
		if c.cell(key) != "" {
			d.has[key] = true
		}
	}
	it := &d.item
	it.Title = strings.Join(strings.Fields(c.cell("title")), " ")
	if it.Title == "" {
		c.fail("title", "", "is empty; every content item needs a title")
	}
	if s := c.cell("type"); s == "" {
		c.fail("type", "", "is empty; every content item needs a type: case study, video, quote …")
	} else if id, reason := p.values.Find(vouch.TaxContentType, s, p.opts.AddMissing); reason != "" {
		c.failValue("type", s, reason, refsheet.KindName(vouch.TaxContentType))
	} else {
		it.TypeID = id
	}
	it.Summary, it.Body, it.URL, it.Language = c.cell("summary"), c.cell("body"), c.cell("url"), c.cell("language")
	it.AccountIDs = c.accounts()
	it.ReferenceIDs = c.references()
	for _, t := range tagColumns {
		it.SetTagIDs(t.kind, c.values(t.key, t.kind))
	}
	for _, f := range []struct {
		key string
		dst *vouch.Date
	}{{"published_on", &it.PublishedOn}, {"approved_on", &it.ApprovedOn}, {"expires_on", &it.ExpiresOn}} {
		if s := c.cell(f.key); s != "" {
			day, reason := refsheet.ParseDate(s, p.xlsx)
			if reason != "" {
				c.fail(f.key, s, reason)
			}
			*f.dst = day
		}
	}
	if s := c.cell("owner"); s != "" {
		if id, ok := p.users[vouch.NormalizeEmail(s)]; ok {
			it.OwnerID = id
		} else {
			c.fail("owner", s, "no Vouch user has this email")
		}
	}
	if s := c.cell("state"); s != "" {
		st, reason := parseState(s)
		if reason != "" {
			c.fail("state", s, reason)
		}
		it.State = st
	}
	it.ApprovedBy = strings.Join(strings.Fields(c.cell("approved_by")), " ")
	if len(it.ApprovedBy) > 200 {
		c.fail("approved_by", it.ApprovedBy, "is longer than 200 characters")
	}
	if s := c.cell("approval_method"); s != "" {
		m, reason := parseMethod(s)
		if reason != "" {
			c.fail("approval_method", s, reason)
		}
		it.ApprovalMethod = m
	}
	return d
}

// accounts reads the featured accounts, by name.
func (c *rowCtx) accounts() []int64 {
	p := c.p
	var ids []int64
	for _, name := range refsheet.SplitList(c.cell("accounts")) {
		name = strings.Join(strings.Fields(name), " ")
		id, ok := p.accounts[nameKey(name)]
		switch {
		case ok:
		case len(name) > 200:
			c.fail("accounts", name, "is longer than 200 characters")
			continue
		case p.opts.AddMissing:
			id = -int64(len(p.added) + 1)
			p.accounts[nameKey(name)] = id
			p.added = append(p.added, &vouch.Account{ID: id, Name: name, ProductIDs: []int64{}})
		default:
			c.failValue("accounts", name, refsheet.Unknown(name, p.names, "not a known account"), "Account")
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// references reads the featured references, by email.
func (c *rowCtx) references() []int64 {
	var ids []int64
	for _, s := range refsheet.SplitList(c.cell("references")) {
		email, reason := refsheet.ParseEmail(s)
		if reason != "" {
			c.fail("references", s, reason)
			continue
		}
		id := c.p.refs[email]
		if id == 0 {
			c.fail("references", s, "no reference in Vouch has this email")
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// values reads a tag cell: values separated by ";" (or ","), unless the
// whole cell is one known value ("Energy, Oil & Gas").
func (c *rowCtx) values(key string, kind vouch.TaxonomyKind) []int64 {
	s := c.cell(key)
	if s == "" {
		return nil
	}
	items := refsheet.SplitList(s)
	if _, reason := c.p.values.Find(kind, s, false); reason == "" {
		items = []string{s}
	}
	var ids []int64
	for _, item := range items {
		id, reason := c.p.values.Find(kind, item, c.p.opts.AddMissing)
		if reason != "" {
			c.failValue(key, item, reason, refsheet.KindName(kind))
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func parseState(s string) (vouch.ContentState, string) {
	if st, ok := vouch.ParseContentState(s); ok {
		return st, ""
	}
	labels := make([]string, len(vouch.ContentStates))
	for i, st := range vouch.ContentStates {
		labels[i] = st.Label()
	}
	return "", refsheet.Unknown(s, labels,
		"not an approval state; use draft, awaiting approval, approved for external use, approved for internal use only, expired or withdrawn")
}

// methodAliases are the ways people write how consent was given.
var methodAliases = map[string]string{
	"mail": vouch.ApprovalByMail, "email": vouch.ApprovalByMail, "e-mail": vouch.ApprovalByMail,
	"approval mail": vouch.ApprovalByMail, "customer's approval mail": vouch.ApprovalByMail,
	"document": vouch.ApprovalByDocument, "doc": vouch.ApprovalByDocument, "signed document": vouch.ApprovalByDocument,
	"release form": vouch.ApprovalByDocument, "contract": vouch.ApprovalByDocument, "signed": vouch.ApprovalByDocument,
	"internal": vouch.ApprovalInternal, "none": vouch.ApprovalInternal, "not needed": vouch.ApprovalInternal,
	"no customer consent needed": vouch.ApprovalInternal,
}

func parseMethod(s string) (string, string) {
	k := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if m, ok := methodAliases[k]; ok {
		return m, ""
	}
	return "", refsheet.Unknown(k, vouch.ApprovalMethods, fmt.Sprintf("not an approval method; use %s", strings.Join(vouch.ApprovalMethods, ", ")))
}
