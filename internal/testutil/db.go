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

// OpenDB opens a new, migrated database of the engine, closed when the test
// ends. It is a copy of a database migrated once (an image): under -race,
// running every migration took a tenth of a second on SQLite and a quarter
// on PostgreSQL, and the tests open well over a thousand databases.
func OpenDB(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	var cfg store.Config
	switch e {
	case store.SQLite:
		cfg = DBConfig(t, e)
		image, err := migratedSQLite()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cfg.DataDir, store.DBFileName), image, 0o600); err != nil {
			t.Fatal(err)
		}
	case store.Postgres:
		cfg = postgresCopy(t)
	default:
		t.Fatalf("unknown engine %q", e)
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// The image is migrated and seeded already; what Migrate would do
	// besides is read the program's time zone.
	if err := db.LoadTimeZone(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// postgresCopy is the configuration of a new database on the test server,
// created from a migrated image — a template database named by the
// schema's digest, made once by whichever test binary needs it first and
// kept for later runs — and dropped when the test ends. Copying a template
// takes a twentieth of the time that migrating a new schema does.
func postgresCopy(t testing.TB) store.Config {
	t.Helper()
	base := os.Getenv("VOUCH_TEST_POSTGRES")
	if base == "" {
		t.Skip("VOUCH_TEST_POSTGRES is not set")
	}
	image, err := postgresImage(base)
	if err != nil {
		t.Fatalf("migrated PostgreSQL image: %v", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "vouch_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + image); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("test database %s left behind: %v", name, err)
		}
		admin.Close()
	})
	return store.Config{URL: withDatabase(base, name)}
}

var pgImage struct {
	once sync.Once
	name string
	err  error
}

// postgresImage makes sure the test server holds a migrated template
// database for the current migrations and returns its name. Test binaries
// of one run share it: the first builds it under an advisory lock, under a
// temporary name it renames when done, so no copy is taken of a half-built
// image.
func postgresImage(base string) (string, error) {
	pgImage.once.Do(func() {
		pgImage.name, pgImage.err = buildPostgresImage(base)
	})
	return pgImage.name, pgImage.err
}

func buildPostgresImage(base string) (string, error) {
	ctx := context.Background()
	name := "vouch_test_image_" + store.SchemaDigest(store.Postgres)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	const lockID = 7_201_612_003 // any number: only test binaries take it
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockID) //nolint:errcheck // the session ends right after
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, store.Config{URL: withDatabase(base, building)})
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

// withDatabase is the server URL base with its database name replaced.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
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
