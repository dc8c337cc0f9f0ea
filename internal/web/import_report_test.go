package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/refsheet"
)

// Each choice's button says what it imports and how many rows it leaves out.
func TestImportChoiceLabels(t *testing.T) {
	adds := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("Product 'P%d'", i))
		}
		return out
	}
	for _, c := range []struct {
		choice   refsheet.Choice
		rejected int // rows with problems in the report
		listed   int // unknown values the report lists
		label    string
		hint     string
	}{
		{refsheet.Choice{Imports: 60}, 0, 0, "Import all 60 rows", "Leaves out none. Writes the rows in one go"},
		{refsheet.Choice{Imports: 1}, 0, 0, "Import the row", "Leaves out none."},
		{refsheet.Choice{Imports: 1200, Options: refsheet.Options{AddMissing: true}, Adds: adds(2)}, 0, 0,
			"Add the 2 new values and import all 1,200 rows", "Leaves out none. Adds Product 'P0' and Product 'P1' to the picklists"},
		{refsheet.Choice{Imports: 60, Options: refsheet.Options{AddMissing: true}, Adds: adds(3)}, 55, 3,
			"Add the 3 unknown values and import all 60 rows", "Leaves out none. Adds the 3 values listed above to their picklists"},
		{refsheet.Choice{Imports: 60, Options: refsheet.Options{AddMissing: true}, Adds: adds(3)}, 55, 4,
			"Add the 3 unknown values and import all 60 rows", "Leaves out none. Adds Product 'P0', Product 'P1' and Product 'P2'"},
		{refsheet.Choice{Imports: 57, LeavesOut: 3, Options: refsheet.Options{AddMissing: true, ValidOnly: true}, Adds: adds(1)}, 55, 1,
			"Add the unknown value and import 57 rows — leaves out 3", "Leaves out the 3 rows with problems that adding values does not fix."},
		{refsheet.Choice{Imports: 5, LeavesOut: 55, Options: refsheet.Options{ValidOnly: true}}, 55, 3,
			"Import the 5 valid rows only — leaves out 55", "Leaves out the 55 rows with problems."},
		{refsheet.Choice{Imports: 1, LeavesOut: 1, Options: refsheet.Options{ValidOnly: true}}, 1, 0,
			"Import the 1 valid row only — leaves out 1", "Leaves out the 1 row with problems."},
	} {
		got := importChoices([]refsheet.Choice{c.choice}, &refsheet.Report{Rejected: c.rejected}, c.listed)
		if len(got) != 1 || got[0].Label != c.label || !strings.HasPrefix(got[0].Hint, c.hint) {
			t.Errorf("%+v: %+v, want %q, hint %q…", c.choice, got, c.label, c.hint)
		}
	}
}

// A report lists at most so many problems, and so many unknown values per
// column; the rest are in the CSV.
func TestImportProblemGroupsAreCapped(t *testing.T) {
	var errs []refsheet.RowError
	for i := range 300 {
		errs = append(errs, refsheet.RowError{Row: i + 2, Column: "Email", Letter: "C", Field: "Email", Value: "x", Reason: "not an email address"})
	}
	for i := range 80 {
		v := fmt.Sprintf("Value %d", i)
		errs = append(errs, refsheet.RowError{Row: i + 2, Column: "Product", Letter: "D", Field: "Products", Value: v, Reason: "not a known product",
			Cause: "not a known product", Picklist: "Product", Missing: v})
	}
	groups := problemGroups(errs, 150)
	if len(groups) != 2 {
		t.Fatalf("%d groups, want 2", len(groups))
	}
	email, products := groups[0], groups[1]
	if len(email.Problems) != importGroupProblems || email.More != 300-importGroupProblems || email.Open {
		t.Errorf("emails: %d listed, %d more, open %v", len(email.Problems), email.More, email.Open)
	}
	if email.Rows != "300 rows: 2, 3, 4, 5, 6, 7 …" || email.Where != "column C ‘Email’" || email.Heading != "Email: not an email address" {
		t.Errorf("emails: %q, %q, %q", email.Heading, email.Where, email.Rows)
	}
	if len(products.Values) != importGroupValues || products.MoreValues != 80-importGroupValues || products.Heading != "80 unknown Product values" {
		t.Errorf("products: %d values, %d more, %q", len(products.Values), products.MoreValues, products.Heading)
	}
	if len(products.Problems) != 50 || products.More != 30 {
		t.Errorf("products: %d problems listed, %d more, want what is left of 150", len(products.Problems), products.More)
	}
}
