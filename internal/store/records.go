package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// ReferenceRecord is a reference with what read models need besides it: its
// account and the days of its recent activities.
type ReferenceRecord struct {
	Reference  *vouch.Reference
	Account    *vouch.Account
	Activities []vouch.Date // days of activities in the last 365 days, and booked ones ahead
	LastAsked  vouch.Date   // the day of the reference's latest ask (zero: never asked)
}

// LoadReferenceRecords loads the references with the given ids, or every
// reference when ids is nil, in a constant number of queries.
func (db *DB) LoadReferenceRecords(ctx context.Context, ids []int64, today vouch.Date) ([]ReferenceRecord, error) {
	if ids != nil && len(ids) == 0 {
		return nil, nil
	}
	where, args := "", []any{}
	if ids != nil {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
		where = " WHERE id IN (" + ph + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	refs := map[int64]*vouch.Reference{}
	var order []int64
	accountIDs := map[int64]bool{}
	rows, err := db.query(ctx, `SELECT `+refColumns+` FROM refs`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r, err := scanReference(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		refs[r.ID] = r
		order = append(order, r.ID)
		accountIDs[r.AccountID] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return nil, nil
	}
	refWhere := strings.ReplaceAll(where, "id IN", "ref_id IN")

	rows, err = db.query(ctx, `SELECT ref_id, kind, value_id, consented_on FROM ref_values`+refWhere+` ORDER BY ref_id, kind, value_id`, args...)
	if err != nil {
		return nil, err
	}
	if err := addValues(rows, refs); err != nil {
		return nil, err
	}

	acts := map[int64][]vouch.Date{}
	since := today.AddDays(-365).String()
	actWhere := " WHERE occurred_on >= ?"
	actArgs := append([]any{since}, args...)
	if ids != nil {
		actWhere += " AND" + strings.TrimPrefix(refWhere, " WHERE")
	}
	rows, err = db.query(ctx, `SELECT ref_id, occurred_on FROM activities`+actWhere, actArgs...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var rid int64
		var on string
		if err := rows.Scan(&rid, &on); err != nil {
			rows.Close()
			return nil, err
		}
		if d, err := vouch.ParseDate(on); err == nil {
			acts[rid] = append(acts[rid], d)
		}
	}
	rows.Close()

	// The day each reference was last asked, which matching uses to avoid
	// asking the same people again and again.
	asked := map[int64]vouch.Date{}
	rows, err = db.query(ctx, `SELECT ref_id, MAX(created_at) FROM asks`+refWhere+` GROUP BY ref_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var rid int64
		var at any
		if err := rows.Scan(&rid, &at); err != nil {
			rows.Close()
			return nil, err
		}
		if d, ok := db.dayOfTimestamp(at); ok {
			asked[rid] = d
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	accounts, err := db.loadAccounts(ctx, accountIDs, ids == nil)
	if err != nil {
		return nil, err
	}
	out := make([]ReferenceRecord, 0, len(order))
	for _, id := range order {
		r := refs[id]
		a := accounts[r.AccountID]
		if a == nil {
			return nil, fmt.Errorf("reference %d: account %d missing", id, r.AccountID)
		}
		out = append(out, ReferenceRecord{Reference: r, Account: a, Activities: acts[id], LastAsked: asked[id]})
	}
	return out, nil
}

// dayOfTimestamp reads the day, in the program's time zone, of a timestamp
// column passed through an aggregate: PostgreSQL returns a time, SQLite
// (which loses the column's type in MAX) the text it stored.
func (db *DB) dayOfTimestamp(v any) (vouch.Date, bool) {
	if ts, ok := db.timestampOf(v); ok {
		return db.Clock.DayOf(ts), true
	}
	switch t := v.(type) {
	case []byte:
		return db.dayOfTimestamp(string(t))
	case string:
		if len(t) >= 10 {
			if d, err := vouch.ParseDate(t[:10]); err == nil {
				return d, true
			}
		}
	}
	return vouch.Date{}, false
}

// timestampOf reads a timestamp column passed through an aggregate, as
// dayOfTimestamp does, in UTC.
func (db *DB) timestampOf(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), true
	case []byte:
		return db.timestampOf(string(t))
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano,
			"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
			if ts, err := time.Parse(layout, t); err == nil {
				return ts.UTC(), true
			}
		}
	}
	return time.Time{}, false
}

// loadAccounts loads the accounts in ids (all accounts when all is set) with their products.
func (db *DB) loadAccounts(ctx context.Context, ids map[int64]bool, all bool) (map[int64]*vouch.Account, error) {
	where, args := "", []any{}
	if !all {
		var ph []string
		for id := range ids {
			ph = append(ph, "?")
			args = append(args, id)
		}
		where = " WHERE id IN (" + strings.Join(ph, ",") + ")"
	}
	out := map[int64]*vouch.Account{}
	rows, err := db.query(ctx, `SELECT `+accountColumns+` FROM accounts`+where, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		a.ProductIDs = []int64{}
		out[a.ID] = a
	}
	rows.Close()
	rows, err = db.query(ctx, `SELECT account_id, value_id FROM account_products`+strings.ReplaceAll(where, "id IN", "account_id IN"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var aid, vid int64
		if err := rows.Scan(&aid, &vid); err != nil {
			return nil, err
		}
		if a := out[aid]; a != nil {
			a.ProductIDs = append(a.ProductIDs, vid)
		}
	}
	return out, rows.Err()
}

// AllAccounts loads every account.
func (db *DB) AllAccounts(ctx context.Context) (map[int64]*vouch.Account, error) {
	return db.loadAccounts(ctx, nil, true)
}

// ReferencesOfAccount returns the ids of an account's references.
func (db *DB) ReferencesOfAccount(ctx context.Context, accountID int64) ([]int64, error) {
	return db.ids(ctx, `SELECT id FROM refs WHERE account_id = ? ORDER BY id`, accountID)
}

// ActivityReference returns the reference an activity belongs to (0 if gone).
func (db *DB) ActivityReference(ctx context.Context, activityID int64) (int64, error) {
	ids, err := db.ids(ctx, `SELECT ref_id FROM activities WHERE id = ?`, activityID)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
