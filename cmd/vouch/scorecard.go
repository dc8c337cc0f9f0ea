package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/scorecard"
)

// scorecardImages are the renderers of the scorecard's pdf and png formats.
var scorecardImages = map[string]func(c *scorecard.Card, opts scorecard.ExportOptions) ([]byte, error){
	"pdf": func(c *scorecard.Card, opts scorecard.ExportOptions) ([]byte, error) {
		return scorecard.PDF(c.Scorecard, opts)
	},
	"png": func(c *scorecard.Card, opts scorecard.ExportOptions) ([]byte, error) {
		return scorecard.PNGImage(c.Scorecard, opts)
	},
}

// scorecardCommand writes the scorecard of a period: vouch scorecard
// --from D --to D | --period NAME [--industry NAME …] --format pdf|png|csv|xlsx|json.
func (m *Main) scorecardCommand(ctx context.Context, args []string) error {
	fs := m.newFlagSet("scorecard", "")
	params := url.Values{}
	one := func(name, usage string) {
		fs.Func(name, usage, func(s string) error { params.Set(name, s); return nil })
	}
	many := func(flagName, param, usage string) {
		fs.Func(flagName, usage+" (repeat for several)", func(s string) error { params.Add(param, s); return nil })
	}
	one("from", "first day of custom days, YYYY-MM-DD (with --to)")
	one("to", "last day of custom days, YYYY-MM-DD (with --from)")
	one("period", "a month, quarter or year: 2026-11, 2026-Q3, 2026, FY2027 Q1, FY2027")
	one("kind", "month, quarter or year holding --anchor (default: the current fiscal quarter)")
	one("anchor", "a day in the period of --kind, YYYY-MM-DD (default: today)")
	for _, f := range scorecard.FilterParams {
		many(strings.ReplaceAll(f.Param, "_", "-"), f.Param, "only this "+strings.ToLower(f.Label))
	}
	many("owner", "owner", "only what this user owns: an email or user id")
	format := fs.String("format", "", "pdf, png, csv, xlsx or json (default: from the --out file's extension, else json)")
	out := fs.String("out", "-", "the file to write, or - for standard output")
	fs.StringVar(out, "output", "-", "the same as --out")
	dbf := fs.database()
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return usageError{fmt.Sprintf("unexpected argument %q; name the period with --from and --to or --period", rest[0])}
	}
	f := strings.ToLower(strings.TrimSpace(*format))
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if f == "" || *out == "-" {
			f = "json"
		}
	}
	switch f {
	case "json", "csv", "xlsx", "pdf", "png":
	default:
		return usageError{fmt.Sprintf("--format %q: use pdf, png, csv, xlsx or json", f)}
	}
	if (f == "xlsx" || f == "pdf" || f == "png") && *out == "-" && isTerminal(m.Stdout) {
		return usageError{fmt.Sprintf("a %s file is not for a terminal; write it to a file with --out scorecard.%s", strings.ToUpper(f), f)}
	}
	render := scorecardImages[f]
	if (f == "pdf" || f == "png") && render == nil {
		return fmt.Errorf("--format %s: this build of Vouch cannot draw the scorecard as %s yet; use csv, xlsx or json", f, strings.ToUpper(f))
	}
	req, err := scorecard.ParseRequest(params)
	if err != nil {
		return err
	}

	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// A one-off read: the catalog (with the program's time zone) and the
	// metrics engine are loaded from the database, not kept current.
	cat := catalog.New(db)
	if err := cat.Load(ctx); err != nil {
		return err
	}
	mx := analytics.New(db, cat, nil)
	if err := mx.Load(ctx); err != nil {
		return err
	}
	svc := scorecard.New(mx, cat, db.Clock.Today, nil)
	svc.SetUsers(db)
	sel, err := svc.Resolve(ctx, req)
	if err != nil {
		return err
	}
	c, err := svc.Card(ctx, sel)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		switch f {
		case "csv":
			return scorecard.WriteCSV(w, c, svc.Opportunities(sel))
		case "xlsx":
			return scorecard.WriteXLSX(w, c, svc.Opportunities(sel))
		case "pdf", "png":
			var filters []string
			for _, f := range c.Filters {
				filters = append(filters, f.Label+": "+strings.Join(f.Names, ", "))
			}
			ps := cat.ProgramSettings()
			b, err := render(c, scorecard.ExportOptions{Period: c.Name, Filters: filters, Generated: db.Now(), Zone: ps.Zone()})
			if err != nil {
				return err
			}
			_, err = w.Write(b)
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(scorecard.NewDocument(c))
	}
	if *out == "-" {
		bw := bufio.NewWriter(m.Stdout)
		if err := write(bw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "Wrote the scorecard of %s (%s … %s, %s).\n", c.Name, c.Query.From, c.Query.To, c.FiltersText())
		return nil
	}
	if err := writeFileAtomically(*out, write); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Wrote the scorecard of %s (%s … %s, %s) to %s.\n", c.Name, c.Query.From, c.Query.To, c.FiltersText(), *out)
	return nil
}
