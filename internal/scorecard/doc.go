// Package scorecard is the one-page scorecard: it turns a request for a
// period and segment filters (named as people name them: "FY2027 Q1",
// "Healthcare") into the metrics engine's query, asks the engine for every
// figure of that period and the one before, adds goal progress, and draws
// and exports the result.
//
// The steps:
//  1. ParseRequest reads a request from URL parameters (the page, the API
//     and the CLI all speak them), each problem named by its parameter.
//  2. Service.Resolve turns the request into a Selection: the run of days
//     (a calendar month, a fiscal quarter or year from the program's
//     fiscal year start, or custom days), "today" from the program's time
//     zone, and filters resolved to taxonomy value ids through the catalog.
//  3. Service.Card computes the Scorecard for the selection
//     (analytics.Model.Scorecard) and fills its goals from Goals.
//  4. TrendChart and SegmentChart draw it (SVG for pages, PNG for mail and
//     PDF); WriteCSV, WriteXLSX and NewDocument export it.
//
// Nothing here decides a figure: every number comes from the engine, so
// the page, the exports, the API and the CLI cannot disagree.
package scorecard
