package store

import (
	"context"
	"database/sql"
	"sort"
	"time"
)

// Sign-in attempts are kept in the database so that every instance sharing it
// applies the same limit. An attempt is recorded before the password is
// checked, in the same transaction that counts the earlier ones, so
// simultaneous attempts cannot all pass the count: at most the limit of them
// is ever evaluated. A wrong password leaves its attempt in place as a
// failure; a right one removes it (ForgetLoginAttempt).

// LoginLimit is how many attempts Key may have within a window.
type LoginLimit struct {
	Key string // e.g. "email:x", "ip:y"
	Max int
}

// LoginAttempt is a reserved sign-in attempt: the rows recorded for it.
type LoginAttempt struct {
	ids []int64
}

// ReserveLoginAttempt records one attempt for every key, unless a key already
// has its Max attempts within the window: then nothing is recorded and wait
// says how long until its oldest attempt ages out.
func (db *DB) ReserveLoginAttempt(ctx context.Context, window time.Duration, limits ...LoginLimit) (LoginAttempt, time.Duration, error) {
	var attempt LoginAttempt
	var wait time.Duration
	// Locks are taken in key order, so two attempts never wait on each other.
	sorted := append([]LoginLimit(nil), limits...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	err := db.update(ctx, func(tx *Tx) error {
		now := tx.now
		since := now.Add(-window)
		for _, l := range sorted {
			// SQLite has one writer connection, so write transactions already
			// run one at a time; PostgreSQL serializes them per key here.
			if db.Engine == Postgres {
				if _, err := tx.exec(`SELECT pg_advisory_xact_lock(hashtext(?))`, "login:"+l.Key); err != nil {
					return err
				}
			}
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?`, l.Key, since).Scan(&n); err != nil {
				return err
			}
			if n < l.Max {
				continue
			}
			// A plain column rather than MIN(at): SQLite returns aggregates untyped, as text.
			var oldest sql.NullTime
			if err := tx.queryRow(`SELECT at FROM login_failures WHERE key = ? AND at >= ? ORDER BY at LIMIT 1`, l.Key, since).Scan(&oldest); err != nil {
				return err
			}
			if w := oldest.Time.Add(window).Sub(now); w > wait {
				wait = w
			}
		}
		if wait > 0 {
			return nil
		}
		for _, l := range sorted {
			id, err := tx.insert(`INSERT INTO login_failures (key, at) VALUES (?, ?)`, l.Key, now)
			if err != nil {
				return err
			}
			attempt.ids = append(attempt.ids, id)
		}
		_, err := tx.exec(`DELETE FROM login_failures WHERE at < ?`, now.Add(-24*time.Hour))
		return err
	})
	if err != nil || wait > 0 {
		return LoginAttempt{}, wait, err
	}
	return attempt, 0, nil
}

// ForgetLoginAttempt removes a reserved attempt whose password was right, so
// it does not count as a failure (of the client address, say).
func (db *DB) ForgetLoginAttempt(ctx context.Context, a LoginAttempt) error {
	for _, id := range a.ids {
		if _, err := db.write.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE id = ?`), id); err != nil {
			return err
		}
	}
	return nil
}

// ClearLoginFailures forgets the failures of key after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := db.write.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE key = ?`), key)
	return err
}
