package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestAmountsBecomeCents upgrades a database made before migration 00014,
// whose amounts were whole units, and checks a deal keeps its amount.
func TestAmountsBecomeCents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.DBFileName)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(database.DialectSQLite3, raw, os.DirFS("migrations/sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO opportunities (id, name, amount, currency, created_at, updated_at)
		VALUES (1, 'Globex expansion', 250000, 'USD', '2026-11-30 10:00:00', '2026-11-30 10:00:00')`); err != nil {
		t.Fatal(err)
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
	o, err := db.Opportunity(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if o.AmountCents != 25000000 || vouch.FormatCents(o.Currency, o.AmountCents) != "USD 250,000" {
		t.Errorf("after the upgrade the deal is %s (%d cents), want USD 250,000", vouch.FormatCents(o.Currency, o.AmountCents), o.AmountCents)
	}
}

// TestInstancesMigrateAtOnce starts several instances on one new
// PostgreSQL database at the same moment: they take turns, every one
// succeeds, and the picklists are seeded once.
func TestInstancesMigrateAtOnce(t *testing.T) {
	if os.Getenv("VOUCH_TEST_POSTGRES") == "" {
		t.Skip("VOUCH_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	cfg := testutil.DBConfig(t, store.Postgres)
	const instances = 4
	dbs := make([]*store.DB, instances)
	for i := range dbs {
		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	var wg sync.WaitGroup
	errs := make([]error, instances)
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Migrate(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	vals, err := dbs[0].ListTaxonomy(ctx, vouch.TaxActivityType)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range vals {
		if seen[v.Name] {
			t.Errorf("activity type %q seeded twice", v.Name)
		}
		seen[v.Name] = true
	}
	if len(vals) == 0 {
		t.Error("no activity types were seeded")
	}
}
