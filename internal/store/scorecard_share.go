package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Scorecard links and scheduled delivery. A link keeps only the hash of
// its token's nonce. A schedule's last_period says which period was sent
// last; sending claims the next with one conditional UPDATE, so of several
// instances only one mails each period.

const shareColumns = `s.id, s.query, s.note, COALESCE(s.created_by, 0), COALESCE(u.name, ''), s.created_at, s.expires_at, s.revoked_at`

const shareFrom = ` FROM scorecard_shares s LEFT JOIN users u ON u.id = s.created_by`

func scanShare(row interface{ Scan(...any) error }) (*vouch.ScorecardShare, error) {
	s := &vouch.ScorecardShare{}
	var query string
	var revoked sql.NullTime
	if err := row.Scan(&s.ID, &query, &s.Note, &s.CreatedBy, &s.CreatedByName, &s.CreatedAt, &s.ExpiresAt, &revoked); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(query), &s.Query); err != nil {
		return nil, err
	}
	s.CreatedAt, s.ExpiresAt, s.RevokedAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC(), nullTime(revoked)
	return s, nil
}

// CreateScorecardShare stores s under the hash of its link's nonce.
func (db *DB) CreateScorecardShare(ctx context.Context, s *vouch.ScorecardShare, nonceHash string) error {
	query, err := json.Marshal(s.Query)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		s.CreatedBy = vouch.ActorFrom(tx.ctx).UserID
		id, err := tx.insert(`INSERT INTO scorecard_shares (nonce_hash, query, note, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, nonceHash, string(query), s.Note, nullID(s.CreatedBy), tx.now, s.ExpiresAt)
		if err != nil {
			return err
		}
		s.ID, s.CreatedAt = id, tx.now
		return tx.audit("create", vouch.EntityScorecardShare, id, []vouch.Change{
			{Field: "query", After: string(query)}, {Field: "note", After: s.Note}, {Field: "expires_at", After: s.ExpiresAt}})
	})
}

// ScorecardShare reads one link.
func (db *DB) ScorecardShare(ctx context.Context, id int64) (*vouch.ScorecardShare, error) {
	s, err := scanShare(db.queryRow(ctx, `SELECT `+shareColumns+shareFrom+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Scorecard link", id)
	}
	return s, err
}

// ScorecardShareByNonce reads the link whose nonce has hash; ENOTFOUND
// when there is none.
func (db *DB) ScorecardShareByNonce(ctx context.Context, hash string) (*vouch.ScorecardShare, error) {
	s, err := scanShare(db.queryRow(ctx, `SELECT `+shareColumns+shareFrom+` WHERE s.nonce_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Scorecard link not found.")
	}
	return s, err
}

// ScorecardShares lists every link, newest first (at most limit; 0: 200).
func (db *DB) ScorecardShares(ctx context.Context, limit int) ([]*vouch.ScorecardShare, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := db.query(ctx, `SELECT `+shareColumns+shareFrom+` ORDER BY s.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.ScorecardShare
	for rows.Next() {
		s, err := scanShare(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeScorecardShare ends link id now; revoking twice changes nothing.
func (db *DB) RevokeScorecardShare(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var revoked sql.NullTime
		err := tx.queryRow(`SELECT revoked_at FROM scorecard_shares WHERE id = ?`, id).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Scorecard link", id)
		} else if err != nil || revoked.Valid {
			return err
		}
		if _, err := tx.exec(`UPDATE scorecard_shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, tx.now, id); err != nil {
			return err
		}
		return tx.audit("revoke", vouch.EntityScorecardShare, id, []vouch.Change{{Field: "revoked_at", After: tx.now}})
	})
}

const scheduleColumns = `s.id, s.cadence, s.recipients, s.filters, s.last_period, COALESCE(s.created_by, 0), COALESCE(u.name, ''),
	s.version, s.created_at, s.updated_at`

const scheduleFrom = ` FROM scorecard_schedules s LEFT JOIN users u ON u.id = s.created_by`

func scanSchedule(row interface{ Scan(...any) error }) (*vouch.ScorecardSchedule, error) {
	s := &vouch.ScorecardSchedule{}
	var recipients, filters string
	if err := row.Scan(&s.ID, &s.Cadence, &recipients, &filters, &s.LastPeriod, &s.CreatedBy, &s.CreatedByName,
		&s.Version, &s.CreatedAt, &s.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(filters), &s.Filter); err != nil {
		return nil, err
	}
	s.Recipients = strings.Fields(recipients)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, nil
}

// CreateScorecardSchedule stores s. Its LastPeriod is the period already
// closed when it was made, so the first mail goes out when the next closes.
func (db *DB) CreateScorecardSchedule(ctx context.Context, s *vouch.ScorecardSchedule) error {
	filters, err := json.Marshal(s.Filter)
	if err != nil {
		return err
	}
	recipients := strings.Join(s.Recipients, "\n")
	return db.update(ctx, func(tx *Tx) error {
		s.CreatedBy = vouch.ActorFrom(tx.ctx).UserID
		id, err := tx.insert(`INSERT INTO scorecard_schedules (cadence, recipients, filters, last_period, created_by, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, s.Cadence, recipients, string(filters), s.LastPeriod, nullID(s.CreatedBy), tx.now, tx.now)
		if err != nil {
			return err
		}
		s.ID, s.Version, s.CreatedAt, s.UpdatedAt = id, 1, tx.now, tx.now
		return tx.audit("create", vouch.EntityScorecardSchedule, id, []vouch.Change{
			{Field: "cadence", After: s.Cadence}, {Field: "recipients", After: recipients},
			{Field: "filters", After: string(filters)}, {Field: "last_period", After: s.LastPeriod}})
	})
}

// ScorecardSchedule reads one schedule.
func (db *DB) ScorecardSchedule(ctx context.Context, id int64) (*vouch.ScorecardSchedule, error) {
	s, err := scanSchedule(db.queryRow(ctx, `SELECT `+scheduleColumns+scheduleFrom+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Schedule", id)
	}
	return s, err
}

// ScorecardSchedules lists every schedule, oldest first.
func (db *DB) ScorecardSchedules(ctx context.Context) ([]*vouch.ScorecardSchedule, error) {
	rows, err := db.query(ctx, `SELECT `+scheduleColumns+scheduleFrom+` ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.ScorecardSchedule
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteScorecardSchedule stops schedule id for good.
func (db *DB) DeleteScorecardSchedule(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		s, err := scanSchedule(tx.queryRow(`SELECT `+scheduleColumns+scheduleFrom+` WHERE s.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Schedule", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM scorecard_schedules WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit("delete", vouch.EntityScorecardSchedule, id, []vouch.Change{
			{Field: "cadence", Before: s.Cadence}, {Field: "recipients", Before: strings.Join(s.Recipients, "\n")}})
	})
}

// ClaimScheduledPeriod records that schedule id sends period, and queues
// out with it, in one transaction, unless the period was sent already (by
// this instance or another): then it reports false and queues nothing.
func (db *DB) ClaimScheduledPeriod(ctx context.Context, id int64, period string, out vouch.Outgoing) (bool, error) {
	claimed := false
	err := db.update(ctx, func(tx *Tx) error {
		var last string
		err := tx.queryRow(`SELECT last_period FROM scorecard_schedules WHERE id = ?`, id).Scan(&last)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // deleted meanwhile
		} else if err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE scorecard_schedules SET last_period = ? WHERE id = ? AND last_period <> ?`, period, id, period)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return err
		}
		claimed = true
		if err := tx.send(out); err != nil {
			return err
		}
		return tx.audit("send", vouch.EntityScorecardSchedule, id, []vouch.Change{
			{Field: "last_period", Before: last, After: period}, {Field: "mails", After: len(out.Mails)}})
	})
	if err != nil {
		return false, err
	}
	return claimed, nil
}
