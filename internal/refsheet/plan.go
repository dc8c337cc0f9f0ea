package refsheet

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Options change how an import treats problems.
type Options struct {
	// AddMissing adds unknown taxonomy values (industries, products …) to
	// their picklists, in the same transaction, instead of rejecting the rows.
	AddMissing bool
	// ValidOnly imports the valid rows and skips the others; without it one
	// bad row means nothing is written.
	ValidOnly bool
	// DateOrder is how the file writes slashed dates, for the imports that
	// let a person choose it (CRM deals and accounts, internal/crmsheet);
	// "" lets the file's dates tell (FileDateOrder).
	DateOrder DateOrder
}

// Report says what an import did, or, from Plan, would do. The content
// import (internal/contentsheet) reports in it too: its records are
// content items, and the accounts it adds are among ValuesCreated.
type Report struct {
	Rows            int        // rows read below the header
	Created         int        // new references (content items)
	Updated         int        // references whose fields or status changed
	Unchanged       int        // references the file matches exactly
	Rejected        int        // rows with at least one problem
	Repeated        int        // rows that repeat an imported row exactly, imported once as that row
	AccountsCreated int        // new accounts
	AccountsUpdated int        // accounts whose fields changed
	ValuesCreated   []string   // picklist values added, e.g. "Industry 'Agritech'"
	Ignored         []string   // headers that feed no column
	Errors          []RowError // every problem, in row order
	Repeats         []Repeat   // the rows Repeated counts, by the row they repeat
	Footer          int        // lines of a report's footer below the records, skipped (Sheet.Footer)
	Written         bool       // whether the import was carried out: false for a dry run, or when bad rows stopped it
}

// Repeat is a row and the later rows whose every mapped cell is the same:
// the person is imported once. (A repeat of a row with problems has the
// same problems, under its own row number, and is not listed here.)
type Repeat struct {
	Row  int   // the row imported
	Rows []int // the rows that repeat it, in order
}

// String is the note a person reads: "Rows 12 and 40 repeat row 7 exactly; imported once."
func (r Repeat) String() string {
	verb := "repeats"
	if len(r.Rows) > 1 {
		verb = "repeat"
	}
	return fmt.Sprintf("%s %s row %d exactly; imported once.", ucfirst(rowList(r.Rows, 10)), verb, r.Row)
}

// RowError is one problem with one cell (or a whole row, when Column is "").
type RowError struct {
	Row    int    // the spreadsheet row number
	Column string // the sheet's own header
	Value  string // the cell as read
	Reason string
	// Letter is the sheet's column, "D" ("" for the whole row, or a column
	// the sheet lacks); Field is the Vouch field it fills, "Products".
	Letter string `json:",omitempty"`
	Field  string `json:",omitempty"`
	// Cause is Reason in words alike for every row it hits, when Reason
	// names other rows or records ("the same email as an earlier row");
	// problems are grouped by it (GroupProblems). Empty: Reason.
	Cause string `json:",omitempty"`
	// Picklist and Missing say, for a value missing from a picklist, which
	// one ("Product") and the value as typed: adding it (Options.AddMissing)
	// fixes the problem.
	Picklist string `json:",omitempty"`
	Missing  string `json:",omitempty"`

	col int // the column's index in the sheet (-1 for the row), to list a row's problems left to right
}

// CauseText is what the problem is, alike for every row it hits.
func (e RowError) CauseText() string {
	if e.Cause != "" {
		return e.Cause
	}
	return e.Reason
}

// String is the line a person reads: "row 14, column 'Industry': 'Heathcare' — did you mean 'Healthcare'?".
func (e RowError) String() string {
	where := fmt.Sprintf("row %d", e.Row)
	if e.Column != "" {
		where += fmt.Sprintf(", column '%s'", e.Column)
	}
	if e.Value == "" {
		return where + ": " + e.Reason
	}
	v := e.Value
	if r := []rune(v); len(r) > 60 {
		v = string(r[:57]) + "…"
	}
	return fmt.Sprintf("%s: '%s' — %s", where, strings.ReplaceAll(v, "\n", " "), e.Reason)
}

// Plan works out what importing the sheet would do, without writing: the
// report of creates, updates, unchanged rows and problems.
func Plan(ctx context.Context, db *store.DB, sheet *Sheet, mapping Mapping, opts Options) (*Report, error) {
	mapping, err := checkMapping(sheet, mapping)
	if err != nil {
		return nil, err
	}
	snap, err := db.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	p := newPlanner(sheet, mapping, opts, snap, db.Today())
	p.run()
	return p.report, nil
}

// errRejected rolls back an import that found bad rows.
var errRejected = errors.New("rows rejected")

// Apply imports the sheet in one transaction: every valid row is written,
// or nothing is. When a row is bad nothing is written unless opts.ValidOnly
// is set; either way the report lists every problem. progress, when not
// nil, is called as rows are written.
func Apply(ctx context.Context, db *store.DB, sheet *Sheet, mapping Mapping, opts Options, progress func(done, total int)) (*Report, error) {
	mapping, err := checkMapping(sheet, mapping)
	if err != nil {
		return nil, err
	}
	return ApplyPlan(ctx, db, sheet.Name, opts, progress, func(b *store.Batch) (*Report, func(*store.Batch, func(done, total int)) error, error) {
		snap, err := b.Snapshot()
		if err != nil {
			return nil, nil, err
		}
		p := newPlanner(sheet, mapping, opts, snap, db.Today())
		p.run()
		return p.report, p.write, nil
	})
}

// ApplyPlan is the all-or-nothing rule of every import: in one
// transaction, plan decides from what the transaction sees and gives its
// report and how to write it; the writing happens, and the report says
// Written, only when no row is bad or opts.ValidOnly is set. Otherwise
// nothing is written and the report lists why.
func ApplyPlan(ctx context.Context, db *store.DB, name string, opts Options, progress func(done, total int),
	plan func(b *store.Batch) (*Report, func(*store.Batch, func(done, total int)) error, error)) (*Report, error) {
	var report *Report
	err := db.Batch(ctx, func(b *store.Batch) error {
		rep, write, err := plan(b)
		if err != nil {
			return err
		}
		report = rep
		if len(report.Errors) > 0 && !opts.ValidOnly {
			return errRejected
		}
		if err := write(b, progress); err != nil {
			return err
		}
		report.Written = true
		return nil
	})
	if errors.Is(err, errRejected) {
		return report, nil
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", name, err)
	}
	return report, nil
}

func checkMapping(sheet *Sheet, m Mapping) (Mapping, error) {
	if m == nil {
		m = AutoMap(sheet.Headers)
	}
	if len(m) != len(sheet.Headers) {
		return nil, fmt.Errorf("mapping has %d columns for %d headers", len(m), len(sheet.Headers))
	}
	if err := m.Check(sheet.Headers); err != nil {
		return nil, vouch.Errorf(vouch.EINVALID, "%s: %s", sheet.Name, vouch.ErrorMessage(err))
	}
	return m, nil
}

// accountState is an account as the import sees it: as stored (orig, nil
// for a new one) and as the file's rows want it (acct).
type accountState struct {
	orig    *vouch.Account
	acct    *vouch.Account
	setBy   map[string]fieldSet // field → the row that set it, to catch rows that disagree
	updated bool                // listed in planner.changedAccts
}

type fieldSet struct {
	value string // as compared: a picklist value's id, a name's key
	shown string // as the row has it
	row   int
}

// refUpdate is a change to an existing reference.
type refUpdate struct {
	row    int
	ref    *vouch.Reference    // all fields as they should be; Version as read
	fields bool                // whether fields (not only the status) change
	status *vouch.StatusChange // nil: the status stays
}

// planner decides, row by row, what an import does. It reads nothing but
// the snapshot, so Plan and Apply decide alike.
type planner struct {
	sheet  *Sheet
	opts   Options
	today  vouch.Date
	xlsx   bool
	report *Report

	col        map[string]int      // column key → sheet index
	splits     map[string][]string // multi-valued cells split, by kind and cell
	activities []activityColumn
	values     *picklists
	users      map[string]int64 // email → user id

	accountsByCRM  map[string]*accountState
	accountsByName map[string][]*accountState // existing (by id), then new
	newAccounts    []*accountState
	changedAccts   []*accountState
	nextAccountID  int64 // new accounts get -1, -2, … until stored

	refsByCRM   map[string]*vouch.Reference
	refsByEmail map[string]*vouch.Reference
	refsByName  map[int64]map[string][]*vouch.Reference // account → name key → references

	seenCRM   map[string]int // row that first gave a CRM ID, email, or account+name
	seenEmail map[string]int
	seenName  map[string]int
	claimed   map[int64]int // existing reference → the row that matched it

	creates []*vouch.Reference
	updates []refUpdate

	mapped []int // the sheet indexes of the mapped columns
}

type activityColumn struct {
	index int
	name  string // the activity type the column is for
}

func newPlanner(sheet *Sheet, m Mapping, opts Options, snap *store.Snapshot, today vouch.Date) *planner {
	p := &planner{sheet: sheet, opts: opts, today: today, xlsx: sheet.Format == "xlsx",
		report: &Report{Rows: len(sheet.Rows), Ignored: m.Unmapped(sheet.Headers), Footer: sheet.Footer},
		col:    map[string]int{}, splits: map[string][]string{}, values: newPicklists(snap.Values), users: map[string]int64{},
		accountsByCRM: map[string]*accountState{}, accountsByName: map[string][]*accountState{},
		refsByCRM: map[string]*vouch.Reference{}, refsByEmail: map[string]*vouch.Reference{},
		refsByName: map[int64]map[string][]*vouch.Reference{},
		seenCRM:    map[string]int{}, seenEmail: map[string]int{}, seenName: map[string]int{}, claimed: map[int64]int{}}
	for i, c := range m {
		switch {
		case c == "":
			continue
		case strings.HasPrefix(c, activityPrefix):
			p.activities = append(p.activities, activityColumn{i, c[len(activityPrefix):]})
		default:
			p.col[c] = i
		}
		p.mapped = append(p.mapped, i)
	}
	for id, email := range snap.Users {
		p.users[vouch.NormalizeEmail(email)] = id
	}
	for _, a := range snap.Accounts {
		st := &accountState{orig: a, acct: cloneAccount(a), setBy: map[string]fieldSet{}}
		if a.CRMID != "" {
			p.accountsByCRM[a.CRMID] = st
		}
		k := nameKey(a.Name)
		p.accountsByName[k] = append(p.accountsByName[k], st)
	}
	for _, r := range snap.References {
		if r.CRMID != "" {
			p.refsByCRM[r.CRMID] = r
		}
		if r.Email != "" {
			p.refsByEmail[r.Email] = r
		}
		byName := p.refsByName[r.AccountID]
		if byName == nil {
			byName = map[string][]*vouch.Reference{}
			p.refsByName[r.AccountID] = byName
		}
		k := nameKey(r.Name)
		byName[k] = append(byName[k], r)
	}
	return p
}

func nameKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func (p *planner) run() {
	Walk(p.sheet, p.mapped, p.report, p.planRow)
	for _, v := range p.values.added {
		if p.valueUsed(v.ID) {
			p.report.ValuesCreated = append(p.report.ValuesCreated, fmt.Sprintf("%s '%s'", kindName(v.Kind), v.Name))
		}
	}
	p.report.AccountsCreated = len(p.newAccounts)
	p.report.AccountsUpdated = len(p.changedAccts)
}

// kindName is a picklist's name in the singular: "Industry", "Company size".
func kindName(k vouch.TaxonomyKind) string {
	switch k {
	case vouch.TaxCountry:
		return "Country"
	case vouch.TaxIndustry:
		return "Industry"
	case vouch.TaxCompanySize:
		return "Company size"
	}
	return strings.TrimSuffix(k.Label(), "s")
}

// rowCtx collects one row's cells and problems.
type rowCtx struct {
	p       *planner
	row     Row
	errs    []RowError
	cleaned bool // row.Cells is a copy without control characters
}

// cell returns the value of a column ("" when the sheet lacks the column).
func (c *rowCtx) cell(key string) string {
	if i, ok := c.p.col[key]; ok {
		return c.row.Cells[i]
	}
	return ""
}

// header is the sheet's header of a column, for messages.
func (c *rowCtx) header(key string) string {
	if _, ok := c.p.col[key]; !ok && key == "name" {
		key = colFirstName // the sheet splits names
	}
	if i, ok := c.p.col[key]; ok {
		return c.p.sheet.Headers[i]
	}
	for _, col := range Columns {
		if col.Key == key {
			return col.Header
		}
	}
	return key
}

func (c *rowCtx) fail(key, value, reason string) { c.failBecause(key, value, reason, "") }

// failBecause records a problem whose reason names other rows or records;
// cause says it in words alike for every row, to group the problems by.
func (c *rowCtx) failBecause(key, value, reason, cause string) {
	if _, ok := c.p.col[key]; !ok && key == "name" {
		key = colFirstName
	}
	i, ok := c.p.col[key]
	if !ok {
		i = len(c.p.sheet.Headers)
	}
	e := RowError{Row: c.row.Number, Column: c.header(key), Value: value, Reason: reason, Cause: cause, col: i}
	if key == "" {
		e.col, e.Column = -1, ""
	} else {
		e.Field = fieldName(key)
		if ok {
			e.Letter = columnLetter(i)
		}
	}
	c.errs = append(c.errs, e)
}

// failValue records a picklist value the lookup refused: unknown (a value
// adding would fix, unless values are added already and it is too long)
// or retired.
func (c *rowCtx) failValue(key, value, reason string, kind vouch.TaxonomyKind) {
	c.fail(key, value, reason)
	if !c.p.opts.AddMissing {
		e := &c.errs[len(c.errs)-1]
		e.Picklist, e.Missing, e.Cause = kindName(kind), value, "not a known "+strings.ToLower(kindName(kind))
	}
}

// failAt records a problem with the cell in the sheet's column i.
func (c *rowCtx) failAt(i int, field, value, reason string) *RowError {
	c.errs = append(c.errs, RowError{Row: c.row.Number, Column: c.p.sheet.Headers[i], Letter: columnLetter(i), Field: field,
		Value: value, Reason: reason, col: i})
	return &c.errs[len(c.errs)-1]
}

// rowData is a row's cells, parsed. Empty cells are zero values.
type rowData struct {
	account, accountCRM, domain        string
	industry, segment, region, country int64
	size                               int64
	ref                                vouch.Reference // the fields the row gives
	has                                map[string]bool // columns with a non-empty cell
	activityYes, activityNo            []int64
	status                             vouch.Status
}

func (p *planner) planRow(_ int, row Row) []RowError {
	c := &rowCtx{p: p, row: row}
	d := c.parse()
	p.checkDuplicates(c, d)
	if len(c.errs) == 0 {
		p.planReference(c, d)
	}
	slices.SortStableFunc(c.errs, func(a, b RowError) int { return a.col - b.col })
	return c.errs
}

// checkText refuses the mapped cells Vouch could not store or show: invalid
// UTF-8 and control characters (NUL, ESC, …), the same rule the forms and
// the API apply (vouch.TextProblem); the long-text columns (story, status
// reason) may hold tabs and line breaks. Each such cell is one row error
// naming the column by letter and field, with the cell written with
// escapes; the rest of the row is read with those characters left out, so
// its other problems are listed too.
func (c *rowCtx) checkText() {
	check := func(i int, key, field string) {
		reason, cause, cleaned := CellProblem(c.row.Cells[i], columnLetter(i), field, vouch.LongText(key))
		if reason == "" {
			return
		}
		e := c.failAt(i, field, vouch.Printable(c.row.Cells[i]), reason)
		e.Cause = cause
		if !c.cleaned {
			// The sheet is planned again by Apply: clean a copy of the row.
			c.row.Cells, c.cleaned = slices.Clone(c.row.Cells), true
		}
		c.row.Cells[i] = cleaned
	}
	for key, i := range c.p.col {
		check(i, key, fieldName(key))
	}
	for _, a := range c.p.activities {
		check(a.index, "", activityField(a.name))
	}
}

// fieldName is the Vouch field a column key fills, as the export heads it.
func fieldName(key string) string {
	switch key {
	case colFirstName:
		return "First name"
	case colLastName:
		return "Last name"
	}
	for _, col := range Columns {
		if col.Key == key {
			return col.Header
		}
	}
	return key
}

// activityField is the field of a yes/no column for one activity type.
func activityField(name string) string { return fmt.Sprintf("activity type '%s'", name) }

// columnLetter is a spreadsheet's name of the column at index i: A, B, …, Z, AA.
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// withoutControls is s without invalid bytes and control characters (but
// tab and line breaks in long text).
func withoutControls(s string, multiline bool) string {
	return strings.Map(func(r rune) rune {
		if vouch.TextProblem(string(r), multiline) != "" {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// parse reads every mapped cell of the row, collecting problems.
func (c *rowCtx) parse() *rowData {
	p := c.p
	d := &rowData{has: map[string]bool{}}
	if e := ExtraCells(c.row); e.Reason != "" {
		c.errs = append(c.errs, e)
	}
	c.checkText()
	for key := range p.col {
		if c.cell(key) != "" {
			d.has[key] = true
		}
	}
	d.account = strings.Join(strings.Fields(c.cell("account")), " ")
	if d.account == "" {
		c.fail("account", "", "is empty; every reference needs an account")
	} else if len(d.account) > 200 {
		c.fail("account", d.account, "is longer than 200 characters")
	}
	d.accountCRM = plainNumber(c.cell("account_crm_id"), p.xlsx)
	if s := c.cell("account_domain"); s != "" {
		d.domain = vouch.NormalizeDomain(s)
		if !strings.Contains(d.domain, ".") || strings.ContainsAny(d.domain, " /@") {
			c.fail("account_domain", s, "not a website like example.com")
		}
	}
	for _, f := range []struct {
		key  string
		kind vouch.TaxonomyKind
		dst  *int64
	}{{"industry", vouch.TaxIndustry, &d.industry}, {"segment", vouch.TaxSegment, &d.segment},
		{"region", vouch.TaxRegion, &d.region}, {"country", vouch.TaxCountry, &d.country},
		{"company_size", vouch.TaxCompanySize, &d.size}} {
		if s := c.cell(f.key); s != "" {
			id, reason := p.values.find(f.kind, s, p.opts.AddMissing)
			if reason != "" {
				c.failValue(f.key, s, reason, f.kind)
			}
			*f.dst = id
		}
	}

	r := &d.ref
	r.Name = strings.Join(strings.Fields(c.cell("name")), " ")
	if r.Name == "" {
		r.Name = strings.Join(strings.Fields(c.cell(colFirstName)+" "+c.cell(colLastName)), " ")
	}
	if r.Name == "" {
		c.fail("name", "", "is empty; every reference needs a name")
	} else if len(r.Name) > 200 {
		c.fail("name", r.Name, "is longer than 200 characters")
	}
	r.Title = c.cell("title")
	r.Phone = plainNumber(c.cell("phone"), p.xlsx)
	r.Story = c.cell("story")
	if len(r.Story) > 20000 {
		c.fail("story", "", "is longer than 20,000 characters")
	}
	r.StatusReason = c.cell("status_reason")
	r.CRMID = plainNumber(c.cell("crm_id"), p.xlsx)
	parseInto := func(key string, parse func(string) (string, string), dst *string) {
		if s := c.cell(key); s != "" {
			v, reason := parse(s)
			if reason != "" {
				c.fail(key, s, reason)
			}
			*dst = v
		}
	}
	parseInto("seniority", parseSeniority, &r.Seniority)
	parseInto("deployment", parseDeployment, &r.Deployment)
	parseInto("email", parseEmail, &r.Email)
	parseInto("time_zone", parseTimeZone, &r.TimeZone)
	if s := c.cell("owner"); s != "" {
		if id, ok := p.users[vouch.NormalizeEmail(s)]; ok {
			r.OwnerID = id
		} else {
			c.fail("owner", s, "no Vouch user has this email")
		}
	}
	for _, f := range []struct {
		key string
		dst *vouch.Date
	}{{"go_live", &r.GoLive}, {"last_verified", &r.LastVerified}, {"resting_until", &r.RestingUntil}} {
		if s := c.cell(f.key); s != "" {
			day, reason := parseDate(s, p.xlsx)
			if reason != "" {
				c.fail(f.key, s, reason)
			}
			*f.dst = day
		}
	}
	if s := c.cell("status"); s != "" {
		st, reason := parseStatus(s)
		if reason != "" {
			c.fail("status", s, reason)
		}
		d.status = st
	}
	if s := c.cell("capacity"); s != "" {
		n, reason := parseCapacity(s)
		if reason != "" {
			c.fail("capacity", s, reason)
		}
		r.CapacityOverride = n
	}
	r.Languages = splitList(c.cell("languages"))
	for _, f := range []struct {
		key  string
		kind vouch.TaxonomyKind
		dst  *[]int64
	}{{"products", vouch.TaxProduct, &r.ProductIDs}, {"use_cases", vouch.TaxUseCase, &r.UseCaseIDs},
		{"competitors_replaced", vouch.TaxCompetitor, &r.CompetitorIDs}} {
		*f.dst = c.values(f.key, f.kind)
	}
	r.Activities = c.agreedActivities()
	for _, a := range p.activities {
		s := c.row.Cells[a.index]
		if s == "" {
			continue
		}
		yes, reason := parseBool(s)
		if reason != "" {
			c.failAt(a.index, activityField(a.name), s, reason)
			continue
		}
		id, reason := p.values.find(vouch.TaxActivityType, a.name, p.opts.AddMissing)
		if reason != "" {
			e := c.failAt(a.index, activityField(a.name), s,
				fmt.Sprintf("the column is for the activity type '%s', which is %s", a.name, strings.TrimPrefix(reason, "not ")))
			if !p.opts.AddMissing {
				e.Picklist, e.Missing, e.Cause = kindName(vouch.TaxActivityType), a.name, "not a known activity type"
			}
			continue
		}
		if yes {
			d.activityYes = append(d.activityYes, id)
		} else {
			d.activityNo = append(d.activityNo, id)
		}
	}
	return d
}

// values reads a multi-valued picklist cell into sorted, distinct ids.
func (c *rowCtx) values(key string, kind vouch.TaxonomyKind) []int64 {
	s := c.cell(key)
	if s == "" {
		return nil
	}
	var ids []int64
	for _, item := range c.p.items(kind, s) {
		id, reason := c.p.values.find(kind, item, c.p.opts.AddMissing)
		if reason != "" {
			c.failValue(key, item, reason, kind)
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// items splits a multi-valued cell, unless the whole cell is one known
// value (a name with a comma in it, like "Energy, Oil & Gas"). Cells repeat
// from row to row, so each is split once.
func (p *planner) items(kind vouch.TaxonomyKind, s string) []string {
	key := string(kind) + "\x00" + s
	if out, ok := p.splits[key]; ok {
		return out
	}
	out := splitList(s)
	if _, ok := p.values.byKey[kind][valueKey(s)]; ok {
		out = []string{s}
	}
	p.splits[key] = out
	return out
}

// agreedActivities reads "Call; Case study (2026-01-05)": activity types,
// each with the day consent was given when known.
func (c *rowCtx) agreedActivities() []vouch.AgreedActivity {
	s := c.cell("activities")
	if s == "" {
		return nil
	}
	var out []vouch.AgreedActivity
	for _, item := range c.p.items(vouch.TaxActivityType, s) {
		name, day := item, vouch.Date{}
		if i := strings.LastIndex(item, "("); i > 0 && strings.HasSuffix(item, ")") {
			if d, reason := parseDate(strings.TrimSpace(item[i+1:len(item)-1]), false); reason == "" {
				name, day = strings.TrimSpace(item[:i]), d
			}
		}
		id, reason := c.p.values.find(vouch.TaxActivityType, name, c.p.opts.AddMissing)
		if reason != "" {
			c.failValue("activities", name, reason, vouch.TaxActivityType)
			continue
		}
		if !slices.ContainsFunc(out, func(a vouch.AgreedActivity) bool { return a.TypeID == id }) {
			out = append(out, vouch.AgreedActivity{TypeID: id, ConsentedOn: day})
		}
	}
	sortActivities(out)
	return out
}

// sortActivities orders agreed activities as the database returns them.
func sortActivities(as []vouch.AgreedActivity) {
	slices.SortFunc(as, func(a, b vouch.AgreedActivity) int { return int(a.TypeID - b.TypeID) })
}

// checkDuplicates reports a row that names the same person as an earlier
// row: the same CRM ID, the same email, or (with neither) the same account and name.
func (p *planner) checkDuplicates(c *rowCtx, d *rowData) {
	crm, email := d.ref.CRMID, d.ref.Email
	if crm != "" {
		if first, ok := p.seenCRM[crm]; ok {
			c.failBecause("crm_id", crm, fmt.Sprintf("the same CRM ID as row %d", first), "the same CRM ID as an earlier row")
		} else {
			p.seenCRM[crm] = c.row.Number
		}
	}
	if email != "" {
		if first, ok := p.seenEmail[email]; ok {
			c.failBecause("email", c.cell("email"), fmt.Sprintf("the same email as row %d", first), "the same email as an earlier row")
		} else {
			p.seenEmail[email] = c.row.Number
		}
	}
	if crm == "" && email == "" && d.account != "" && d.ref.Name != "" {
		k := nameKey(d.accountCRM+"\x00"+d.account) + "\x00" + nameKey(d.ref.Name)
		if first, ok := p.seenName[k]; ok {
			c.failBecause("name", d.ref.Name, fmt.Sprintf("the same account and name as row %d, and neither row has an email or CRM ID to tell them apart", first),
				"the same account and name as an earlier row, and neither row has an email or CRM ID to tell them apart")
		} else {
			p.seenName[k] = c.row.Number
		}
	}
}

// planReference matches the row to an account and a reference and records
// what to write. Nothing is recorded for a row with a problem.
func (p *planner) planReference(c *rowCtx, d *rowData) {
	st, isNewAccount := p.findAccount(d)
	acctChanges := p.accountChanges(c, st, d)

	existing := p.matchReference(c, d, st)
	if len(c.errs) > 0 {
		return
	}
	var r *vouch.Reference
	var status *vouch.StatusChange
	if existing == nil {
		r = cloneReference(&d.ref)
		r.Status = d.status
		if r.Status == "" {
			r.Status = vouch.StatusNominated
		}
		if r.Status != vouch.StatusResting {
			r.RestingUntil = vouch.Date{}
		} else if r.RestingUntil.IsZero() {
			c.fail("status", c.cell("status"), "a resting reference needs the day it is active again, in a "+c.header("resting_until")+" column")
		}
		r.Activities = mergeActivities(r.Activities, nil, d)
	} else {
		r = p.merge(existing, d)
		status = p.statusChange(c, existing, d)
	}
	r.AccountID = st.acct.ID
	if r.AccountID == 0 {
		r.AccountID = -1 // a new account, numbered when the row is recorded
	}
	p.checkShared(c, existing, r, d)
	if err := validate(r); err != nil {
		fields := vouch.ErrorFields(err)
		for _, field := range slices.Sorted(maps.Keys(fields)) {
			c.fail(field, "", fields[field])
		}
	}
	if len(c.errs) > 0 {
		return
	}

	// The row is good: record its account and reference.
	if isNewAccount {
		p.addAccount(st)
	}
	p.applyAccountChanges(st, acctChanges)
	r.AccountID = st.acct.ID
	if existing == nil {
		p.creates = append(p.creates, r)
		p.report.Created++
		return
	}
	p.claimed[existing.ID] = c.row.Number
	fields := referenceChanged(existing, r)
	if !fields && status == nil {
		p.report.Unchanged++
		return
	}
	p.updates = append(p.updates, refUpdate{row: c.row.Number, ref: r, fields: fields, status: status})
	p.report.Updated++
}

// findAccount finds the row's account: by account CRM ID, else by name
// (an account with another CRM ID is another company); else a new one.
func (p *planner) findAccount(d *rowData) (*accountState, bool) {
	if d.accountCRM != "" {
		if st, ok := p.accountsByCRM[d.accountCRM]; ok {
			return st, false
		}
	}
	for _, st := range p.accountsByName[nameKey(d.account)] {
		if d.accountCRM == "" || st.acct.CRMID == "" {
			return st, false
		}
	}
	a := &vouch.Account{Name: d.account, CRMID: d.accountCRM, ProductIDs: []int64{}}
	return &accountState{acct: a, setBy: map[string]fieldSet{}}, true
}

func (p *planner) addAccount(st *accountState) {
	p.nextAccountID--
	st.acct.ID = p.nextAccountID
	p.newAccounts = append(p.newAccounts, st)
	if st.acct.CRMID != "" {
		p.accountsByCRM[st.acct.CRMID] = st
	}
	k := nameKey(st.acct.Name)
	p.accountsByName[k] = append(p.accountsByName[k], st)
}

// accountChange is one account field a row sets.
type accountChange struct {
	field string // column key
	set   fieldSet
	apply func(a *vouch.Account) // nil when the value is already stored
}

// accountChanges works out which account fields the row sets, and fails
// the row where an earlier row set the same field of the same account
// differently. Nothing changes until applyAccountChanges.
func (p *planner) accountChanges(c *rowCtx, st *accountState, d *rowData) []accountChange {
	a := st.acct
	var out []accountChange
	// same compares as the field's values compare (ids for picklists), shown is the cell.
	add := func(key, same string, stored bool, apply func(a *vouch.Account)) {
		shown := c.cell(key)
		if prev, ok := st.setBy[key]; ok && prev.value != same {
			c.failBecause(key, shown, fmt.Sprintf("row %d gives %s the %s '%s'", prev.row, a.Name, strings.ToLower(c.header(key)), prev.shown),
				fmt.Sprintf("an earlier row gives the account another %s", strings.ToLower(c.header(key))))
			return
		}
		if stored && st.orig != nil {
			apply = nil // the same as stored: remembered only, to catch a later row that disagrees
		}
		out = append(out, accountChange{key, fieldSet{value: same, shown: shown, row: c.row.Number}, apply})
	}
	if st.orig != nil && d.accountCRM != "" && nameKey(d.account) != nameKey(a.Name) {
		name := d.account
		add("account", nameKey(name), false, func(a *vouch.Account) { a.Name = name })
	}
	if d.accountCRM != "" && a.CRMID == "" {
		crm := d.accountCRM
		add("account_crm_id", crm, false, func(a *vouch.Account) { a.CRMID = crm })
	}
	if d.domain != "" {
		domain := d.domain
		add("account_domain", domain, domain == a.Domain, func(a *vouch.Account) { a.Domain = domain })
	}
	for _, f := range []struct {
		key string
		id  int64
		dst func(a *vouch.Account) *int64
	}{{"industry", d.industry, func(a *vouch.Account) *int64 { return &a.IndustryID }},
		{"segment", d.segment, func(a *vouch.Account) *int64 { return &a.SegmentID }},
		{"region", d.region, func(a *vouch.Account) *int64 { return &a.RegionID }},
		{"country", d.country, func(a *vouch.Account) *int64 { return &a.CountryID }},
		{"company_size", d.size, func(a *vouch.Account) *int64 { return &a.SizeID }}} {
		if f.id == 0 {
			continue
		}
		id, dst := f.id, f.dst
		if v := p.values.retired[id]; v != nil && id != *dst(a) {
			c.fail(f.key, c.cell(f.key), vouch.RetiredValue(v)) // a value the account has stays; a retired one is not newly given
			continue
		}
		add(f.key, fmt.Sprint(id), id == *dst(a), func(a *vouch.Account) { *dst(a) = id })
	}
	return out
}

func (p *planner) applyAccountChanges(st *accountState, changes []accountChange) {
	changed := false
	for _, ch := range changes {
		if _, ok := st.setBy[ch.field]; !ok {
			st.setBy[ch.field] = ch.set
		}
		if ch.apply != nil {
			ch.apply(st.acct)
			changed = true
		}
	}
	if changed && st.orig != nil && !st.updated && accountChanged(st.orig, st.acct) {
		st.updated = true
		p.changedAccts = append(p.changedAccts, st)
	}
}

// matchReference finds the stored reference the row is about: by CRM ID,
// else by email, else (with neither) by name within the account.
func (p *planner) matchReference(c *rowCtx, d *rowData, st *accountState) *vouch.Reference {
	crm, email := d.ref.CRMID, d.ref.Email
	var r *vouch.Reference
	if crm != "" {
		r = p.refsByCRM[crm]
	}
	if email != "" {
		if e := p.refsByEmail[email]; e != nil && e != r {
			switch {
			case r != nil:
				c.failBecause("email", c.cell("email"), fmt.Sprintf("already the email of another reference in Vouch, %s", p.describe(e)),
					"already the email of another reference in Vouch")
				return nil
			case crm != "" && e.CRMID != "":
				c.failBecause("email", c.cell("email"), fmt.Sprintf("already the email of %s, whose CRM ID is '%s', not '%s'", p.describe(e), e.CRMID, crm),
					"already the email of a reference in Vouch with another CRM ID")
				return nil
			}
			r = e
		}
	}
	if r == nil && crm == "" && email == "" && st.orig != nil {
		same := p.refsByName[st.orig.ID][nameKey(d.ref.Name)]
		if len(same) > 1 {
			c.failBecause("name", d.ref.Name, fmt.Sprintf("%d references at %s have this name; add an email or CRM ID column to tell them apart", len(same), st.orig.Name),
				"several references at the account have this name; add an email or CRM ID column to tell them apart")
			return nil
		}
		if len(same) == 1 {
			r = same[0]
		}
	}
	if r != nil {
		if first, ok := p.claimed[r.ID]; ok {
			c.failBecause("", "", fmt.Sprintf("matches the same reference as row %d (%s)", first, p.describe(r)), "matches the same reference as an earlier row")
			return nil
		}
	}
	return r
}

func (p *planner) describe(r *vouch.Reference) string {
	return fmt.Sprintf("%s (#%d)", r.Name, r.ID)
}

// merge applies the row's non-empty cells to a copy of an existing
// reference. An empty cell never erases a stored value.
func (p *planner) merge(existing *vouch.Reference, d *rowData) *vouch.Reference {
	r := cloneReference(existing)
	in := &d.ref
	text := func(key string, dst *string, v string) {
		// Compare trimmed: a stored value with stray spaces is not a change.
		if d.has[key] && v != strings.TrimSpace(*dst) {
			*dst = v
		}
	}
	has := func(key string) bool { return d.has[key] }
	if has("name") || has(colFirstName) || has(colLastName) {
		text("name", &r.Name, in.Name)
	}
	text("title", &r.Title, in.Title)
	text("phone", &r.Phone, in.Phone)
	text("story", &r.Story, in.Story)
	text("crm_id", &r.CRMID, in.CRMID)
	if has("seniority") {
		r.Seniority = in.Seniority
	}
	if has("deployment") {
		r.Deployment = in.Deployment
	}
	if has("email") {
		r.Email = in.Email
	}
	if has("time_zone") {
		r.TimeZone = in.TimeZone
	}
	if has("owner") {
		r.OwnerID = in.OwnerID
	}
	if has("go_live") {
		r.GoLive = in.GoLive
	}
	if has("last_verified") {
		r.LastVerified = in.LastVerified
	}
	if has("capacity") {
		r.CapacityOverride = in.CapacityOverride
	}
	if has("languages") {
		r.Languages = in.Languages
	}
	if has("products") {
		r.ProductIDs = in.ProductIDs
	}
	if has("use_cases") {
		r.UseCaseIDs = in.UseCaseIDs
	}
	if has("competitors_replaced") {
		r.CompetitorIDs = in.CompetitorIDs
	}
	listed := r.Activities
	if has("activities") {
		listed = in.Activities
	}
	r.Activities = mergeActivities(listed, existing.Activities, d)
	return r
}

// mergeActivities applies the yes/no activity columns to a list of agreed
// activities, keeping the consent day already stored when the file has none.
func mergeActivities(list, stored []vouch.AgreedActivity, d *rowData) []vouch.AgreedActivity {
	out := make([]vouch.AgreedActivity, 0, len(list)+len(d.activityYes))
	for _, a := range list {
		if !slices.Contains(d.activityNo, a.TypeID) {
			out = append(out, a)
		}
	}
	for _, id := range d.activityYes {
		if !slices.ContainsFunc(out, func(a vouch.AgreedActivity) bool { return a.TypeID == id }) {
			out = append(out, vouch.AgreedActivity{TypeID: id})
		}
	}
	for i, a := range out {
		if a.ConsentedOn.IsZero() {
			for _, s := range stored {
				if s.TypeID == a.TypeID {
					out[i].ConsentedOn = s.ConsentedOn
				}
			}
		}
	}
	sortActivities(out)
	return out
}

// statusChange works out the lifecycle move a row asks of an existing
// reference, failing the row when the lifecycle does not allow it.
func (p *planner) statusChange(c *rowCtx, existing *vouch.Reference, d *rowData) *vouch.StatusChange {
	to := d.status
	if to == "" {
		return nil
	}
	until := d.ref.RestingUntil
	if to == existing.Status && (to != vouch.StatusResting || until.IsZero() || until == existing.RestingUntil) {
		return nil
	}
	from := existing.EffectiveStatus(p.today)
	if to == from && to != vouch.StatusResting {
		return nil // a rest that has ended: already active
	}
	ch := vouch.StatusChange{To: to, Reason: d.ref.StatusReason, Until: until}
	if err := vouch.CheckTransition(from, ch, p.today); err != nil {
		fields := vouch.ErrorFields(err)
		switch {
		case fields["reason"] != "":
			c.fail("status", c.cell("status"), fmt.Sprintf("a reason is required when a reference becomes %s; give one in a %s column",
				strings.ToLower(to.Label()), c.header("status_reason")))
		case fields["until"] != "" && until.IsZero():
			c.fail("status", c.cell("status"), "a resting reference needs the day it is active again, in a "+c.header("resting_until")+" column")
		case fields["until"] != "":
			c.fail("resting_until", c.cell("resting_until"), "must be after today")
		default:
			msg := vouch.ErrorMessage(err)
			c.fail("status", c.cell("status"), strings.ToLower(msg[:1])+strings.TrimSuffix(msg[1:], "."))
		}
		return nil
	}
	return &ch
}

func (p *planner) valueUsed(id int64) bool {
	uses := func(ids []int64) bool { return slices.Contains(ids, id) }
	for _, r := range p.creates {
		if uses(r.ProductIDs) || uses(r.UseCaseIDs) || uses(r.CompetitorIDs) ||
			slices.ContainsFunc(r.Activities, func(a vouch.AgreedActivity) bool { return a.TypeID == id }) {
			return true
		}
	}
	for _, u := range p.updates {
		r := u.ref
		if uses(r.ProductIDs) || uses(r.UseCaseIDs) || uses(r.CompetitorIDs) ||
			slices.ContainsFunc(r.Activities, func(a vouch.AgreedActivity) bool { return a.TypeID == id }) {
			return true
		}
	}
	for _, st := range append(slices.Clone(p.newAccounts), p.changedAccts...) {
		a := st.acct
		if a.IndustryID == id || a.SegmentID == id || a.RegionID == id || a.CountryID == id || a.SizeID == id {
			return true
		}
	}
	return false
}

// referenceChanged compares what an import can set, exactly as the store
// does: id lists as sets, activities and languages in order.
func referenceChanged(a, b *vouch.Reference) bool {
	return a.AccountID != b.AccountID || a.Name != b.Name || a.Title != b.Title || a.Seniority != b.Seniority ||
		a.Email != b.Email || a.Phone != b.Phone || a.TimeZone != b.TimeZone ||
		!slices.Equal(a.Languages, b.Languages) || !sameIDs(a.ProductIDs, b.ProductIDs) ||
		!sameIDs(a.UseCaseIDs, b.UseCaseIDs) || !sameIDs(a.CompetitorIDs, b.CompetitorIDs) ||
		!slices.Equal(a.Activities, b.Activities) || a.Deployment != b.Deployment || a.GoLive != b.GoLive ||
		a.Story != b.Story || a.OwnerID != b.OwnerID || a.LastVerified != b.LastVerified ||
		!sameCapacity(a.CapacityOverride, b.CapacityOverride) || a.CRMID != b.CRMID
}

func accountChanged(a, b *vouch.Account) bool {
	return a.Name != b.Name || a.CRMID != b.CRMID || a.Domain != b.Domain || a.IndustryID != b.IndustryID ||
		a.SegmentID != b.SegmentID || a.RegionID != b.RegionID || a.CountryID != b.CountryID || a.SizeID != b.SizeID
}

func sameIDs(a, b []int64) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func sameCapacity(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func cloneReference(r *vouch.Reference) *vouch.Reference {
	c := *r
	c.Languages = slices.Clone(r.Languages)
	c.ProductIDs = slices.Clone(r.ProductIDs)
	c.UseCaseIDs = slices.Clone(r.UseCaseIDs)
	c.CompetitorIDs = slices.Clone(r.CompetitorIDs)
	c.Activities = slices.Clone(r.Activities)
	if r.CapacityOverride != nil {
		n := *r.CapacityOverride
		c.CapacityOverride = &n
	}
	return &c
}

func cloneAccount(a *vouch.Account) *vouch.Account {
	c := *a
	c.ProductIDs = slices.Clone(a.ProductIDs)
	if a.NPS != nil {
		n := *a.NPS
		c.NPS = &n
	}
	return &c
}

// validate is r.Validate without its time zone check, which reads the zone
// database from disk for every reference; parse checked the zone already.
func validate(r *vouch.Reference) error {
	tz := r.TimeZone
	r.TimeZone = ""
	err := r.Validate()
	r.TimeZone = tz
	return err
}

// checkShared holds the row to the rules every way of saving a reference
// shares (docs/references.md): a retired value is not newly given, and the
// day of the last verification is not in the future.
func (p *planner) checkShared(c *rowCtx, existing, r *vouch.Reference, d *rowData) {
	had := &vouch.Reference{}
	if existing != nil {
		had = existing
	}
	var hadActs, acts []int64
	for _, a := range had.Activities {
		hadActs = append(hadActs, a.TypeID)
	}
	for _, a := range r.Activities {
		acts = append(acts, a.TypeID)
	}
	for _, f := range []struct {
		key       string
		ids, kept []int64
	}{{"products", r.ProductIDs, had.ProductIDs}, {"use_cases", r.UseCaseIDs, had.UseCaseIDs},
		{"competitors_replaced", r.CompetitorIDs, had.CompetitorIDs}, {"activities", acts, hadActs}} {
		for _, id := range f.ids {
			if v := p.values.retired[id]; v != nil && !slices.Contains(f.kept, id) {
				c.fail(f.key, v.Name, vouch.RetiredValue(v))
			}
		}
	}
	if d.has["last_verified"] {
		if reason := vouch.CheckVerifiedOn(r.LastVerified, p.today); reason != "" {
			c.fail("last_verified", c.cell("last_verified"), reason)
		}
	}
}
