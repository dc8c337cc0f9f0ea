package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// exportCommand writes references as a spreadsheet: vouch export references --format csv|xlsx.
func (m *Main) exportCommand(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "references" {
		fmt.Fprintln(m.Stderr, "Usage: vouch export references [--format csv|xlsx] [--output FILE|-] [--q TEXT] [--industry NAME] [--region NAME] [--status NAME] [--product NAME] [--activity-type NAME]")
		if len(args) == 0 {
			return usageError{}
		}
		return usageError{fmt.Sprintf("unknown kind of records %q; only references can be exported", args[0])}
	}
	fs := m.newFlagSet("export references", "")
	format := fs.String("format", "", "csv or xlsx (default: from the --output file's extension, else csv)")
	output := fs.String("output", "-", "the file to write, or - for standard output")
	q := fs.String("q", "", "only references matching this search, as in the references list")
	filters := []struct {
		facet string
		kind  vouch.TaxonomyKind
		noun  string
		value *string
	}{
		{"industry", vouch.TaxIndustry, "industry", fs.String("industry", "", "only references at accounts in this industry")},
		{"region", vouch.TaxRegion, "region", fs.String("region", "", "only references at accounts in this region")},
		{"product", vouch.TaxProduct, "product", fs.String("product", "", "only references using this product")},
		{"activity_type", vouch.TaxActivityType, "activity type", fs.String("activity-type", "", "only references who agreed to this activity type")},
	}
	status := fs.String("status", "", "only references with this status (active, resting, do not contact …)")
	dbf := fs.database()
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return usageError{fmt.Sprintf("unexpected argument %q; write to a file with --output FILE", rest[0])}
	}
	if *format == "" {
		*format = refsheet.FormatCSV
		if strings.EqualFold(filepath.Ext(*output), ".xlsx") {
			*format = refsheet.FormatXLSX
		}
	}
	*format = strings.ToLower(*format)
	if *format != refsheet.FormatCSV && *format != refsheet.FormatXLSX {
		return usageError{fmt.Sprintf("--format %q: use csv or xlsx", *format)}
	}
	if *format == refsheet.FormatXLSX && *output == "-" && isTerminal(m.Stdout) {
		return usageError{"an XLSX file is not for a terminal; write it to a file with --output references.xlsx"}
	}
	query := refindex.Query{Text: *q, Limit: -1, Filters: map[string][]int64{}}
	if *status != "" {
		st, ok := vouch.ParseStatus(*status)
		if !ok {
			return usageError{fmt.Sprintf("--status %q: use nominated, qualifying, active, resting, retired or do-not-contact", *status)}
		}
		query.Filters["status"] = []int64{refindex.StatusKey(st)}
	}

	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// A one-off read: the read models are loaded, not kept current.
	cat := catalog.New(db)
	if err := cat.Load(ctx); err != nil {
		return err
	}
	ix := refindex.New(db, cat, nil)
	if err := ix.Load(ctx); err != nil {
		return err
	}
	for _, f := range filters {
		if *f.value == "" {
			continue
		}
		id := cat.ValueID(f.kind, *f.value)
		if id == 0 {
			return usageError{fmt.Sprintf("--%s: there is no %s named %q", strings.ReplaceAll(f.facet, "_", "-"), f.noun, *f.value)}
		}
		query.Filters[f.facet] = []int64{id}
	}
	res := ix.Search(query)
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	names := refsheet.Names{Values: cat, Users: map[int64]string{}}
	for _, u := range users {
		names.Users[u.ID] = u.Email
	}

	if *output == "-" {
		bw := bufio.NewWriter(m.Stdout)
		if err := refsheet.Write(bw, *format, res.Hits, names); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "Exported %s.\n", plural(len(res.Hits), "reference"))
		return nil
	}
	if err := writeFileAtomically(*output, func(w io.Writer) error {
		return refsheet.Write(w, *format, res.Hits, names)
	}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Exported %s to %s.\n", plural(len(res.Hits), "reference"), *output)
	return nil
}

// writeFileAtomically writes a file through a temporary one beside it, so
// a failed export never leaves half a spreadsheet under the real name.
func writeFileAtomically(name string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", name, unwrapPath(err))
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("cannot write %s: %w", name, err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
