// Package contentsheet imports a content list — case studies, videos,
// quotes, decks … with their links, featured accounts and references, tags
// and approval — from a CSV or XLSX file. It is the reference import's
// sibling and shares its parts (internal/refsheet): reading the file and
// finding the header row, mapping files, cell readers and picklist
// matching with "did you mean", the report, GroupProblems and Choices.
//
// An import goes in the same steps:
//
//	sheet, err := refsheet.Read(name, file, refsheet.ReadOptions{Layout: &contentsheet.Layout})
//	mapping := contentsheet.AutoMap(sheet.Headers)                     // headers → columns
//	err = mapping.Override(sheet.Headers, fromMappingFile)             // optional
//	report, err := contentsheet.Plan(ctx, db, sheet, mapping, opts)    // dry run: writes nothing
//	report, err = contentsheet.Apply(ctx, db, sheet, mapping, opts, progress)
//
// Rules an import follows:
//   - Title and type are required; the type is a value of the content
//     types picklist. Every cell is checked as content.Service checks a
//     save (vouch.ContentItem.Validate), and the state an item starts in
//     as vouch.ContentItem.CheckNewState: an approved row needs how it was
//     approved and, unless no consent was needed (method internal), who
//     approved; its consent lasts the program's consent period from the
//     day of approval (default today) unless the row gives an expiry date.
//   - An item is matched by its URL, else by its title and type (a stored
//     item with another URL is another item). So importing the same file
//     twice creates nothing the second time; an item the file matches
//     exactly is not written at all.
//   - Empty cells never erase stored values. A state that differs from the
//     item's moves it along the lifecycle (vouch.CheckContentTransition),
//     recorded as of today in its approval history.
//   - Picklist values are matched as the reference import matches them;
//     unknown ones, and featured accounts Vouch does not have, fail their
//     row with a suggestion, or are added with Options.AddMissing (an
//     account with only its name). Featured references are given by email
//     and must exist; the owner is a Vouch user's email.
//   - Everything is written in one transaction (store.DB.Batch): all valid
//     rows or, when a row is bad and Options.ValidOnly is not set, nothing.
//   - Two rows for the same item are a problem, unless every mapped cell is
//     the same: then it is imported once (Report.Repeats).
package contentsheet
