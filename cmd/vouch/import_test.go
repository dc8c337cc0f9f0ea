package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportReferences(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	good := writeTemp(t, dir, "people.csv", "Company,Full Name,E-mail,Vertical,Notes\n"+
		"Northwind Health,Maya Okafor,maya@northwind.example,Healthcare,met at the summit\n"+
		"Northwind Health,Jonas Lindqvist,jonas@northwind.example,,\n")

	r := runVouch(t, opts{}, "import", "references", good, "--dry-run", "--data-dir", data)
	if r.code != 0 || r.stdout != "Dry run: 2 rows would import: 2 new references, 0 updated, 0 unchanged; 1 new account. Nothing was written.\n" ||
		r.stderr != "Ignored columns (no Vouch column; map them with --mapping): 'Notes'.\n" {
		t.Errorf("dry run: %s", r)
	}
	r = mustVouch(t, opts{}, "import", "references", good, "--data-dir", data)
	if r.stdout != "Imported 2 rows: 2 new references, 0 updated, 0 unchanged; 1 new account.\n" {
		t.Errorf("import: %s", r)
	}
	// The same file again changes nothing.
	r = mustVouch(t, opts{}, "import", "references", "--data-dir", data, good)
	if r.stdout != "Imported 2 rows: 0 new references, 0 updated, 2 unchanged.\n" {
		t.Errorf("re-import: %s", r)
	}

	// A bad row: the report on stderr, exit 1, nothing written.
	bad := writeTemp(t, dir, "bad.csv", "Account,Name,Email,Industry\n"+
		"Northwind Health,Maya Okafor,maya@northwind.example,Heathcare\n"+
		"Cedar Labs,Tom Becker,tom@cedar.example,Technology\n")
	r = runVouch(t, opts{}, "import", "references", bad, "--data-dir", data)
	if r.code != 1 || r.stdout != "" || r.stderr != "row 2, column 'Industry': 'Heathcare' — did you mean 'Healthcare'?\n"+
		"vouch import: 1 row rejected (listed above); nothing was imported. Fix them, or import the other rows with --valid-only.\n" {
		t.Errorf("bad file: %s", r)
	}
	// --valid-only imports the good row and still exits 1: a row was rejected.
	r = runVouch(t, opts{}, "import", "references", bad, "--valid-only", "--data-dir", data)
	if r.code != 1 || r.stdout != "Imported 1 of 2 rows: 1 new reference, 0 updated, 0 unchanged; 1 new account.\n" ||
		r.stderr != "row 2, column 'Industry': 'Heathcare' — did you mean 'Healthcare'?\nvouch import: 1 row rejected (listed above).\n" {
		t.Errorf("valid only: %s", r)
	}

	// A cell with a terminal escape is a row error, printed with the escape
	// written out so it cannot rewrite the terminal; nothing is imported.
	esc := writeTemp(t, dir, "esc.csv", "Account,Name,Email,Story\n"+
		"Cedar Labs,Tom\x1b[2J Becker,tom@cedar.example,"+strings.Repeat("Moved off a homegrown system. ", 5)+"\n")
	r = runVouch(t, opts{}, "import", "references", esc, "--data-dir", data)
	if r.code != 1 || r.stdout != "" || r.stderr != `row 2, column 'Name': 'Tom\x1b[2J Becker' — contains a control character (U+001B) in column B (the Name field); remove it and import again`+"\n"+
		"vouch import: 1 row rejected (listed above); nothing was imported. Fix them, or import the other rows with --valid-only.\n" {
		t.Errorf("escape in a cell: %s", r)
	}

	// Export, then import the export: every reference is unchanged.
	out := filepath.Join(dir, "export.csv")
	r = mustVouch(t, opts{}, "export", "references", "--output", out, "--data-dir", data)
	if r.stdout != "Exported 3 references to "+out+".\n" {
		t.Errorf("export: %s", r)
	}
	r = mustVouch(t, opts{}, "import", "references", out, "--data-dir", data)
	if r.stdout != "Imported 3 rows: 0 new references, 0 updated, 3 unchanged.\n" || r.stderr != "" {
		t.Errorf("import of the export: %s", r)
	}
	xlsx := filepath.Join(dir, "export.xlsx")
	// Maya and Jonas work at Northwind Health, a healthcare account.
	mustVouch(t, opts{}, "export", "references", "--output", xlsx, "--industry", "healthcare", "--data-dir", data)
	r = mustVouch(t, opts{}, "import", "references", xlsx, "--data-dir", data)
	if r.stdout != "Imported 2 rows: 0 new references, 0 updated, 2 unchanged.\n" {
		t.Errorf("import of the XLSX export: %s", r)
	}
	r = mustVouch(t, opts{}, "export", "references", "--q", "cedar", "--data-dir", data)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "Cedar Labs,") ||
		r.stderr != "Exported 1 reference.\n" {
		t.Errorf("export to stdout: %s", r)
	}
}

func TestImportExportUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "references", "--data-dir", data}, 2, "vouch import: name one file to import"},
		{[]string{"import", "deals", "x.csv"}, 2, `vouch import: unknown kind of records "deals"; references, content, activities, opportunities and accounts can be imported`},
		{[]string{"import", "references", filepath.Join(dir, "missing.csv"), "--data-dir", data}, 1,
			"vouch import: cannot open " + filepath.Join(dir, "missing.csv") + ": no such file or directory."},
		{[]string{"import", "references", writeTemp(t, dir, "noname.csv", "Company,Email\nAcme,a@acme.example\n"), "--data-dir", data}, 1,
			"vouch import: noname.csv: No column for name, which every reference needs. The headers found are 'Company', 'Email'; map one of them to name."},
		{[]string{"import", "references", writeTemp(t, dir, "photo.csv", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), "--data-dir", data}, 1,
			"vouch import: photo.csv is not a CSV or XLSX file."},
		{[]string{"export", "references", "--format", "pdf", "--data-dir", data}, 2, `vouch export: --format "pdf": use csv or xlsx`},
		{[]string{"export", "references", "--industry", "Agritech", "--data-dir", data}, 2, `vouch export: --industry: there is no industry named "Agritech"`},
	} {
		r := runVouch(t, opts{}, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("vouch %s: want exit %d and %q, got %s", strings.Join(tc.args, " "), tc.code, tc.want, r)
		}
	}
}

// TestImportProgress checks a large import shows how far it is: one line
// rewritten in place on a terminal, a line every quarter in a log or a pipe.
func TestImportProgress(t *testing.T) {
	for _, c := range []struct {
		terminal bool
		want     string
	}{
		{false, "Importing … 0% (2,000 of 12,000 rows)\nImporting … 25% (4,000 of 12,000 rows)\n" +
			"Importing … 50% (6,000 of 12,000 rows)\nImporting … 75% (10,000 of 12,000 rows)\nImporting … 100% (12,000 of 12,000 rows)\n"},
		{true, "\rImporting … 10% (2,000 of 12,000 rows)\rImporting … 30% (4,000 of 12,000 rows)\rImporting … 50% (6,000 of 12,000 rows)" +
			"\rImporting … 60% (8,000 of 12,000 rows)\rImporting … 80% (10,000 of 12,000 rows)\rImporting … 100% (12,000 of 12,000 rows)\n"},
	} {
		var out strings.Builder
		progress := progressPrinter(&out, c.terminal)
		for done := 2000; done <= 12000; done += 2000 {
			progress(done, 12000)
		}
		if out.String() != c.want {
			t.Errorf("terminal %v:\n got %q\nwant %q", c.terminal, out.String(), c.want)
		}
	}
	m := &Main{Stderr: &strings.Builder{}}
	if m.importProgress(4999) != nil {
		t.Error("a file of under 5,000 rows shows progress")
	}
	if m.importProgress(50000) == nil {
		t.Error("a file of 50,000 rows written to a log shows no progress")
	}
}
