package refsheet

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
)

// A report of a file with one mistake copied down a column has that
// mistake once per row. A person fixes causes, not rows: GroupProblems
// puts the problems of one cause together (each unknown value once, with
// its rows), and Choices says which way of going on imports most rows.

// ProblemGroup is the problems of one cause in one column: every row whose
// name is empty, every unknown value of the Products column.
type ProblemGroup struct {
	Column string // the sheet's header; "" for problems with a whole row
	Letter string // the column's letter, "D"
	Field  string // the Vouch field the column fills, "Products"
	Cause  string // "is empty; every reference needs a name", "not a known product"
	// Picklist is set for values missing from a picklist ("Product"):
	// Values lists each of them once.
	Picklist string
	Values   []UnknownValue
	Rows     []int      // the rows it hits, each once, in order
	Problems []RowError // every problem of the group, in row order
}

// UnknownValue is a value missing from a picklist and the rows that give it.
type UnknownValue struct {
	Name       string // as first typed
	Suggestion string // a known value it may misspell, or ""
	Rows       []int  // each once, in order
}

// GroupProblems groups a report's problems by column and cause, the group
// hitting most rows first (then by its first row). Unknown picklist values
// are grouped by value, ignoring case and spacing as the import does.
func GroupProblems(errs []RowError) []ProblemGroup {
	type key struct{ column, letter, cause, picklist string }
	index := map[key]int{}
	values := map[int]map[string]int{} // group → value key → index in Values
	var groups []ProblemGroup
	for _, e := range errs {
		k := key{e.Column, e.Letter, e.CauseText(), e.Picklist}
		gi, ok := index[k]
		if !ok {
			gi = len(groups)
			index[k] = gi
			groups = append(groups, ProblemGroup{Column: e.Column, Letter: e.Letter, Field: e.Field, Cause: k.cause, Picklist: e.Picklist})
		}
		g := &groups[gi]
		g.Problems = append(g.Problems, e)
		g.Rows = addRow(g.Rows, e.Row)
		if e.Picklist == "" {
			continue
		}
		if values[gi] == nil {
			values[gi] = map[string]int{}
		}
		vk := valueKey(e.Missing)
		vi, ok := values[gi][vk]
		if !ok {
			vi = len(g.Values)
			values[gi][vk] = vi
			g.Values = append(g.Values, UnknownValue{Name: e.Missing, Suggestion: suggestion(e.Reason)})
		}
		g.Values[vi].Rows = addRow(g.Values[vi].Rows, e.Row)
	}
	for i := range groups {
		slices.SortStableFunc(groups[i].Values, func(a, b UnknownValue) int { return byRows(a.Rows, b.Rows) })
	}
	slices.SortStableFunc(groups, func(a, b ProblemGroup) int { return byRows(a.Rows, b.Rows) })
	return groups
}

// addRow appends row unless it is the last one already (problems come in row order).
func addRow(rows []int, row int) []int {
	if n := len(rows); n > 0 && rows[n-1] == row {
		return rows
	}
	return append(rows, row)
}

// byRows orders row lists longest first, then by their first row.
func byRows(a, b []int) int {
	if len(a) != len(b) {
		return len(b) - len(a)
	}
	if len(a) == 0 {
		return 0
	}
	return a[0] - b[0]
}

// suggestion reads the value a "did you mean 'Healthcare'?" reason offers.
func suggestion(reason string) string {
	i := strings.Index(reason, "did you mean '")
	if i < 0 {
		return ""
	}
	s := reason[i+len("did you mean '"):]
	return strings.TrimSuffix(s, "'?")
}

// rowList writes row numbers for a sentence: "row 7", "rows 12 and 40",
// "rows 2, 3, 5 and 9 more" (at most limit numbers).
func rowList(rows []int, limit int) string {
	if len(rows) == 1 {
		return fmt.Sprintf("row %d", rows[0])
	}
	shown := rows
	if len(rows) > limit {
		shown = rows[:limit]
	}
	parts := make([]string, len(shown))
	for i, r := range shown {
		parts[i] = fmt.Sprint(r)
	}
	if len(shown) < len(rows) {
		return fmt.Sprintf("rows %s and %d more", strings.Join(parts, ", "), len(rows)-len(shown))
	}
	return fmt.Sprintf("rows %s and %s", strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
}

func ucfirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Choice is one way to import a checked sheet: the options to import it
// with, and how many of its rows that imports and leaves out. Every choice
// is all or nothing: it imports exactly those rows, or (when the data
// changed since the check) nothing.
type Choice struct {
	Options   Options
	Imports   int      // rows imported (a row repeating another counts: it is imported as that one)
	LeavesOut int      // rows not imported
	Adds      []string // picklist values added, "Product 'Voice'"
	// Typos are the values Adds has that look like a misspelling of a
	// known value ("'Heathcare' — did you mean 'Healthcare'?"): adding them
	// is likely wrong, so such a choice is not the primary one.
	Typos   []string
	Primary bool // the one to offer first: the most rows without adding a likely typo
}

// Choices checks the sheet (a dry run, as Plan) and works out the ways to
// import it, the primary one first, then by the rows they import: all rows; when values are
// missing from picklists, adding them and importing the rows that then
// pass; and the rows without problems only. A sheet with nothing to write
// has no choices.
func Choices(ctx context.Context, db *store.DB, sheet *Sheet, mapping Mapping, opts Options) (*Report, []Choice, error) {
	return ChoicesOf(func(o Options) (*Report, error) { return Plan(ctx, db, sheet, mapping, o) }, opts)
}

// ChoicesOf is Choices for any import whose dry run is plan: it plans with
// opts, and again adding missing values when unknown values stopped rows.
func ChoicesOf(plan func(Options) (*Report, error), opts Options) (*Report, []Choice, error) {
	opts.ValidOnly = false
	rep, err := plan(opts)
	if err != nil {
		return nil, nil, err
	}
	var added *Report
	if !opts.AddMissing && slices.ContainsFunc(rep.Errors, func(e RowError) bool { return e.Picklist != "" }) {
		o := opts
		o.AddMissing = true
		if added, err = plan(o); err != nil {
			return nil, nil, err
		}
	}
	return rep, choose(rep, opts, added), nil
}

// choose lists the choices of a dry run (rep, made with opts) and, when
// unknown values stopped rows, of the same dry run adding them (added).
func choose(rep *Report, opts Options, added *Report) []Choice {
	if rep.Rejected == 0 {
		if rep.Created+rep.Updated+rep.AccountsCreated+rep.AccountsUpdated+len(rep.ValuesCreated) == 0 {
			return nil // no rows, or Vouch has every one as it is
		}
		return []Choice{{Options: opts, Imports: rep.Rows, Adds: rep.ValuesCreated, Primary: true}}
	}
	var out []Choice
	if added != nil && added.Rejected < rep.Rejected && added.Rows > added.Rejected {
		o := opts
		o.AddMissing, o.ValidOnly = true, added.Rejected > 0
		out = append(out, Choice{Options: o, Imports: added.Rows - added.Rejected, LeavesOut: added.Rejected,
			Adds: added.ValuesCreated, Typos: typos(rep.Errors, added.ValuesCreated)})
	}
	if valid := rep.Rows - rep.Rejected; valid > 0 {
		o := opts
		o.ValidOnly = true
		out = append(out, Choice{Options: o, Imports: valid, LeavesOut: rep.Rejected, Adds: rep.ValuesCreated})
	}
	slices.SortStableFunc(out, func(a, b Choice) int { return b.Imports - a.Imports })
	primary := slices.IndexFunc(out, func(c Choice) bool { return len(c.Typos) == 0 })
	if primary < 0 && len(out) > 0 {
		primary = 0
	}
	if primary >= 0 {
		out[primary].Primary = true
		// The primary choice comes first; the others keep their order.
		out = append(append([]Choice{out[primary]}, out[:primary]...), out[primary+1:]...)
	}
	return out
}

// typos lists the unknown values with a suggestion among those adds
// ("Product 'Analytcs'", as Report.ValuesCreated writes them), each once.
func typos(errs []RowError, adds []string) []string {
	added := map[string]bool{}
	for _, a := range adds {
		added[valueKey(a)] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range errs {
		s := suggestion(e.Reason)
		if e.Picklist == "" || s == "" {
			continue
		}
		k := valueKey(fmt.Sprintf("%s '%s'", e.Picklist, e.Missing))
		if !added[k] || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, fmt.Sprintf("'%s' — did you mean '%s'?", e.Missing, s))
	}
	return out
}
