package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestImportContent runs `vouch import content` on both engines: a valid
// list (dry run first, then twice: the second time changes nothing), a
// broken one (every problem with its row and column, nothing written),
// --valid-only, --add-missing-values, a state change, and an XLSX file.
func TestImportContent(t *testing.T) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := store.Config{DataDir: filepath.Join(dir, "data")}
			db := []string{"--data-dir", cfg.DataDir}
			if engine == store.Postgres {
				cfg = store.Config{URL: postgresURL(t)}
				db = []string{"--db", cfg.URL}
			}
			run := func(args ...string) result { return runVouch(t, opts{}, append(args, db...)...) }
			people := writeTemp(t, dir, "people.csv", "Account,Name,Email\n"+
				"Northwind Health,Maya Okafor,maya@northwind.example\nCedar Labs,Tom Becker,tom@cedar.example\n")
			if r := run("import", "references", people); r.code != 0 {
				t.Fatalf("references: %s", r)
			}

			good := writeTemp(t, dir, "content.csv", "Title,Type,Link,Customer,References,Industry,Approval State,Approved By,Approval Method,Notes\n"+
				"Northwind cuts triage time,Case study,https://example.com/northwind,Northwind Health,maya@northwind.example,Healthcare,approved external,\"Dana Park, VP Marketing\",mail,from the summit\n"+
				"Cedar on camera,Video,https://videos.example/cedar,Cedar Labs,tom@cedar.example,,draft,,,\n")
			r := run("import", "content", good, "--dry-run")
			if r.code != 0 || r.stdout != "Dry run: 2 rows would import: 2 new content items, 0 updated, 0 unchanged. Nothing was written.\n" ||
				r.stderr != "Ignored columns (no Vouch column; map them with --mapping): 'Notes'.\n" {
				t.Errorf("dry run: %s", r)
			}
			if r := run("import", "content", good); r.code != 0 || r.stdout != "Imported 2 rows: 2 new content items, 0 updated, 0 unchanged.\n" {
				t.Errorf("import (the dry run wrote nothing, so both are new): %s", r)
			}
			if r := run("import", "content", good); r.code != 0 || r.stdout != "Imported 2 rows: 0 new content items, 0 updated, 2 unchanged.\n" {
				t.Errorf("the same file again: %s", r)
			}

			s, err := store.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			items, err := s.ContentItems(context.Background(), nil)
			if err != nil || len(items) != 2 {
				t.Fatalf("stored %d items (%v)", len(items), err)
			}
			a := items[0]
			ps, _ := s.ProgramSettings(context.Background())
			if a.Title != "Northwind cuts triage time" || a.State != vouch.ContentApprovedExternal || a.ApprovedBy != "Dana Park, VP Marketing" ||
				a.ApprovalMethod != "mail" || a.ApprovedOn != s.Today() || a.ExpiresOn != vouch.ConsentExpiry(s.Today(), ps.ConsentMonths) ||
				len(a.AccountIDs) != 1 || len(a.ReferenceIDs) != 1 || len(a.IndustryIDs) != 1 {
				t.Errorf("the approved item as stored: %+v", a)
			}
			if h, _ := s.ContentHistory(context.Background(), a.ID); len(h) != 1 || h[0].To != vouch.ContentApprovedExternal {
				t.Errorf("its approval history: %+v", h)
			}

			// A state moves along the lifecycle; the other row is unchanged.
			moved := writeTemp(t, dir, "moved.csv", "Title,Type,URL,Approval State\n"+
				"Northwind cuts triage time,Case study,https://example.com/northwind,\n"+
				"Cedar on camera,Video,https://videos.example/cedar,awaiting\n")
			if r := run("import", "content", moved); r.stdout != "Imported 2 rows: 0 new content items, 1 updated, 1 unchanged.\n" {
				t.Errorf("a state change: %s", r)
			}

			bad := writeTemp(t, dir, "bad.csv", "Title,Type,URL,Accounts,Approval State,Approval Method\n"+
				"Acme rollout,Case stdy,https://example.com/acme,Northwind Helth,,\n"+
				"Beta story,Quote,,,approved external,\n"+
				"Gamma deck,Slide deck,https://example.com/gamma,,draft,\n")
			r = run("import", "content", bad)
			problems := "row 2, column 'Type': 'Case stdy' — did you mean 'Case study'?\n" +
				"row 2, column 'Accounts': 'Northwind Helth' — did you mean 'Northwind Health'?\n" +
				"row 3, column 'Approval Method': is required: how the approval was given (mail, document, internal)\n" +
				"row 3, column 'Approved By': is required: who at the customer approved\n"
			if r.code != 1 || r.stdout != "" || r.stderr != problems+
				"vouch import: 2 rows rejected (listed above); nothing was imported. Fix them, or import the other rows with --valid-only.\n" {
				t.Errorf("bad file: %s", r)
			}
			r = run("import", "content", bad, "--valid-only")
			if r.code != 1 || r.stdout != "Imported 1 of 3 rows: 1 new content item, 0 updated, 0 unchanged.\n" ||
				r.stderr != problems+"vouch import: 2 rows rejected (listed above).\n" {
				t.Errorf("valid only: %s", r)
			}

			missing := writeTemp(t, dir, "missing.csv", "Title,Type,Accounts,Products\nZenith webinar,Webinar,Zenith Air,Chatbots\n")
			r = run("import", "content", missing)
			if r.code != 1 || r.stderr != "row 2, column 'Accounts': 'Zenith Air' — not a known account\n"+
				"row 2, column 'Products': 'Chatbots' — not a known product\n"+
				"Values missing from a picklist can be added by an admin, or with --add-missing-values.\n"+
				"vouch import: 1 row rejected (listed above); nothing was imported. Fix them, or import the other rows with --valid-only.\n" {
				t.Errorf("unknown account and product: %s", r)
			}
			r = run("import", "content", missing, "--add-missing-values")
			if r.code != 0 || r.stdout != "Imported 1 row: 1 new content item, 0 updated, 0 unchanged; added Product 'Chatbots', Account 'Zenith Air'.\n" {
				t.Errorf("adding them: %s", r)
			}

			// An XLSX file with a title above its headers.
			f := excelize.NewFile()
			for cell, v := range map[string]string{"A1": "Customer evidence, Q3", "A3": "Title", "B3": "Type", "C3": "Expiry Date",
				"D3": "Approval State", "E3": "Approval Method", "A4": "Our own webinar", "B4": "Webinar", "D4": "approved internal", "E4": "internal"} {
				_ = f.SetCellValue("Sheet1", cell, v)
			}
			_ = f.SetCellValue("Sheet1", "C4", s.Today().AddDays(400).Time())
			xlsx := filepath.Join(dir, "content.xlsx")
			if err := f.SaveAs(xlsx); err != nil {
				t.Fatal(err)
			}
			if r := run("import", "content", xlsx); r.code != 0 || r.stdout != "Imported 1 row: 1 new content item, 0 updated, 0 unchanged.\n" {
				t.Errorf("xlsx: %s", r)
			}
			items, _ = s.ContentItems(context.Background(), nil)
			last := items[len(items)-1]
			if last.Title != "Our own webinar" || last.State != vouch.ContentApprovedInternal || last.ExpiresOn != s.Today().AddDays(400) {
				t.Errorf("the item from the XLSX: %+v", last)
			}
			if r := run("import", "content"); r.code != 2 || !strings.Contains(r.stderr, "vouch import: name one file to import, e.g. vouch import content case-studies.csv") {
				t.Errorf("no file: %s", r)
			}
		})
	}
}
