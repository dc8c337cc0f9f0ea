package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	_ "modernc.org/sqlite"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestRefValuesWithoutRowid upgrades a SQLite database made before migration
// 00008 and checks a reference keeps its picklist values, a value in use
// still cannot be deleted, and deleting the reference still deletes its rows.
func TestRefValuesWithoutRowid(t *testing.T) {
	dir := t.TempDir()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.DBFileName)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(database.DialectSQLite3, raw, os.DirFS("migrations/sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), 4); err != nil {
		t.Fatal(err)
	}
	const now = "2026-11-30 10:00:00"
	for _, q := range []string{
		`INSERT INTO taxonomy_values (id, kind, name, name_key, position, created_at, updated_at) VALUES
			(9001, 'product', 'Ledger', 'ledger', 10, '` + now + `', '` + now + `'),
			(9002, 'activity_type', 'Case study', 'case study', 10, '` + now + `', '` + now + `')`,
		`INSERT INTO accounts (id, name, name_key, created_at, updated_at) VALUES (1, 'Acme', 'acme', '` + now + `', '` + now + `')`,
		`INSERT INTO refs (id, account_id, name, status, created_at, updated_at) VALUES (1, 1, 'Ada', 'active', '` + now + `', '` + now + `')`,
		`INSERT INTO ref_values (ref_id, kind, value_id, consented_on) VALUES
			(1, 'product', 9001, ''), (1, 'activity_type', 9002, '2026-11-01')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := db.Reference(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ProductIDs) != 1 || r.ProductIDs[0] != 9001 || len(r.Activities) != 1 ||
		r.Activities[0].TypeID != 9002 || r.Activities[0].ConsentedOn.String() != "2026-11-01" {
		t.Fatalf("after the upgrade the reference has products %v, activities %+v", r.ProductIDs, r.Activities)
	}
	if err := db.DeleteTaxonomyValue(ctx, 9001); vouch.ErrorCode(err) != vouch.ECONFLICT {
		t.Fatalf("deleting a product in use: %v, want a conflict", err)
	}
	if err := db.DeleteReference(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTaxonomyValue(ctx, 9001); err != nil {
		t.Fatalf("deleting a product no longer in use: %v", err)
	}
}
