// Package store keeps Vouch's data in SQLite (embedded, the default) or
// PostgreSQL (for several instances sharing one database). Both engines run
// the same SQL, with per-engine migrations, and pass the same test suite.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc64"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DBFileName is the SQLite database file inside the data directory.
const DBFileName = "vouch.db"

// Config says which database to open: PostgreSQL when URL is set, else SQLite in DataDir.
type Config struct {
	DataDir string
	URL     string
}

// DB is an open Vouch database.
type DB struct {
	Engine Engine
	Path   string // SQLite file; empty for PostgreSQL
	URL    string // PostgreSQL URL; empty for SQLite

	// write takes every transaction that changes data. On SQLite it is one
	// connection, so writers queue in Go instead of failing with SQLITE_BUSY;
	// read is a pool of read-only connections that WAL lets run alongside.
	write *sql.DB
	read  *sql.DB

	// Clock is the program's one clock: the time every transaction records
	// and the day the store's rules count from, in the program's time zone.
	// Open sets the wall clock; tests pin or replace it before use.
	Clock *vouch.Clock

	rebound sync.Map // query with ? placeholders → query with $n placeholders

	mu          sync.Mutex
	subscribers map[int]func([]vouch.Touched)
	nextSub     int
}

// Subscribe registers fn to be told, after each commit in this process, which
// entities changed. Read models use it to stay current on their own writes;
// writes by other processes are found through ChangesSince. fn runs in the
// committing goroutine, so it must not write. (internal/changefeed is the
// one subscriber read models go through.) The returned func unsubscribes fn.
func (db *DB) Subscribe(fn func([]vouch.Touched)) (unsubscribe func()) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.subscribers == nil {
		db.subscribers = map[int]func([]vouch.Touched){}
	}
	id := db.nextSub
	db.nextSub++
	db.subscribers[id] = fn
	return func() {
		db.mu.Lock()
		defer db.mu.Unlock()
		delete(db.subscribers, id)
	}
}

func (db *DB) notify(t []vouch.Touched) {
	if len(t) == 0 {
		return
	}
	db.mu.Lock()
	subs := make([]func([]vouch.Touched), 0, len(db.subscribers))
	for id := 0; id < db.nextSub; id++ {
		if fn, ok := db.subscribers[id]; ok {
			subs = append(subs, fn) // in the order they subscribed
		}
	}
	db.mu.Unlock()
	for _, fn := range subs {
		fn(t)
	}
}

//go:embed migrations
var migrations embed.FS

// Open opens (creating if needed) the database named by cfg, but does not migrate it.
// Its errors are one sentence naming the problem, fit to show an operator.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.URL != "" {
		return openPostgres(ctx, cfg.URL)
	}
	return openSQLite(ctx, cfg.DataDir)
}

func openSQLite(ctx context.Context, dir string) (*DB, error) {
	if dir == "" {
		dir = "data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("cannot create data directory %s: %w", dir, unwrapPathError(err))
	}
	probe := filepath.Join(dir, ".vouch-write-test")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		return nil, fmt.Errorf("data directory %s is not writable: %w", dir, unwrapPathError(err))
	}
	os.Remove(probe)
	path := filepath.Join(dir, DBFileName)
	pragmas := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	// The writer gets a larger page cache (64 MiB, default 2 MiB): an import
	// inserts into several indexes at once and would otherwise re-read their
	// pages from the OS.
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	db := &DB{Engine: SQLite, Path: path, write: write, read: read, Clock: vouch.NewClock(nil)}
	if err := write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot open SQLite database %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("database URL is not a valid PostgreSQL URL (postgres://user:password@host:5432/name): %s", redactURLError(err))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{Engine: Postgres, URL: rawURL, write: pool, read: pool, Clock: vouch.NewClock(nil)}
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %s", net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), pgReason(err))
	}
	return db, nil
}

// pgReason shortens a pgx connection error to its cause.
func pgReason(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// redactURLError keeps passwords out of URL parse errors.
func redactURLError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "cannot parse `"); i >= 0 {
		if j := strings.Index(msg[i+14:], "`"); j >= 0 {
			msg = msg[:i] + "cannot parse the URL" + msg[i+14+j+1:]
		}
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return msg
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Now is the clock's time as the database keeps it: UTC, to the
// microsecond, so a time read back equals the one written.
func (db *DB) Now() time.Time { return db.Clock.Now().UTC().Truncate(time.Microsecond) }

// Today is the clock's day in the program's time zone.
func (db *DB) Today() vouch.Date { return db.Clock.Today() }

// Close closes the database.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		if err2 := db.read.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

// Migrate applies every pending migration of the engine, then seeds
// defaults and sets the clock to the program's time zone.
// On PostgreSQL a session lock lets several instances start at once.
func (db *DB) Migrate(ctx context.Context) error {
	dialect := database.DialectSQLite3
	dir := "migrations/sqlite"
	var opts []goose.ProviderOption
	if db.Engine == Postgres {
		dialect = database.DialectPostgres
		dir = "migrations/postgres"
		// The lock is per database and schema: instances sharing one
		// database take turns, while installations (or test runs) in other
		// schemas of the same server do not wait for each other. It is
		// retried every second rather than goose's default five.
		var where string
		if err := db.write.QueryRowContext(ctx, `SELECT current_database() || '.' || current_schema()`).Scan(&where); err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		locker, err := lock.NewPostgresSessionLocker(
			lock.WithLockID(int64(crc64.Checksum([]byte(where), crc64.MakeTable(crc64.ECMA))>>1)),
			lock.WithLockTimeout(1, 600))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, db.write, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrating the database: %w", err)
	}
	if err := db.seedTaxonomies(ctx); err != nil {
		return err
	}
	return db.LoadTimeZone(ctx)
}

// SchemaVersion returns the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v)
	return v.Int64, err
}

// Backup writes a consistent copy of a SQLite database to file while it is in use.
func (db *DB) Backup(ctx context.Context, file string) error {
	if db.Engine != SQLite {
		return errors.New("vouch backup copies SQLite databases; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=vouch.dump \"$VOUCH_DB\"")
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup file %s already exists; choose a new name", file)
	}
	// VACUUM INTO reads one snapshot of the database, so writers may go on meanwhile.
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		return fmt.Errorf("backup to %s: %w", file, err)
	}
	return nil
}

// q rewrites ? placeholders to $1, $2, … for PostgreSQL. Queries are written
// once with ? and never contain ? inside string literals.
func (db *DB) q(query string) string {
	if db.Engine != Postgres {
		return query
	}
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	db.rebound.Store(query, out)
	return out
}

// Tx is a write transaction; every change made in it is audited in it.
type Tx struct {
	tx      *sql.Tx
	db      *DB
	ctx     context.Context
	now     time.Time
	touched []vouch.Touched

	// Lookups cached for a Batch; nil outside one.
	valueKinds map[int64]string
	userIDs    map[int64]bool
}

// update runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, db: db, ctx: ctx, now: db.Now()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback() // fn's error is the one to report; a failed rollback closes the connection, which aborts the transaction too
		return mapError(err)
	}
	// A caller that gave up (a job stopped by a shutdown) commits nothing.
	// Commit checks the transaction's own context, which is cancelled a
	// moment after ctx: in between, a commit could still slip through.
	if err := ctx.Err(); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return mapError(fmt.Errorf("commit: %w", err))
	}
	db.notify(tx.touched)
	return nil
}

// today is the transaction's day in the program's time zone.
func (tx *Tx) today() vouch.Date { return tx.db.Clock.DayOf(tx.now) }

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(tx.ctx, tx.db.q(query), args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(tx.ctx, tx.db.q(query), args...)
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(tx.ctx, tx.db.q(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(query+" RETURNING id", args...).Scan(&id)
	return id, err
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.q(query), args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, db.q(query), args...)
}

// mapError turns constraint violations into conflicts users understand;
// errors that already carry a code pass through.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var verr *vouch.Error
	if errors.As(err, &verr) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return vouch.Errorf(vouch.ENOTFOUND, "Not found.")
	}
	switch {
	case isUnique(err):
		return vouch.Errorf(vouch.ECONFLICT, "That already exists.")
	case isForeignKey(err):
		return vouch.Errorf(vouch.ECONFLICT, "It is still in use by other records.")
	}
	return err
}

func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func isForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		// ON DELETE RESTRICT reports a trigger-style constraint code (1811), not 787.
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY ||
			(se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT && strings.Contains(se.Error(), "FOREIGN KEY"))
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// nullTime converts a nullable column to a pointer.
func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// notFound is the error for a missing entity.
func notFound(what string, id any) error {
	return vouch.Errorf(vouch.ENOTFOUND, "%s %v not found.", what, id)
}

// SchemaDigest is a hash of every migration of the engine and of the
// picklists Migrate seeds: two databases migrated by binaries with the same
// digest start alike. Tests name their pre-migrated database images by it.
func SchemaDigest(e Engine) string {
	dir := "migrations/sqlite"
	if e == Postgres {
		dir = "migrations/postgres"
	}
	h := sha256.New()
	entries, _ := fs.ReadDir(migrations, dir) // embedded: cannot fail
	for _, f := range entries {
		data, _ := fs.ReadFile(migrations, dir+"/"+f.Name())
		fmt.Fprintf(h, "%s %d\n", f.Name(), len(data))
		h.Write(data)
	}
	for _, kind := range vouch.TaxonomyKinds {
		fmt.Fprintf(h, "%s %q\n", kind, vouch.DefaultTaxonomies[kind])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
