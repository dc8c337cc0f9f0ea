// Package crmsheet imports the report exports of a CRM — Salesforce
// reports, HubSpot exports, or any spreadsheet like them — of deals
// (opportunities) and of customer accounts. It is the reference import's
// sibling and shares its parts (internal/refsheet): reading CSV and XLSX
// (a byte order mark, every cell quoted, cells over several lines, the
// report's title above the headers and its footer below the records),
// mapping files, cell readers, picklists, the report.
//
// An import goes in the same steps as the others:
//
//	sheet, err := refsheet.Read(name, file, refsheet.ReadOptions{Layout: &crmsheet.Opportunities})
//	mapping := crmsheet.Opportunities.AutoMap(sheet.Headers)
//	report, err := crmsheet.PlanOpportunities(ctx, db, sheet, mapping, opts)  // dry run
//	report, err = crmsheet.ApplyOpportunities(ctx, db, sheet, mapping, opts, progress)
//
// Rules an import of deals follows (the service that writes them,
// internal/deals, states the rest):
//   - The opportunity id and the name columns are required; the id is what
//     a deal is known by, so importing the same export again changes
//     nothing, and a later export updates the deals that moved.
//   - Empty cells never erase what Vouch has; columns the file lacks are left alone.
//   - Slashed dates are read in one order for the whole file
//     (refsheet.Options.DateOrder: mdy or dmy); without a choice, a date
//     with a part above 12 tells the order, and when none does the file is
//     refused with a message that says how to choose.
//   - Two rows with the same opportunity id are a problem unless every
//     mapped cell is the same: then the deal is imported once.
//   - Everything is written in one transaction: all valid rows or, when a
//     row is bad and Options.ValidOnly is not set, nothing.
//
// Rules an import of accounts follows:
//   - The account id (the CRM's) or the name is required. A row is matched
//     to an account by the CRM id, then the website's domain, then the name
//     (vouch.AccountIndex); an unmatched one is created.
//   - Owner by a Vouch user's email or name; ARR as an amount with its
//     currency; health good, fair or poor; NPS -100 to 100; renewal date and
//     customer since as dates in the file's order.
package crmsheet
