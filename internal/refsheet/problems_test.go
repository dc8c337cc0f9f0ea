package refsheet_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
)

// showGroups writes groups one line each: "D Products: not a known product [2 3 4] Voice[2 4] Kiosk[3]".
func showGroups(groups []refsheet.ProblemGroup) []string {
	var out []string
	for _, g := range groups {
		line := fmt.Sprintf("%s %s: %s %v", g.Letter, g.Column, g.Cause, g.Rows)
		for _, v := range g.Values {
			line += fmt.Sprintf(" %s%v", v.Name, v.Rows)
			if v.Suggestion != "" {
				line += "~" + v.Suggestion
			}
		}
		out = append(out, strings.TrimSpace(line))
	}
	return out
}

func TestGroupProblems(t *testing.T) {
	unknown := func(row int, value, reason string) refsheet.RowError {
		return refsheet.RowError{Row: row, Column: "Product", Letter: "D", Field: "Products", Value: value, Reason: reason,
			Cause: "not a known product", Picklist: "Product", Missing: value}
	}
	email := func(row int, reason, cause string) refsheet.RowError {
		return refsheet.RowError{Row: row, Column: "E-mail", Letter: "C", Field: "Email", Value: "x", Reason: reason, Cause: cause}
	}
	for _, c := range []struct {
		name string
		errs []refsheet.RowError
		want []string
	}{
		{"none", nil, nil},
		{"each unknown value once, most rows first, spelled as first typed",
			[]refsheet.RowError{unknown(2, "Kiosk", "not a known product"), unknown(3, "Voice", "not a known product"),
				unknown(3, "Kiosk", "not a known product"), unknown(5, "voice ", "not a known product"), unknown(6, "VOICE", "not a known product"),
				unknown(7, "Analytcs", "did you mean 'Analytics'?")},
			[]string{"D Product: not a known product [2 3 5 6 7] Voice[3 5 6] Kiosk[2 3] Analytcs[7]~Analytics"}},
		{"one cause, many rows; reasons naming other rows group by their cause",
			[]refsheet.RowError{email(4, "not an email address like name@example.com", ""),
				email(5, "the same email as row 2", "the same email as an earlier row"),
				email(9, "not an email address like name@example.com", ""),
				email(12, "the same email as row 3", "the same email as an earlier row"),
				email(14, "not an email address like name@example.com", "")},
			[]string{"C E-mail: not an email address like name@example.com [4 9 14]", "C E-mail: the same email as an earlier row [5 12]"}},
		{"the same cause in two columns is two groups; a tie goes to the first row",
			[]refsheet.RowError{{Row: 8, Column: "Go-Live", Letter: "F", Reason: "not a date"},
				{Row: 3, Column: "Last Verified", Letter: "G", Reason: "not a date"},
				{Row: 4, Reason: "matches the same reference as row 3 (Maya Okafor (#1))", Cause: "matches the same reference as an earlier row"}},
			[]string{"G Last Verified: not a date [3]", ": matches the same reference as an earlier row [4]", "F Go-Live: not a date [8]"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			groups := refsheet.GroupProblems(c.errs)
			if got := showGroups(groups); !slices.Equal(got, c.want) {
				t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			n := 0
			for _, g := range groups {
				n += len(g.Problems)
			}
			if n != len(c.errs) {
				t.Errorf("the groups hold %d problems, want every one of %d", n, len(c.errs))
			}
		})
	}
}

// productsCSV is a file of rows people, each with one product: the first
// `known` rows Analytics, then the unknown values, each for as many rows
// as given, in turn.
func productsCSV(known int, unknown map[string]int, order []string) string {
	var b strings.Builder
	b.WriteString("Account,Name,Email,Products\n")
	n := 0
	row := func(product string) {
		n++
		fmt.Fprintf(&b, "Account %d,Person %d,person%d@example.com,%s\n", n%7, n, n, product)
	}
	for range known {
		row("Analytics")
	}
	left := map[string]int{}
	for k, v := range unknown {
		left[k] = v
	}
	for more := true; more; {
		more = false
		for _, v := range order {
			if left[v] > 0 {
				row(v)
				left[v]--
				more = true
			}
		}
	}
	return b.String()
}

func TestImportGroupsUnknownValues(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		// 60 rows, 55 of them with one of three products Vouch does not know.
		text := productsCSV(5, map[string]int{"Voice": 41, "Kiosk": 12, "Wearables": 2}, []string{"Voice", "Kiosk", "Wearables"})
		s := readText(t, text)
		rep, err := refsheet.Plan(ctx, db, s, nil, refsheet.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 60 || rep.Rejected != 55 || len(rep.Errors) != 55 {
			t.Fatalf("report: %d rows, %d rejected, %d problems", rep.Rows, rep.Rejected, len(rep.Errors))
		}
		groups := refsheet.GroupProblems(rep.Errors)
		if len(groups) != 1 {
			t.Fatalf("groups:\n%s\nwant one", strings.Join(showGroups(groups), "\n"))
		}
		g := groups[0]
		if g.Picklist != "Product" || g.Column != "Products" || g.Letter != "D" || g.Field != "Products" || len(g.Rows) != 55 {
			t.Errorf("group %+v", g)
		}
		var got []string
		for _, v := range g.Values {
			got = append(got, fmt.Sprintf("%s %d from row %d", v.Name, len(v.Rows), v.Rows[0]))
		}
		if want := []string{"Voice 41 from row 7", "Kiosk 12 from row 8", "Wearables 2 from row 9"}; !slices.Equal(got, want) {
			t.Errorf("values %q, want %q", got, want)
		}
	})
}

func TestImportChoices(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		show := func(cs []refsheet.Choice) []string {
			var out []string
			for _, c := range cs {
				s := fmt.Sprintf("imports %d, leaves out %d", c.Imports, c.LeavesOut)
				if c.Options.AddMissing {
					s += ", adds " + strings.Join(c.Adds, ", ")
				}
				if c.Options.ValidOnly {
					s += ", valid only"
				}
				if len(c.Typos) > 0 {
					s += ", typos " + strings.Join(c.Typos, "; ")
				}
				if c.Primary {
					s += " (primary)"
				}
				out = append(out, s)
			}
			return out
		}
		for _, c := range []struct {
			name string
			text string
			opts refsheet.Options
			want []string
		}{
			{"adding the unknown values fixes every row",
				productsCSV(5, map[string]int{"Voice": 41, "Kiosk": 12, "Wearables": 2}, []string{"Voice", "Kiosk", "Wearables"}), refsheet.Options{},
				[]string{"imports 60, leaves out 0, adds Product 'Voice', Product 'Kiosk', Product 'Wearables' (primary)",
					"imports 5, leaves out 55, valid only"}},
			{"adding fixes some rows: the rest are left out",
				"Account,Name,Email,Products\nA,Ann,ann@a.example,Voice\nA,Bo,bo@a,Voice\nB,Cy,cy@b.example,Analytics\n", refsheet.Options{},
				[]string{"imports 2, leaves out 1, adds Product 'Voice', valid only (primary)", "imports 1, leaves out 2, valid only"}},
			{"a value that looks like a typo is not added by the primary choice",
				"Account,Name,Email,Products\nA,Ann,ann@a.example,Analytcs\nA,Bo,bo@a.example,Analytcs\nB,Cy,cy@b.example,Analytics\n", refsheet.Options{},
				[]string{"imports 1, leaves out 2, valid only (primary)",
					"imports 3, leaves out 0, adds Product 'Analytcs', typos 'Analytcs' — did you mean 'Analytics'?"}},
			{"no row valid, and adding does not help",
				"Account,Name,Email\nA,Ann,ann@a\n", refsheet.Options{}, nil},
			{"every row valid", "Account,Name,Email\nA,Ann,ann@a.example\nA,Bo,bo@a.example\n", refsheet.Options{},
				[]string{"imports 2, leaves out 0 (primary)"}},
			{"values added as asked", "Account,Name,Products\nA,Ann,Voice\n", refsheet.Options{AddMissing: true},
				[]string{"imports 1, leaves out 0, adds Product 'Voice' (primary)"}},
			{"an empty file", "Account,Name\n", refsheet.Options{}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				rep, choices, err := refsheet.Choices(ctx, db, readText(t, c.text), nil, c.opts)
				if err != nil {
					t.Fatal(err)
				}
				if got := show(choices); !slices.Equal(got, c.want) {
					t.Errorf("choices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
				}
				// Each choice imports what it says.
				for _, ch := range choices {
					plan, err := refsheet.Plan(ctx, db, readText(t, c.text), nil, ch.Options)
					if err != nil {
						t.Fatal(err)
					}
					if got := plan.Rows - plan.Rejected; got != ch.Imports || plan.Rejected != ch.LeavesOut {
						t.Errorf("the choice %+v plans %d rows and leaves out %d", ch, got, plan.Rejected)
					}
				}
				if rep.Written {
					t.Error("Choices wrote")
				}
			})
		}
		if n, _ := db.CountReferences(ctx); n != 0 {
			t.Errorf("working out choices wrote %d references", n)
		}
	})
}

func TestImportRepeatedRows(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		text := "Account,Name,Email,Products,Notes\n" +
			"Acme,Maya Okafor,maya@acme.example,Analytics,first\n" + // row 2
			"Acme,Tom Becker,tom@acme.example,Voice,\n" + // row 3: an unknown product
			"Acme,Maya Okafor,maya@acme.example,Analytics,a note in a column not imported\n" + // row 4: repeats row 2
			"Acme,Tom Becker,tom@acme.example,Voice,\n" + // row 5: repeats row 3, so has its problem
			"Acme,Maya O.,maya@acme.example,Analytics,\n" + // row 6: Maya's email, but another name
			"Acme,Maya Okafor,maya@acme.example,Analytics,\n" + // row 7: repeats row 2
			"Acme,Ana Ruiz,,,\n" + // row 8: no email
			"Acme,Ana Ruiz,,,\n" // row 9: repeats row 8
		rep := apply(t, db, readText(t, text), refsheet.Options{ValidOnly: true})
		wantErrors(t, rep,
			"row 3, column 'Products': 'Voice' — not a known product",
			"row 5, column 'Products': 'Voice' — not a known product",
			"row 6, column 'Email': 'maya@acme.example' — the same email as row 2",
		)
		if rep.Rows != 8 || rep.Created != 2 || rep.Rejected != 3 || rep.Repeated != 3 || !rep.Written {
			t.Errorf("report: %d rows, %d created, %d rejected, %d repeated, written %v", rep.Rows, rep.Created, rep.Rejected, rep.Repeated, rep.Written)
		}
		var notes []string
		for _, r := range rep.Repeats {
			notes = append(notes, r.String())
		}
		if want := []string{"Rows 4 and 7 repeat row 2 exactly; imported once.", "Row 9 repeats row 8 exactly; imported once."}; !slices.Equal(notes, want) {
			t.Errorf("notes %q, want %q", notes, want)
		}
		if n, _ := db.CountReferences(ctx); n != 2 {
			t.Errorf("%d references, want Maya and Ana once each", n)
		}
		// With the value added, the repeat of row 3 is a repeat too.
		rep, err := refsheet.Plan(ctx, db, readText(t, text), nil, refsheet.Options{AddMissing: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 1 || rep.Unchanged != 2 || rep.Repeated != 4 || rep.Rejected != 1 {
			t.Errorf("with values added: %d created, %d unchanged, %d repeated, %d rejected", rep.Created, rep.Unchanged, rep.Repeated, rep.Rejected)
		}
		if len(rep.Repeats) != 3 || rep.Repeats[1].String() != "Row 5 repeats row 3 exactly; imported once." {
			t.Errorf("notes with values added: %+v", rep.Repeats)
		}
	})
}
