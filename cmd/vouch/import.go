package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/activitysheet"
	"github.com/vouchhq/vouch/internal/contentsheet"
	"github.com/vouchhq/vouch/internal/crmsheet"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// sheetImport is one kind of records a spreadsheet imports: references
// (internal/refsheet) or a content list (internal/contentsheet). Both read,
// map, report and write alike; only the layout and the planner differ.
type sheetImport struct {
	layout  *refsheet.Layout
	plan    func(context.Context, *store.DB, *refsheet.Sheet, refsheet.Mapping, refsheet.Options) (*refsheet.Report, error)
	apply   func(context.Context, *store.DB, *refsheet.Sheet, refsheet.Mapping, refsheet.Options, func(done, total int)) (*refsheet.Report, error)
	record  string // what Report.Created counts, in the singular: "new reference"
	example string // a file name for the usage message
	// dated: the file's slashed dates are read in a chosen order
	// (--date-order), as CRM exports need.
	dated bool
}

var sheetImports = map[string]sheetImport{
	"references": {&refsheet.References, refsheet.Plan, refsheet.Apply, "new reference", "people.csv", false},
	"content":    {&contentsheet.Layout, contentsheet.Plan, contentsheet.Apply, "new content item", "case-studies.csv", false},
	// Reference history (internal/activitysheet): past activities, tied to deals.
	"activities": {&activitysheet.Layout, activitysheet.Plan, activitysheet.Apply, "new activity", "reference-history.csv", false},
	// CRM report exports (internal/crmsheet): deals, and customer accounts.
	"opportunities": {&crmsheet.Opportunities, crmsheet.PlanOpportunities, crmsheet.ApplyOpportunities, "new opportunity", "opportunities.csv", true},
	"accounts":      {&crmsheet.Accounts, crmsheet.PlanAccounts, crmsheet.ApplyAccounts, "new account", "accounts.csv", true},
}

// importCommand imports records from a spreadsheet: vouch import references|content FILE.
func (m *Main) importCommand(ctx context.Context, args []string) error {
	var target sheetImport
	if len(args) > 0 {
		target = sheetImports[args[0]]
	}
	if target.layout == nil {
		fmt.Fprintln(m.Stderr, "Usage: vouch import references|content|activities|opportunities|accounts FILE [--dry-run] [--mapping FILE] [--add-missing-values] [--valid-only] [--sheet NAME] [--date-order mdy|dmy]")
		fmt.Fprintln(m.Stderr, "Imports accounts and references, a content list, past reference activities, or a CRM export of deals or accounts, from a CSV or XLSX file; see docs/import.md.")
		if len(args) == 0 {
			return usageError{}
		}
		return usageError{fmt.Sprintf("unknown kind of records %q; references, content, activities, opportunities and accounts can be imported", args[0])}
	}
	fs := m.newFlagSet("import "+args[0], "FILE")
	dryRun := fs.Bool("dry-run", false, "check the file and report what would change, writing nothing")
	mappingFile := fs.String("mapping", "", `JSON file of spreadsheet header to column, e.g. {"Client": "account", "Notes": ""}`)
	addMissing := fs.Bool("add-missing-values", false, "add unknown picklist values (industries, products …; for content also featured accounts) instead of rejecting their rows")
	validOnly := fs.Bool("valid-only", false, "import the valid rows and skip the bad ones (default: one bad row and nothing is written)")
	sheetName := fs.String("sheet", "", "the XLSX worksheet to import (default: the first with "+target.layout.Requires+" columns)")
	var dateOrder *string
	if target.dated {
		dateOrder = fs.String("date-order", "", "how the file writes slashed dates: mdy (11/20/2026) or dmy (20/11/2026); default: what the file's dates show")
	}
	dbf := fs.database()
	files, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return usageError{"name one file to import, e.g. vouch import " + args[0] + " " + target.example}
	}
	name := files[0]

	var overrides map[string]string
	if *mappingFile != "" {
		f, err := os.Open(*mappingFile)
		if err != nil {
			return fmt.Errorf("cannot open the mapping file: %w", unwrapPath(err))
		}
		overrides, err = target.layout.ReadMapping(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", name, unwrapPath(err))
	}
	sheet, err := refsheet.Read(name, f, refsheet.ReadOptions{Sheet: *sheetName, Mapping: overrides, Layout: target.layout})
	f.Close()
	if err != nil {
		return err
	}
	mapping := target.layout.AutoMap(sheet.Headers)
	if err := mapping.Override(sheet.Headers, overrides); err != nil {
		return err
	}

	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = m.cliActor(ctx)
	opts := refsheet.Options{AddMissing: *addMissing, ValidOnly: *validOnly}
	if dateOrder != nil {
		if opts.DateOrder, err = refsheet.ParseDateOrder(*dateOrder); err != nil {
			return usageError{vouch.ErrorMessage(err)}
		}
	}
	var rep *refsheet.Report
	if *dryRun {
		rep, err = target.plan(ctx, db, sheet, mapping, opts)
	} else {
		rep, err = target.apply(ctx, db, sheet, mapping, opts, m.importProgress(len(sheet.Rows)))
	}
	if err != nil {
		return err
	}

	if rep.Footer > 0 {
		fmt.Fprintf(m.Stderr, "Skipped the report's footer below the records (%s: totals, copyright, “Generated By” …).\n", plural(rep.Footer, "line"))
	}
	if len(rep.Ignored) > 0 {
		fmt.Fprintf(m.Stderr, "Ignored columns (no Vouch column; map them with --mapping): %s.\n", quoted(rep.Ignored))
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(m.Stderr, e.String())
	}
	if len(rep.Errors) > 0 && !*addMissing {
		for _, e := range rep.Errors {
			if strings.HasPrefix(e.Reason, "not a known ") {
				fmt.Fprintln(m.Stderr, "Values missing from a picklist can be added by an admin, or with --add-missing-values.")
				break
			}
		}
	}
	checkOnly := *dryRun && *validOnly // a dry run of --valid-only is not refused over rejected rows
	if rep.Rejected > 0 && !rep.Written && !checkOnly {
		return errors.New(plural(rep.Rejected, "row") + " rejected (listed above); nothing was imported. Fix them, or import the other rows with --valid-only")
	}
	fmt.Fprintln(m.Stdout, importSummary(sheet, rep, *dryRun, target.record))
	if rep.Rejected > 0 {
		return errors.New(plural(rep.Rejected, "row") + " rejected (listed above).")
	}
	return nil
}

// importProgress reports the progress of writing a file big enough to take a
// while: on a terminal one line rewritten every 10%; elsewhere (a log, a
// pipe, a job runner) a line of its own every 25%, so a log shows the import
// is moving without filling up.
func (m *Main) importProgress(rows int) func(done, total int) {
	if rows < 5000 {
		return nil
	}
	return progressPrinter(m.Stderr, isTerminal(m.Stderr))
}

func progressPrinter(w io.Writer, terminal bool) func(done, total int) {
	step := 25
	if terminal {
		step = 10
	}
	last := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		percent := done * 100 / total / step * step
		if percent == last {
			return
		}
		last = percent
		line := fmt.Sprintf("Importing … %d%% (%s of %s rows)", percent, thousands(done), thousands(total))
		switch {
		case !terminal:
			fmt.Fprintln(w, line)
		case done == total:
			fmt.Fprintln(w, "\r"+line)
		default:
			fmt.Fprint(w, "\r"+line)
		}
	}
}

// importSummary is the one line an import ends with, e.g. "Imported 1,204
// rows: 312 new references, 40 updated, 852 unchanged; 3 new accounts."
// record is what rep.Created counts: "new reference", "new content item".
func importSummary(sheet *refsheet.Sheet, rep *refsheet.Report, dryRun bool, record string) string {
	if rep.Rows == 0 {
		return sheet.Name + " has no rows below its header; nothing to import."
	}
	rows := plural(rep.Rows, "row")
	if rep.Rejected > 0 {
		rows = thousands(rep.Rows-rep.Rejected) + " of " + plural(rep.Rows, "row")
	}
	head := "Imported " + rows
	if dryRun {
		head = "Dry run: " + rows + " would import"
	}
	s := fmt.Sprintf("%s: %s, %s updated, %s unchanged", head, plural(rep.Created, record),
		thousands(rep.Updated), thousands(rep.Unchanged))
	var more []string
	if rep.Repeated > 0 {
		more = append(more, plural(rep.Repeated, "repeated row")+" imported once")
	}
	if rep.AccountsCreated > 0 {
		more = append(more, plural(rep.AccountsCreated, "new account"))
	}
	if rep.AccountsUpdated > 0 {
		more = append(more, plural(rep.AccountsUpdated, "account")+" updated")
	}
	if len(rep.ValuesCreated) > 0 {
		more = append(more, "added "+strings.Join(rep.ValuesCreated, ", "))
	}
	if len(more) > 0 {
		s += "; " + strings.Join(more, "; ")
	}
	if dryRun {
		return s + ". Nothing was written."
	}
	return s + "."
}

// parseInterleaved parses flags that may come before or after positional
// arguments (vouch import references people.csv --dry-run) and returns the
// positional ones.
func parseInterleaved(fs *flagSet, args []string) ([]string, error) {
	if err := fs.parse(args); err != nil {
		return nil, err
	}
	var positional []string
	for fs.NArg() > 0 {
		rest := fs.Args()
		positional = append(positional, rest[0])
		if err := fs.Parse(rest[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{}
		}
	}
	return positional, nil
}

// unwrapPath shortens "open x: no such file or directory" to its cause; the
// caller names the file.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func quoted(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// thousands writes n with thousands separators: 1,204.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	if stem, ok := strings.CutSuffix(word, "ity"); ok {
		return stem + "ities" // activity → activities
	}
	return word + "s"
}

// plural is "1 row", "3 rows", "1,204 rows".
func plural(n int, word string) string {
	return thousands(n) + " " + pluralWord(n, word)
}
