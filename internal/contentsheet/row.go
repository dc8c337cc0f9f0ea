package contentsheet

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// rowCtx reads one row's cells and collects its problems.
type rowCtx struct {
	*refsheet.Cells
	p *planner
}

func (p *planner) newRow(row refsheet.Row) *rowCtx {
	return &rowCtx{Cells: refsheet.NewCells(p.sheet, p.col, FieldName, row), p: p}
}

// rowData is a row's cells, parsed: the item as the row gives it, and
// which columns have a non-empty cell.
type rowData struct {
	item vouch.ContentItem
	has  map[string]bool
}

// cell returns the cell of a column as read ("" when the sheet lacks the column).
func (c *rowCtx) cell(key string) string { return c.Cell(key) }

// failValue records a value missing from a picklist (or an account Vouch
// does not have): adding it, with Options.AddMissing, fixes the problem.
func (c *rowCtx) failValue(key, value, reason, picklist string) {
	e := c.Fail(key, value, reason)
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
		c.Fail(key, c.cell(key), fields[f])
	}
}

// checkRetired refuses a retired value the stored item (had) does not have:
// it may stay where it is, but is not newly given, as in content.Service.
func (c *rowCtx) checkRetired(had, it *vouch.ContentItem) {
	if v := c.p.values.Retired(it.TypeID); v != nil && had.TypeID != it.TypeID {
		c.Fail("type", v.Name, vouch.RetiredValue(v))
	}
	for _, t := range tagColumns {
		for _, id := range it.TagIDs(t.kind) {
			if v := c.p.values.Retired(id); v != nil && !slices.Contains(had.TagIDs(t.kind), id) {
				c.Fail(t.key, v.Name, vouch.RetiredValue(v))
			}
		}
	}
}

// parse reads every mapped cell of the row, collecting problems.
func (c *rowCtx) parse() *rowData {
	p := c.p
	d := &rowData{has: map[string]bool{}}
	// Summary and body may hold line breaks.
	c.CheckRow(func(key string) bool { return key == "summary" || key == "body" })
	for key := range p.col {
		if c.cell(key) != "" {
			d.has[key] = true
		}
	}
	it := &d.item
	it.Title = strings.Join(strings.Fields(c.cell("title")), " ")
	if it.Title == "" {
		c.Fail("title", "", "is empty; every content item needs a title")
	}
	if s := c.cell("type"); s == "" {
		c.Fail("type", "", "is empty; every content item needs a type: case study, video, quote …")
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
				c.Fail(f.key, s, reason)
			}
			*f.dst = day
		}
	}
	if s := c.cell("owner"); s != "" {
		if id, ok := p.users[vouch.NormalizeEmail(s)]; ok {
			it.OwnerID = id
		} else {
			c.Fail("owner", s, "no Vouch user has this email")
		}
	}
	if s := c.cell("state"); s != "" {
		st, reason := parseState(s)
		if reason != "" {
			c.Fail("state", s, reason)
		}
		it.State = st
	}
	it.ApprovedBy = strings.Join(strings.Fields(c.cell("approved_by")), " ")
	if len(it.ApprovedBy) > 200 {
		c.Fail("approved_by", it.ApprovedBy, "is longer than 200 characters")
	}
	if s := c.cell("approval_method"); s != "" {
		m, reason := parseMethod(s)
		if reason != "" {
			c.Fail("approval_method", s, reason)
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
			c.Fail("accounts", name, "is longer than 200 characters")
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
			c.Fail("references", s, reason)
			continue
		}
		id := c.p.refs[email]
		if id == 0 {
			c.Fail("references", s, "no reference in Vouch has this email")
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
