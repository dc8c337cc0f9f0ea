package web

import (
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
)

// The check step's report, and an import's outcome: problems grouped by
// cause (refsheet.GroupProblems), each with where it is when opened, and
// the ways to go on (refsheet.Choices), the one importing most rows first.

const (
	// importGroupProblems caps the problems one group lists when opened.
	importGroupProblems = 100
	// importFirstRows is how many row numbers a group or value shows closed.
	importFirstRows = 6
	// importAllRows caps the row numbers a value lists when opened.
	importAllRows = 1000
	// importGroupValues caps the unknown values a group lists.
	importGroupValues = 50
	// importShownRepeats caps the notes about repeated rows.
	importShownRepeats = 20
)

// problemRow is one problem as a group's table shows it.
type problemRow struct {
	Row    int
	Column string // "D ‘Product’", or "" for the whole row
	Field  string
	Value  string
	Reason string
}

// problemGroup is one cause of problems as the report shows it.
type problemGroup struct {
	Heading string // "3 unknown Product values", "Email: not an email address like name@example.com"
	Where   string // "column D ‘E-mail’ (the Email field)"
	Rows    string // "4 rows: 2, 9, 14, 51"
	Count   string // "4 rows"
	Unknown bool   // a group of values missing from a picklist
	Values  []unknownValue
	// MoreValues is how many unknown values are not listed (the CSV has them).
	MoreValues int
	Problems   []problemRow
	More       int  // problems of the group not listed (they are in the CSV)
	Open       bool // listed open: a short report shows every problem at once
}

// unknownValue is a value missing from a picklist, with its rows.
type unknownValue struct {
	Name       string
	Suggestion string
	Rows       string // "41 rows"
	FirstRows  string // "2, 3, 5, 7, 8, 9 …"
	AllRows    string // every row, up to importAllRows
	Many       bool   // more rows than FirstRows shows
}

// problemGroups makes the report's groups of problems; shown caps the
// problems listed in all (the rest are in the CSV download).
func problemGroups(errs []refsheet.RowError, shown int) []problemGroup {
	var out []problemGroup
	for _, g := range refsheet.GroupProblems(errs) {
		v := problemGroup{Where: where(g.Letter, g.Column, g.Field), Open: len(g.Problems) <= 5 && len(errs) <= 20,
			Count: countOf(len(g.Rows), "row"), Rows: countOf(len(g.Rows), "row") + ": " + rowNumbers(g.Rows, importFirstRows)}
		if g.Picklist != "" {
			v.Unknown = true
			v.Heading = fmt.Sprintf("%s unknown %s %s", formatNumber(len(g.Values)), g.Picklist, pluralWord(len(g.Values), "value"))
			v.MoreValues = max(len(g.Values)-importGroupValues, 0)
			for _, u := range g.Values[:len(g.Values)-v.MoreValues] {
				v.Values = append(v.Values, unknownValue{Name: shorten(u.Name, 80), Suggestion: u.Suggestion,
					Rows: countOf(len(u.Rows), "row"), FirstRows: rowNumbers(u.Rows, importFirstRows),
					AllRows: rowNumbers(u.Rows, importAllRows), Many: len(u.Rows) > importFirstRows})
			}
		} else {
			name := g.Field
			if name == "" {
				name = g.Column
			}
			if name == "" {
				name = "Whole row"
			}
			v.Heading = capitalize(name) + ": " + g.Cause
		}
		n := min(len(g.Problems), importGroupProblems, max(shown, 0))
		for _, e := range g.Problems[:n] {
			col := ""
			if e.Column != "" {
				col = "‘" + e.Column + "’"
				if e.Letter != "" {
					col = e.Letter + " " + col
				}
			}
			field := e.Field
			if strings.EqualFold(field, e.Column) {
				field = ""
			}
			v.Problems = append(v.Problems, problemRow{Row: e.Row, Column: col, Field: field, Value: shorten(e.Value, 80), Reason: e.Reason})
		}
		shown -= n
		v.More = len(g.Problems) - n
		out = append(out, v)
	}
	return out
}

// where says where a group's problems are: "column D ‘E-mail’ (the Email field)".
func where(letter, column, field string) string {
	if column == "" {
		return ""
	}
	s := "column ‘" + column + "’"
	if letter != "" {
		s = "column " + letter + " ‘" + column + "’"
	}
	if field != "" && !strings.EqualFold(field, column) {
		s += " (the " + field + " field)"
	}
	return s
}

// rowNumbers lists row numbers, at most limit of them: "2, 9, 14, 51", "2, 3, 5 …".
func rowNumbers(rows []int, limit int) string {
	parts := make([]string, 0, min(len(rows), limit))
	for _, r := range rows[:min(len(rows), limit)] {
		parts = append(parts, formatNumber(r))
	}
	s := strings.Join(parts, ", ")
	if len(rows) > limit {
		s += " …"
	}
	return s
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// countOf is "1 row", "1,204 rows".
func countOf(n int, word string) string { return formatNumber(n) + " " + pluralWord(n, word) }

// importChoice is one way to import, as a button with its hint.
type importChoice struct {
	Label      string // "Add the 3 unknown values and import all 60 rows"
	Hint       string
	Typos      []string
	AddMissing bool
	ValidOnly  bool
	Primary    bool
}

// importChoices words refsheet's choices for the report's buttons; listed
// is how many unknown values the report lists above them, so that a choice
// adding just those need not name them again.
func importChoices(choices []refsheet.Choice, rep *refsheet.Report, listed int) []importChoice {
	var out []importChoice
	for _, c := range choices {
		v := importChoice{AddMissing: c.Options.AddMissing, ValidOnly: c.Options.ValidOnly, Primary: c.Primary, Typos: c.Typos}
		adding := len(c.Adds) > 0
		what := ""
		switch {
		case c.LeavesOut == 0 && c.Imports == 1:
			what = "import the row"
		case c.LeavesOut == 0:
			what = "import all " + countOf(c.Imports, "row")
		case adding:
			what = "import " + countOf(c.Imports, "row")
		default:
			what = "import the " + formatNumber(c.Imports) + " valid " + pluralWord(c.Imports, "row") + " only"
		}
		if adding {
			unknown := "unknown"
			if rep.Rejected == 0 {
				unknown = "new" // added as the person asked: no row fails over them
			}
			if len(c.Adds) == 1 {
				what = "add the " + unknown + " value and " + what
			} else {
				what = "add the " + formatNumber(len(c.Adds)) + " " + unknown + " values and " + what
			}
		}
		v.Label = capitalize(what)
		var hint []string
		if c.LeavesOut == 0 {
			hint = append(hint, "Leaves out none.")
		} else {
			v.Label += " — leaves out " + formatNumber(c.LeavesOut)
			if c.Options.AddMissing && rep.Rejected > c.LeavesOut {
				hint = append(hint, fmt.Sprintf("Leaves out the %s with problems that adding values does not fix.", countOf(c.LeavesOut, "row")))
			} else {
				hint = append(hint, fmt.Sprintf("Leaves out the %s with problems.", countOf(c.LeavesOut, "row")))
			}
		}
		switch {
		case adding && len(c.Adds) == listed && listed == 1:
			hint = append(hint, "Adds the value listed above to its picklist, then writes the rows in one go.")
		case adding && len(c.Adds) == listed:
			hint = append(hint, "Adds the "+formatNumber(listed)+" values listed above to their picklists, then writes the rows in one go.")
		case adding:
			hint = append(hint, "Adds "+joinAnd(c.Adds)+" to the picklists, then writes the rows in one go.")
		default:
			hint = append(hint, "Writes the rows in one go; a large file takes a moment, and a page shows the progress.")
		}
		v.Hint = strings.Join(hint, " ")
		out = append(out, v)
	}
	return out
}

// joinAnd joins a list for a sentence: "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// repeatNotes are the report's notes about rows repeating others exactly.
func repeatNotes(rep *refsheet.Report) (notes []string, more int) {
	for i, r := range rep.Repeats {
		if i == importShownRepeats {
			return notes, len(rep.Repeats) - i
		}
		notes = append(notes, r.String())
	}
	return notes, 0
}
