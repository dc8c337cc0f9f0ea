// Package activitysheet imports a program's past reference activity — who
// did which reference activity, when, for which deal — from a CSV or XLSX
// file, so the program's influence on revenue is measurable from its first
// day in Vouch. It is the reference import's sibling and shares its parts
// (internal/refsheet): reading the file and finding the header row, mapping
// files, cell readers, picklist matching with "did you mean", the report.
//
// An import goes in the same steps:
//
//	sheet, err := refsheet.Read(name, file, refsheet.ReadOptions{Layout: &activitysheet.Layout})
//	mapping := activitysheet.AutoMap(sheet.Headers)                   // headers → columns
//	err = mapping.Override(sheet.Headers, fromMappingFile)            // optional
//	report, err := activitysheet.Plan(ctx, db, sheet, mapping, opts)  // dry run: writes nothing
//	report, err = activitysheet.Apply(ctx, db, sheet, mapping, opts, progress)
//
// Rules an import follows:
//   - Reference, activity type and date are required. The reference is
//     given by its email or its CRM id and must exist; the type is a current
//     value of the activity types picklist (never added by the import); the
//     date is written 2026-03-14, 3/14/2026 or 14.03.2026 (or is an Excel
//     date cell).
//   - The opportunity is optional: its CRM id, else its exact name (any
//     case). A name two opportunities share is a problem: give the CRM id.
//     An unknown one fails its row, naming it.
//   - Stage at activity: the column "Stage at activity" when it is mapped
//     and filled; else the opportunity's current stage, but only while the
//     deal is still open (the stage a closed deal ended in says nothing of
//     the stage it was in then); else empty. The amount kept is the deal's
//     amount as Vouch has it.
//   - Points (a whole number, not negative) and the thank-you (gift,
//     donation, swag or none) are optional.
//   - An activity is the same as a logged one when its reference, type,
//     date and opportunity are: such a row is counted unchanged and not
//     written, so importing the same file twice adds nothing.
//   - Two rows for the same activity are a problem, unless every mapped
//     cell is the same: then it is imported once (Report.Repeats).
//   - Everything is written in one transaction (store.DB.Batch), through
//     references.Service.LogActivities: all valid rows or, when a row is
//     bad and Options.ValidOnly is not set, nothing.
package activitysheet
