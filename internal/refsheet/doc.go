// Package refsheet moves references between Vouch and spreadsheets: the
// columns, header mapping, validation, an all-or-nothing import, and CSV and
// XLSX export.
//
// One column layout (Columns) serves both directions, so an export
// re-imports to the same data. An import goes in three steps, each of
// which a caller (the command line, the web UI) can show to a person:
//
//	sheet, err := refsheet.Read(name, file, refsheet.ReadOptions{})  // CSV or XLSX, by content
//	mapping := refsheet.AutoMap(sheet.Headers)                        // headers → columns
//	err = mapping.Override(sheet.Headers, fromMappingFile)            // optional
//	report, err := refsheet.Plan(ctx, db, sheet, mapping, opts)       // dry run: writes nothing
//	report, err = refsheet.Apply(ctx, db, sheet, mapping, opts, progress)
//
// Errors returned by Read, Plan and Apply concern the whole file (not a
// spreadsheet, a required column missing) and are *vouch.Error with a
// message fit to show. Problems with rows are not errors: they are listed in
// Report.Errors, one per cell, with the spreadsheet's row number and header.
// GroupProblems groups them by cause (each unknown picklist value once,
// with its rows), and Choices lists the ways to go on from a dry run — all
// rows, adding the unknown values, the valid rows only — with the rows each
// imports and leaves out, the one importing most first.
//
// Rules an import follows:
//   - A reference is matched by CRM ID, else by email (case-insensitive),
//     else, when the row has neither, by name within its account. An account
//     is matched by its CRM ID, else by name. Anything unmatched is created.
//   - Empty cells never erase stored values; columns the sheet lacks are left alone.
//   - Picklist values are matched ignoring case, spacing and dash style;
//     unknown ones fail their row with a suggestion, or are added with
//     Options.AddMissing.
//   - A status change follows the lifecycle (vouch.CheckTransition); a
//     disallowed move fails the row.
//   - Everything is written in one transaction (store.DB.Batch): all valid
//     rows or, when a row is bad and Options.ValidOnly is not set, nothing.
//   - A row whose every mapped cell repeats an earlier row is imported
//     once, as that row (Report.Repeats), or has that row's problems.
//     Rows that name the same person but differ stay problems.
//   - A reference the file matches exactly is not written at all, so
//     importing the same file twice leaves no trace in the audit log.
//
// Export writes index hits (the current filtered view) with Write.
package refsheet
