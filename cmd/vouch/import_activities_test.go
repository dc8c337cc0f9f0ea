package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestImportActivities runs `vouch import activities` on both engines: a
// dry run writes nothing, the import logs the history tied to its deals,
// the same file again adds nothing, and a broken file says where.
func TestImportActivities(t *testing.T) {
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
			s, err := store.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
			opp := &vouch.Opportunity{Name: "Globex expansion", Stage: "Proposal", AmountCents: 30_000_00, CRMID: "OPP-1"}
			if err := s.CreateOpportunity(ctx, opp); err != nil {
				t.Fatal(err)
			}

			good := writeTemp(t, dir, "history.csv", "Reference,Activity Type,Date,Opportunity,Notes\n"+
				"maya@northwind.example,Call,2026-03-14,OPP-1,CIO to CIO\n"+
				"tom@cedar.example,Site visit,14.04.2026,Globex expansion,\n")
			r := run("import", "activities", good, "--dry-run")
			if r.code != 0 || r.stdout != "Dry run: 2 rows would import: 2 new activities, 0 updated, 0 unchanged. Nothing was written.\n" {
				t.Errorf("dry run: %s", r)
			}
			if r := run("import", "activities", good); r.code != 0 || r.stdout != "Imported 2 rows: 2 new activities, 0 updated, 0 unchanged.\n" {
				t.Errorf("import: %s", r)
			}
			if r := run("import", "activities", good); r.code != 0 || r.stdout != "Imported 2 rows: 0 new activities, 0 updated, 2 unchanged.\n" {
				t.Errorf("the same file again: %s", r)
			}
			maya, err := s.ReferenceIDByEmail(ctx, "maya@northwind.example")
			if err != nil {
				t.Fatal(err)
			}
			if acts, _ := s.Activities(ctx, maya); len(acts) != 1 || acts[0].OpportunityID != opp.ID || acts[0].OppStage != "Proposal" ||
				acts[0].Notes != "CIO to CIO" {
				t.Errorf("Maya's history: %+v", acts)
			}

			bad := writeTemp(t, dir, "bad.csv", "Reference,Activity Type,Date,Opportunity\n"+
				"nobody@example.com,Call,2026-03-14,\n"+
				"maya@northwind.example,Webinar,2026-03-14,Initech\n")
			r = run("import", "activities", bad)
			if r.code != 1 || r.stdout != "" || r.stderr != "row 2, column 'Reference': 'nobody@example.com' — no reference in Vouch has this email\n"+
				"row 3, column 'Activity Type': 'Webinar' — not an activity type Vouch has; an admin adds types under Activity types\n"+
				"row 3, column 'Opportunity': 'Initech' — no opportunity in Vouch has this CRM id or name; import the deals first (vouch import opportunities)\n"+
				"vouch import: 2 rows rejected (listed above); nothing was imported. Fix them, or import the other rows with --valid-only.\n" {
				t.Errorf("bad file: %s", r)
			}
		})
	}
}
