package store

import (
	"context"
	"database/sql"
	"time"
)

// Login failures are kept in the database so that every instance sharing it
// applies the same limit.

// RecordLoginFailure notes a failed login for each key (e.g. "email:x", "ip:y").
func (db *DB) RecordLoginFailure(ctx context.Context, keys ...string) error {
	now := db.Now()
	for _, k := range keys {
		if _, err := db.write.ExecContext(ctx, db.q(`INSERT INTO login_failures (key, at) VALUES (?, ?)`), k, now); err != nil {
			return err
		}
	}
	_, err := db.write.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE at < ?`), now.Add(-24*time.Hour))
	return err
}

// LoginFailures returns how many failures key had since the time, and the oldest of them.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?`, key, since).Scan(&n); err != nil || n == 0 {
		return n, time.Time{}, err
	}
	// A plain column rather than MIN(at): SQLite returns aggregates untyped, as text.
	var oldest sql.NullTime
	err := db.queryRow(ctx, `SELECT at FROM login_failures WHERE key = ? AND at >= ? ORDER BY at LIMIT 1`, key, since).Scan(&oldest)
	return n, oldest.Time.UTC(), err
}

// ClearLoginFailures forgets the failures of key after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := db.write.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE key = ?`), key)
	return err
}
