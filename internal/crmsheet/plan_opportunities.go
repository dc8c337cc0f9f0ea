package crmsheet

import (
	"context"
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/deals"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// PlanOpportunities works out what importing a CRM export of deals would
// do, without writing.
func PlanOpportunities(ctx context.Context, db *store.DB, sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options) (*refsheet.Report, error) {
	cols, order, err := opportunitySheet(sheet, mapping, opts)
	if err != nil {
		return nil, err
	}
	snap, err := db.AccountSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	opps, err := db.AllOpportunities(ctx)
	if err != nil {
		return nil, err
	}
	rep, _ := planOpportunities(sheet, cols, opts, order, snap, settings, opps)
	return rep, nil
}

// ApplyOpportunities imports a CRM export of deals in one transaction:
// every valid row is written, or nothing is (refsheet.ApplyPlan).
func ApplyOpportunities(ctx context.Context, db *store.DB, sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options, progress func(done, total int)) (*refsheet.Report, error) {
	cols, order, err := opportunitySheet(sheet, mapping, opts)
	if err != nil {
		return nil, err
	}
	settings, err := db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	return refsheet.ApplyPlan(ctx, db, sheet.Name, opts, progress, func(b *store.Batch) (*refsheet.Report, func(*store.Batch, func(done, total int)) error, error) {
		snap, err := b.AccountSnapshot()
		if err != nil {
			return nil, nil, err
		}
		opps, err := b.Opportunities()
		if err != nil {
			return nil, nil, err
		}
		rep, plan := planOpportunities(sheet, cols, opts, order, snap, settings, opps)
		return rep, plan.Write, nil
	})
}

// opportunitySheet checks the mapping and the file's date order.
func opportunitySheet(sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options) (*sheetCols, refsheet.DateOrder, error) {
	m, err := checkMapping(sheet, opportunities, mapping)
	if err != nil {
		return nil, "", err
	}
	cols := newSheetCols(sheet, opportunities, m)
	order, err := refsheet.FileDateOrder(sheet, cols.dateColumns("close_date", "created_on"), opts.DateOrder)
	if err != nil {
		return nil, "", err
	}
	return cols, order, nil
}

func planOpportunities(sheet *refsheet.Sheet, cols *sheetCols, opts refsheet.Options, order refsheet.DateOrder,
	snap *store.Snapshot, settings vouch.ProgramSettings, opps []*vouch.Opportunity) (*refsheet.Report, *deals.Plan) {
	existing := make(map[string]*vouch.Opportunity, len(opps))
	for _, o := range opps {
		if o.CRMID != "" {
			existing[o.CRMID] = o
		}
	}
	plan := deals.NewPlan(snap, settings, existing, deals.Options{DateOrder: order, XLSX: sheet.Format == "xlsx", AddMissing: opts.AddMissing})
	r := newReporter(sheet, cols.mappingOf())
	firstRow := map[string]int{} // a CRM id → the row that first gave it
	for _, row := range sheet.Rows {
		cells, errs := cols.cells(row)
		var in deals.Input
		for key, v := range cells {
			// An empty cell never erases what Vouch has: CRM reports leave
			// out what a deal lacks, and a narrower report must not clear it.
			if v != "" {
				in.Set(deals.Field(key), v)
			}
		}
		if len(errs) > 0 {
			r.reject(errs)
			continue
		}
		outcome, problems := plan.Add(fmt.Sprintf("row %d", row.Number), in)
		for _, p := range problems {
			e := cols.problem(row.Number, fieldColumn(p.Field), p.Value, p.Reason)
			e.Picklist, e.Missing = p.Picklist, p.Missing
			if strings.HasPrefix(p.Reason, "is the same opportunity as row ") {
				e.Cause = "is the same opportunity as an earlier row, with other values; keep one of them"
			}
			errs = append(errs, e)
		}
		switch outcome {
		case deals.Rejected:
			r.reject(errs)
			continue
		case deals.Created:
			r.report.Created++
		case deals.Updated:
			r.report.Updated++
		case deals.Unchanged:
			r.report.Unchanged++
		case deals.Repeated:
			r.repeat(firstRow[in.Get(deals.FieldCRMID)], row.Number)
			continue
		}
		firstRow[in.Get(deals.FieldCRMID)] = row.Number
	}
	r.report.ValuesCreated = plan.ValuesAdded()
	return r.done(), plan
}

// fieldColumn is the column of a problem's field: the column keys are the
// fields, but for the store's names.
func fieldColumn(f deals.Field) string {
	switch f {
	case "owner":
		return string(deals.FieldOwner)
	case "amount_cents":
		return string(deals.FieldAmount)
	}
	return string(f)
}

// mappingOf rebuilds the mapping the columns came from.
func (s *sheetCols) mappingOf() refsheet.Mapping {
	m := make(refsheet.Mapping, len(s.sheet.Headers))
	for key, i := range s.col {
		m[i] = key
	}
	return m
}
