// Package testutil starts real Vouch databases, servers and browsers for tests.
package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vouchhq/vouch/internal/password"
	"github.com/vouchhq/vouch/internal/store"
)

// InCI reports whether tests run in CI, where missing PostgreSQL or Chromium is a failure, not a skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// Engines lists the engines to test: SQLite always, PostgreSQL when
// VOUCH_TEST_POSTGRES names a server (CI always sets it).
func Engines(t testing.TB) []store.Engine {
	if os.Getenv("VOUCH_TEST_POSTGRES") == "" {
		if InCI() {
			t.Fatal("VOUCH_TEST_POSTGRES is not set; CI must test PostgreSQL")
		}
		return []store.Engine{store.SQLite}
	}
	return []store.Engine{store.SQLite, store.Postgres}
}

// ForEachEngine runs fn as a subtest once per engine, each on a fresh, migrated database.
func ForEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			fn(t, OpenDB(t, e))
		})
	}
}

// DBConfig returns the configuration of a new, empty database of the engine,
// dropped when the test ends.
func DBConfig(t testing.TB, e store.Engine) store.Config {
	t.Helper()
	if e == store.SQLite {
		return store.Config{DataDir: t.TempDir()}
	}
	base := os.Getenv("VOUCH_TEST_POSTGRES")
	if base == "" {
		t.Skip("VOUCH_TEST_POSTGRES is not set")
	}
	// Each test gets a schema of its own in the server's database, found
	// through search_path: creating a schema takes milliseconds where creating
	// a database takes seconds.
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "vouch_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		admin.Close()
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE"); err != nil {
			t.Logf("test schema %s left behind: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return store.Config{URL: u.String()}
}

// OpenDB opens and migrates a new database of the engine, closed when the test ends.
func OpenDB(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	cfg := DBConfig(t, e)
	if e == store.SQLite {
		// A copy of a database migrated once per test binary: under -race
		// running every migration takes a tenth of a second, and the tests
		// open well over a thousand databases.
		image, err := migratedSQLite()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cfg.DataDir, store.DBFileName), image, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if e == store.SQLite {
		// The copy is migrated and seeded already; what Migrate would do
		// besides is read the program's time zone.
		if err := db.LoadTimeZone(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

var sqliteImage struct {
	once  sync.Once
	bytes []byte
	err   error
}

// migratedSQLite is the file of a new SQLite database with every migration
// applied, made on first use. Migrate on a copy then finds nothing to do.
func migratedSQLite() ([]byte, error) {
	sqliteImage.once.Do(func() {
		dir, err := os.MkdirTemp("", "vouch-test-image-")
		if err != nil {
			sqliteImage.err = err
			return
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		db, err := store.Open(ctx, store.Config{DataDir: filepath.Join(dir, "data")})
		if err != nil {
			sqliteImage.err = err
			return
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			sqliteImage.err = err
			return
		}
		// VACUUM INTO writes one consistent file, with nothing left in the WAL.
		file := filepath.Join(dir, "image.db")
		if err := db.Backup(ctx, file); err != nil {
			sqliteImage.err = err
			return
		}
		sqliteImage.bytes, sqliteImage.err = os.ReadFile(file)
	})
	return sqliteImage.bytes, sqliteImage.err
}

// Tests hash many passwords; the production argon2id cost (19 MiB, 2 passes)
// would dominate their run time under -race. Only test binaries import this
// package, so only they get the cheap parameters; the hash format is the same.
func init() {
	password.Default = password.Params{Memory: 1024, Time: 1, Threads: 1}
}
