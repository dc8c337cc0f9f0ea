package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
)

// TestImportOpportunities runs `vouch import opportunities` on both
// engines: a Salesforce export with its footer goes in, the same file again
// changes nothing, and ambiguous dates ask for --date-order.
func TestImportOpportunities(t *testing.T) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			db := []string{"--data-dir", filepath.Join(dir, "data")}
			if engine == store.Postgres {
				db = []string{"--db", postgresURL(t)}
			}
			run := func(args ...string) result { return runVouch(t, opts{}, append(args, db...)...) }
			export := writeTemp(t, dir, "report.csv", "\ufeff\"Opportunity ID\",\"Opportunity Name\",\"Amount\",\"Stage\",\"Close Date\"\n"+
				"\"006A1\",\"Acme expansion\",\"USD 12,500.00\",\"Closed Won\",\"11/05/2026\"\n"+
				"\"006A2\",\"Globex\",\"$1,234.56\",\"Proposal\",\"12/03/2026\"\n\"\"\n\"Grand Totals (2 records)\"\n"+
				"\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n")
			r := run("import", "opportunities", export)
			if r.code == 0 || !strings.Contains(r.stderr, "report.csv: the dates in column 'Close Date' (rows 2 and 3) could be month/day/year or day/month/year") ||
				!strings.Contains(r.stderr, "--date-order mdy") {
				t.Errorf("ambiguous dates: %s", r)
			}
			if r := run("import", "opportunities", export, "--date-order", "dmy", "--dry-run"); r.code != 0 ||
				r.stdout != "Dry run: 2 rows would import: 2 new opportunities, 0 updated, 0 unchanged. Nothing was written.\n" {
				t.Errorf("dry run: %s", r)
			}
			r = run("import", "opportunities", export, "--date-order", "mdy")
			if r.code != 0 || r.stdout != "Imported 2 rows: 2 new opportunities, 0 updated, 0 unchanged.\n" ||
				!strings.Contains(r.stderr, "Skipped the report's footer below the records (2 lines") {
				t.Errorf("import: %s", r)
			}
			if r := run("import", "opportunities", export, "--date-order", "mdy"); r.code != 0 || r.stdout != "Imported 2 rows: 0 new opportunities, 0 updated, 2 unchanged.\n" {
				t.Errorf("the same file again: %s", r)
			}
			if r := run("import", "opportunities", export, "--date-order", "ymd"); r.code == 0 || !strings.Contains(r.stderr, `"ymd" is not a date order`) {
				t.Errorf("a wrong order: %s", r)
			}
		})
	}
}

// TestImportAccounts runs `vouch import accounts`: the accounts go in, and
// the same export again changes nothing.
func TestImportAccounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := []string{"--data-dir", filepath.Join(dir, "data")}
	run := func(args ...string) result { return runVouch(t, opts{}, append(args, db...)...) }
	export := writeTemp(t, dir, "accounts.csv", "Account ID,Account Name,Website,Health,Customer Since\n"+
		"001A,Acme,acme.example,good,2021-03-15\n001B,Globex,globex.example,poor,\n")
	if r := run("import", "accounts", export); r.code != 0 || r.stdout != "Imported 2 rows: 2 new accounts, 0 updated, 0 unchanged.\n" {
		t.Errorf("import: %s", r)
	}
	if r := run("import", "accounts", export); r.code != 0 || r.stdout != "Imported 2 rows: 0 new accounts, 0 updated, 2 unchanged.\n" {
		t.Errorf("the same file again: %s", r)
	}
}
