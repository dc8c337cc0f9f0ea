package contentsheet

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// snapshot is what an import compares a content list with.
type snapshot struct {
	*store.Snapshot
	items  []*vouch.ContentItem
	months int // the program's consent period
}

// Plan works out what importing the sheet would do, without writing.
func Plan(ctx context.Context, db *store.DB, sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options) (*refsheet.Report, error) {
	mapping, err := checkMapping(sheet, mapping)
	if err != nil {
		return nil, err
	}
	snap, err := db.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	items, err := db.ContentItems(ctx, nil)
	if err != nil {
		return nil, err
	}
	ps, err := db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	p := newPlanner(ctx, sheet, mapping, opts, snapshot{snap, items, ps.ConsentMonths}, db.Today())
	p.run()
	return p.report, nil
}

// Apply imports the sheet in one transaction: every valid row is written,
// or nothing is. When a row is bad nothing is written unless opts.ValidOnly
// is set; either way the report lists every problem. progress, when not
// nil, is called as items are written.
func Apply(ctx context.Context, db *store.DB, sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options, progress func(done, total int)) (*refsheet.Report, error) {
	mapping, err := checkMapping(sheet, mapping)
	if err != nil {
		return nil, err
	}
	ps, err := db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	return refsheet.ApplyPlan(ctx, db, sheet.Name, opts, progress, func(b *store.Batch) (*refsheet.Report, func(*store.Batch, func(done, total int)) error, error) {
		snap, err := b.Snapshot()
		if err != nil {
			return nil, nil, err
		}
		items, err := b.ContentItems()
		if err != nil {
			return nil, nil, err
		}
		p := newPlanner(ctx, sheet, mapping, opts, snapshot{snap, items, ps.ConsentMonths}, db.Today())
		p.run()
		return p.report, p.write, nil
	})
}

func checkMapping(sheet *refsheet.Sheet, m refsheet.Mapping) (refsheet.Mapping, error) {
	if m == nil {
		m = AutoMap(sheet.Headers)
	}
	if len(m) != len(sheet.Headers) {
		return nil, fmt.Errorf("mapping has %d columns for %d headers", len(m), len(sheet.Headers))
	}
	if err := Check(m, sheet.Headers); err != nil {
		return nil, vouch.Errorf(vouch.EINVALID, "%s: %s", sheet.Name, vouch.ErrorMessage(err))
	}
	return m, nil
}

// update is a change to a stored item.
type update struct {
	row    int
	item   *vouch.ContentItem        // every field as it should be; Version as read
	fields bool                      // whether fields (not only the state) change
	state  *vouch.ContentStateChange // nil: the state stays
}

// planner decides, row by row, what an import does. It reads nothing but
// the snapshot, so Plan and Apply decide alike.
type planner struct {
	sheet  *refsheet.Sheet
	opts   refsheet.Options
	snap   snapshot
	today  vouch.Date
	xlsx   bool
	owner  int64 // of new items: the person importing
	report *refsheet.Report

	col      map[string]int // column key → sheet index
	mapped   []int          // the sheet indexes of the mapped columns
	values   *refsheet.Picklists
	users    map[string]int64
	refs     map[string]int64 // email → reference id
	accounts map[string]int64 // name key → account id; new ones -1, -2, …
	names    []string         // account names, for suggestions
	added    []*vouch.Account // accounts to create

	byURL   map[string]*vouch.ContentItem
	byTitle map[string][]*vouch.ContentItem // type id + title key

	seen    map[string]int // an item's key (URL, else type and title) → the row that first gave it
	claimed map[int64]int  // stored item → the row that matched it
	creates []*vouch.ContentItem
	updates []update
}

func newPlanner(ctx context.Context, sheet *refsheet.Sheet, m refsheet.Mapping, opts refsheet.Options, snap snapshot, today vouch.Date) *planner {
	p := &planner{sheet: sheet, opts: opts, snap: snap, today: today, xlsx: sheet.Format == "xlsx",
		owner:  vouch.ActorFrom(ctx).UserID,
		report: &refsheet.Report{Rows: len(sheet.Rows), Ignored: m.Unmapped(sheet.Headers), Footer: sheet.Footer},
		col:    map[string]int{}, values: refsheet.NewPicklists(snap.Values), users: map[string]int64{},
		refs: map[string]int64{}, accounts: map[string]int64{}, byURL: map[string]*vouch.ContentItem{},
		byTitle: map[string][]*vouch.ContentItem{}, seen: map[string]int{},
		claimed: map[int64]int{}}
	for i, c := range m {
		if c != "" {
			p.col[c] = i
			p.mapped = append(p.mapped, i)
		}
	}
	for id, email := range snap.Users {
		p.users[vouch.NormalizeEmail(email)] = id
	}
	for _, r := range snap.References {
		if r.Email != "" {
			p.refs[vouch.NormalizeEmail(r.Email)] = r.ID
		}
	}
	for _, a := range snap.Accounts {
		k := nameKey(a.Name)
		if _, ok := p.accounts[k]; !ok {
			p.accounts[k] = a.ID
			p.names = append(p.names, a.Name)
		}
	}
	for _, it := range snap.items {
		if it.URL != "" {
			p.byURL[urlKey(it.URL)] = it
		}
		k := titleKey(it.TypeID, it.Title)
		p.byTitle[k] = append(p.byTitle[k], it)
	}
	return p
}

func nameKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// urlKey compares links as a browser would open them: scheme and host in any case.
func urlKey(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.Index(u, "://"); i > 0 {
		rest := u[i+3:]
		j := strings.IndexAny(rest, "/?#")
		if j < 0 {
			j = len(rest)
		}
		return strings.ToLower(u[:i+3]+rest[:j]) + strings.TrimSuffix(rest[j:], "/")
	}
	return u
}

func titleKey(typeID int64, title string) string { return fmt.Sprint(typeID) + "\x00" + nameKey(title) }

func (p *planner) run() {
	refsheet.Walk(p.sheet, p.mapped, p.report, p.planRow)
	values, accounts := p.usedIDs()
	for _, v := range p.values.Added() {
		if values[v.ID] {
			p.report.ValuesCreated = append(p.report.ValuesCreated, fmt.Sprintf("%s '%s'", refsheet.KindName(v.Kind), v.Name))
		}
	}
	for _, a := range p.added {
		if accounts[a.ID] {
			p.report.ValuesCreated = append(p.report.ValuesCreated, fmt.Sprintf("Account '%s'", a.Name))
		}
	}
}

// usedIDs are the made-up ids of added picklist values and accounts that
// the planned writes refer to: only those are added (a value given only by
// rows left out is not).
func (p *planner) usedIDs() (values, accounts map[int64]bool) {
	values, accounts = map[int64]bool{}, map[int64]bool{}
	add := func(it *vouch.ContentItem) {
		values[it.TypeID] = true
		for _, k := range vouch.ContentTagKinds {
			for _, id := range it.TagIDs(k) {
				values[id] = true
			}
		}
		for _, id := range it.AccountIDs {
			accounts[id] = true
		}
	}
	for _, it := range p.creates {
		add(it)
	}
	for _, u := range p.updates {
		add(u.item)
	}
	return values, accounts
}

func (p *planner) planRow(_ int, row refsheet.Row) []refsheet.RowError {
	c := p.newRow(row)
	d := c.parse()
	if c.OK() {
		p.planItem(c, d)
	}
	return c.Errors()
}

// match finds the stored item a row is about: by URL, else by title and
// type (an item with another URL is another item).
func (p *planner) match(it *vouch.ContentItem) *vouch.ContentItem {
	if it.URL != "" {
		if m := p.byURL[urlKey(it.URL)]; m != nil {
			return m
		}
	}
	for _, m := range p.byTitle[titleKey(it.TypeID, it.Title)] {
		if it.URL == "" || m.URL == "" {
			return m
		}
	}
	return nil
}

// planItem matches the row to a stored item and records what to write.
func (p *planner) planItem(c *rowCtx, d *rowData) {
	in := d.item
	key := "title\x00" + titleKey(in.TypeID, in.Title)
	what := "the same title and type"
	if in.URL != "" {
		key, what = "url\x00"+urlKey(in.URL), "the same URL"
	}
	if first, ok := p.seen[key]; ok {
		field := "title"
		if in.URL != "" {
			field = "url"
		}
		c.FailBecause(field, c.cell(field), fmt.Sprintf("%s as row %d", what, first), what+" as an earlier row")
		return
	}
	p.seen[key] = c.Row.Number
	existing := p.match(&in)
	if existing != nil {
		if first, ok := p.claimed[existing.ID]; ok {
			c.FailBecause("", "", fmt.Sprintf("matches the same content item as row %d (%s, #%d)", first, existing.Title, existing.ID),
				"matches the same content item as an earlier row")
			return
		}
	}
	if existing == nil {
		p.planCreate(c, d)
		return
	}
	p.planUpdate(c, d, existing)
}

func (p *planner) planCreate(c *rowCtx, d *rowData) {
	it := d.item
	if it.OwnerID == 0 {
		it.OwnerID = p.owner
	}
	c.fieldErrors(it.Validate())
	c.checkRetired(&vouch.ContentItem{}, &it)
	c.fieldErrors(it.CheckNewState(p.today, p.snap.months))
	if !c.OK() {
		return
	}
	p.creates = append(p.creates, &it)
	p.report.Created++
}

// planUpdate applies the row's non-empty cells to a copy of a stored item;
// an empty cell never erases a stored value.
func (p *planner) planUpdate(c *rowCtx, d *rowData, existing *vouch.ContentItem) {
	it := cloneItem(existing)
	in, has := &d.item, d.has
	text := func(key string, dst *string, v string) {
		if has[key] {
			*dst = v
		}
	}
	text("title", &it.Title, in.Title)
	text("summary", &it.Summary, in.Summary)
	text("body", &it.Body, in.Body)
	text("url", &it.URL, in.URL)
	text("language", &it.Language, in.Language)
	if has["type"] {
		it.TypeID = in.TypeID
	}
	if has["published_on"] {
		it.PublishedOn = in.PublishedOn
	}
	if has["owner"] {
		it.OwnerID = in.OwnerID
	}
	if has["accounts"] {
		it.AccountIDs = in.AccountIDs
	}
	if has["references"] {
		it.ReferenceIDs = in.ReferenceIDs
	}
	for _, t := range tagColumns {
		if has[t.key] {
			it.SetTagIDs(t.kind, in.TagIDs(t.kind))
		}
	}
	c.fieldErrors(it.Validate())
	c.checkRetired(existing, it)
	state := p.stateChange(c, d, existing)
	if !c.OK() {
		return
	}
	p.claimed[existing.ID] = c.Row.Number
	fields := contentChanged(existing, it)
	if !fields && state == nil {
		p.report.Unchanged++
		return
	}
	p.updates = append(p.updates, update{row: c.Row.Number, item: it, fields: fields, state: state})
	p.report.Updated++
}

// stateChange works out the lifecycle move a row asks of a stored item:
// none when its state cell is empty or names the state the item is in with
// the approval it has.
func (p *planner) stateChange(c *rowCtx, d *rowData, existing *vouch.ContentItem) *vouch.ContentStateChange {
	in, has := &d.item, d.has
	approval := has["approved_by"] || has["approval_method"] || has["approved_on"] || has["expires_on"]
	from := existing.EffectiveState(p.today)
	if !has["state"] {
		if approval && (in.ApprovedBy != existing.ApprovedBy && has["approved_by"] ||
			in.ApprovalMethod != existing.ApprovalMethod && has["approval_method"] ||
			in.ExpiresOn != existing.ExpiresOn && has["expires_on"]) {
			c.Fail("state", "", "is empty, but the row changes the approval; give the approval state too")
		}
		return nil
	}
	same := in.State == from &&
		(!has["approved_by"] || in.ApprovedBy == existing.ApprovedBy) &&
		(!has["approval_method"] || in.ApprovalMethod == existing.ApprovalMethod) &&
		(!has["expires_on"] || in.ExpiresOn == existing.ExpiresOn)
	if same {
		return nil
	}
	ch := vouch.ContentStateChange{To: in.State, ApprovedBy: existing.ApprovedBy, Method: existing.ApprovalMethod,
		ExpiresOn: in.ExpiresOn, Note: "Imported from " + p.sheet.Name}
	if has["approved_by"] {
		ch.ApprovedBy = in.ApprovedBy
	}
	if has["approval_method"] {
		ch.Method = in.ApprovalMethod
	}
	if from == vouch.ContentExpired && existing.State.Approved() && in.State == vouch.ContentExpired {
		return nil // consent ended already; the daily job records it
	}
	if err := vouch.CheckContentTransition(from, &ch, p.today, p.snap.months); err != nil {
		if len(vouch.ErrorFields(err)) == 1 && vouch.ErrorFields(err)["state"] != "" {
			msg := vouch.ErrorMessage(err)
			c.Fail("state", c.cell("state"), strings.ToLower(msg[:1])+strings.TrimSuffix(msg[1:], "."))
			return nil
		}
		c.fieldErrors(err)
		return nil
	}
	return &ch
}

// contentChanged compares what an import sets, as the store does: id lists as sets.
func contentChanged(a, b *vouch.ContentItem) bool {
	if a.TypeID != b.TypeID || a.Title != b.Title || a.Summary != b.Summary || a.Body != b.Body || a.URL != b.URL ||
		a.Language != b.Language || a.PublishedOn != b.PublishedOn || a.OwnerID != b.OwnerID ||
		!sameIDs(a.AccountIDs, b.AccountIDs) || !sameIDs(a.ReferenceIDs, b.ReferenceIDs) {
		return true
	}
	for _, k := range vouch.ContentTagKinds {
		if !sameIDs(a.TagIDs(k), b.TagIDs(k)) {
			return true
		}
	}
	return false
}

func sameIDs(a, b []int64) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func cloneItem(it *vouch.ContentItem) *vouch.ContentItem {
	c := *it
	c.AccountIDs = slices.Clone(it.AccountIDs)
	c.ReferenceIDs = slices.Clone(it.ReferenceIDs)
	for _, k := range vouch.ContentTagKinds {
		c.SetTagIDs(k, slices.Clone(it.TagIDs(k)))
	}
	return &c
}
