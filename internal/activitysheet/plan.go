package activitysheet

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// progressEvery is how many activities are written between progress reports.
const progressEvery = 500

// snapshot is what an import compares a sheet with, read in one go.
type snapshot struct {
	*store.Snapshot
	opps   []*vouch.Opportunity
	logged map[string]bool // store.ActivityKey of every activity
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
	opps, err := db.AllOpportunities(ctx)
	if err != nil {
		return nil, err
	}
	logged, err := db.ActivityKeys(ctx)
	if err != nil {
		return nil, err
	}
	p := newPlanner(sheet, mapping, opts, snapshot{snap, opps, logged})
	p.run()
	return p.report, nil
}

// Apply imports the sheet in one transaction: every valid row is written,
// or nothing is. When a row is bad nothing is written unless opts.ValidOnly
// is set; either way the report lists every problem. progress, when not
// nil, is called as activities are written.
func Apply(ctx context.Context, db *store.DB, sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options, progress func(done, total int)) (*refsheet.Report, error) {
	mapping, err := checkMapping(sheet, mapping)
	if err != nil {
		return nil, err
	}
	return refsheet.ApplyPlan(ctx, db, sheet.Name, opts, progress, func(b *store.Batch) (*refsheet.Report, func(*store.Batch, func(done, total int)) error, error) {
		snap, err := b.Snapshot()
		if err != nil {
			return nil, nil, err
		}
		opps, err := b.Opportunities()
		if err != nil {
			return nil, nil, err
		}
		logged, err := b.ActivityKeys()
		if err != nil {
			return nil, nil, err
		}
		p := newPlanner(sheet, mapping, opts, snapshot{snap, opps, logged})
		p.run()
		// The service checks every activity as it checks one logged by hand,
		// against the picklists as this transaction reads them.
		svc := references.New(db, catalogOf(snap.Values))
		return p.report, func(b *store.Batch, progress func(done, total int)) error {
			return p.write(b, svc, progress)
		}, nil
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

// planner decides, row by row, what an import does. It reads nothing but
// the snapshot, so Plan and Apply decide alike.
type planner struct {
	sheet  *refsheet.Sheet
	opts   refsheet.Options
	snap   snapshot
	xlsx   bool
	report *refsheet.Report

	col      map[string]int // column key → sheet index
	mapped   []int          // the sheet indexes of the mapped columns
	values   *refsheet.Picklists
	byEmail  map[string]int64
	byCRM    map[string]int64 // a reference's CRM id → its id
	oppByCRM map[string]*vouch.Opportunity
	oppNames map[string][]*vouch.Opportunity // name key → the opportunities with it

	seen    map[string]int // an activity's key → the row that first gave it
	creates []*vouch.Activity
}

func newPlanner(sheet *refsheet.Sheet, m refsheet.Mapping, opts refsheet.Options, snap snapshot) *planner {
	p := &planner{sheet: sheet, opts: opts, snap: snap, xlsx: sheet.Format == "xlsx",
		report: &refsheet.Report{Rows: len(sheet.Rows), Ignored: m.Unmapped(sheet.Headers), Footer: sheet.Footer},
		col:    map[string]int{}, values: refsheet.NewPicklists(snap.Values),
		byEmail: map[string]int64{}, byCRM: map[string]int64{}, oppByCRM: map[string]*vouch.Opportunity{},
		oppNames: map[string][]*vouch.Opportunity{}, seen: map[string]int{}}
	for i, c := range m {
		if c != "" {
			p.col[c] = i
			p.mapped = append(p.mapped, i)
		}
	}
	for _, r := range snap.References {
		if r.Email != "" {
			p.byEmail[vouch.NormalizeEmail(r.Email)] = r.ID
		}
		if r.CRMID != "" {
			p.byCRM[r.CRMID] = r.ID
		}
	}
	for _, o := range snap.opps {
		if o.CRMID != "" {
			p.oppByCRM[o.CRMID] = o
		}
		k := nameKey(o.Name)
		p.oppNames[k] = append(p.oppNames[k], o)
	}
	return p
}

func nameKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func (p *planner) run() {
	refsheet.Walk(p.sheet, p.mapped, p.report, p.planRow)
}

func (p *planner) planRow(_ int, row refsheet.Row) []refsheet.RowError {
	c := p.newRow(row)
	a := c.parse()
	if c.OK() {
		key := store.ActivityKey(a.ReferenceID, a.TypeID, a.OccurredOn, a.OpportunityID)
		switch first, dup := p.seen[key]; {
		case dup:
			c.FailBecause("", "", fmt.Sprintf("is the same activity as row %d (reference, type, date and opportunity), with other cells", first),
				"is the same activity as an earlier row, with other cells")
		case p.snap.logged[key]:
			p.seen[key] = row.Number
			p.report.Unchanged++
		default:
			p.seen[key] = row.Number
			p.creates = append(p.creates, a)
			p.report.Created++
		}
	}
	return c.Errors()
}

// write saves the planned activities inside the import's batch, through
// the references service, in chunks so progress moves.
func (p *planner) write(b *store.Batch, svc *references.Service, progress func(done, total int)) error {
	total := len(p.creates)
	for start := 0; start < total; start += progressEvery {
		end := min(total, start+progressEvery)
		if err := svc.LogActivities(b, p.creates[start:end]); err != nil {
			return err
		}
		if progress != nil {
			progress(end, total)
		}
	}
	return nil
}

// catalog is the picklists as an import's transaction reads them, for
// references.Service.
type catalog struct {
	byID   map[int64]*vouch.TaxonomyValue
	values []*vouch.TaxonomyValue
}

func catalogOf(values []*vouch.TaxonomyValue) *catalog {
	c := &catalog{byID: map[int64]*vouch.TaxonomyValue{}, values: values}
	for _, v := range values {
		c.byID[v.ID] = v
	}
	return c
}

func (c *catalog) Value(id int64) *vouch.TaxonomyValue { return c.byID[id] }

func (c *catalog) Values(kind vouch.TaxonomyKind, includeRetired bool) []*vouch.TaxonomyValue {
	var out []*vouch.TaxonomyValue
	for _, v := range c.values {
		if v.Kind == kind && (includeRetired || !v.Retired) {
			out = append(out, v)
		}
	}
	return out
}

func atoi(s string) (int, error) {
	return strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
}
