package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vouchhq/vouch/internal/vouch"
)

// send stores out's mails in the outbox and its notifications in the
// recipients' lists, in the transaction of the change they tell about.
func (tx *Tx) send(out vouch.Outgoing) error {
	for _, m := range out.Mails {
		if strings.TrimSpace(m.To) == "" {
			continue // a person without an email address gets no mail
		}
		var rid any
		if m.RequestID != 0 {
			rid = m.RequestID
		}
		_, err := tx.exec(`INSERT INTO outbox (message_id, to_addr, subject, body, ics, request_id, created_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, newMessageID(), m.To, m.Subject, m.Body, m.ICS, rid, tx.now, tx.now)
		if err != nil {
			return err
		}
	}
	for _, n := range out.Notifications {
		if n.UserID == 0 {
			continue
		}
		if _, err := tx.exec(`INSERT INTO notifications (user_id, body, link, created_at) VALUES (?, ?, ?, ?)`,
			n.UserID, n.Body, n.Link, tx.now); err != nil {
			return err
		}
	}
	if len(out.Mails) > 0 {
		tx.touched = append(tx.touched, vouch.Touched{Kind: vouch.EntityOutbox})
	}
	return nil
}

// newMessageID is a unique Message-ID for a mail, fixed when it is queued so
// a retried send carries the same one and receivers can drop a duplicate.
func newMessageID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b) + "@vouch"
}

// MailMaxAttempts is how many times a mail is tried before it stays failed
// (until someone retries it from the outbox).
const MailMaxAttempts = 10

// Statuses of a mail in the outbox.
const (
	MailPending = "pending" // not sent yet: waiting for its first or next attempt
	MailSent    = "sent"
	MailFailed  = "failed" // gave up: MailMaxAttempts failures, or the server refused it for good
)

// mailNever is the next attempt of a mail that was given up on: claims only
// take mail due by now, so it is never sent again unless retried.
var mailNever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// maxMailError bounds the stored text of a send error.
const maxMailError = 1000

// OutboxMail is a mail in the outbox: queued, sent, or failed.
type OutboxMail struct {
	ID        int64      `json:"id"`
	MessageID string     `json:"message_id"` // the Message-ID header, without angle brackets
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	ICS       string     `json:"ics,omitempty"`
	RequestID int64      `json:"request_id,omitempty"`
	Status    string     `json:"status"` // MailPending, MailSent or MailFailed
	CreatedAt time.Time  `json:"created_at"`
	Attempts  int        `json:"attempts"`   // tries so far, the successful one included
	LastError string     `json:"last_error"` // why the last failed try failed
	SentAt    *time.Time `json:"sent_at"`
	// NextAttemptAt is when a pending mail is tried next; zero once sent or failed.
	NextAttemptAt time.Time `json:"next_attempt_at"`
	// ClaimedUntil is set while a sender holds the mail.
	ClaimedUntil *time.Time `json:"claimed_until,omitempty"`
}

const outboxColumns = `id, message_id, to_addr, subject, body, ics, COALESCE(request_id, 0), created_at,
	attempts, last_error, sent_at, next_attempt_at, claimed_until`

func scanOutboxMail(row interface{ Scan(...any) error }) (*OutboxMail, error) {
	m := &OutboxMail{}
	var sent, claimed sql.NullTime
	if err := row.Scan(&m.ID, &m.MessageID, &m.To, &m.Subject, &m.Body, &m.ICS, &m.RequestID, &m.CreatedAt,
		&m.Attempts, &m.LastError, &sent, &m.NextAttemptAt, &claimed); err != nil {
		return nil, err
	}
	m.CreatedAt, m.NextAttemptAt = m.CreatedAt.UTC(), m.NextAttemptAt.UTC()
	m.SentAt, m.ClaimedUntil = nullTime(sent), nullTime(claimed)
	switch {
	case m.SentAt != nil:
		m.Status, m.NextAttemptAt = MailSent, time.Time{}
	case !m.NextAttemptAt.Before(mailNever):
		m.Status, m.NextAttemptAt = MailFailed, time.Time{}
	default:
		m.Status = MailPending
	}
	return m, nil
}

// QueueMail stores out's mails in the outbox and its notifications, in a
// transaction of their own, for mail that tells about no other change (and tests).
func (db *DB) QueueMail(ctx context.Context, out vouch.Outgoing) error {
	return db.update(ctx, func(tx *Tx) error { return tx.send(out) })
}

// ClaimMail claims up to limit mails that are due at now and not held by
// another sender, for lease, and returns them oldest first. A claimed mail is
// claimed by no one else until the lease ends, also by another instance on
// the same PostgreSQL database: the claim is one UPDATE that re-checks each
// row, so of two claimers racing for a row only one changes it.
func (db *DB) ClaimMail(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]OutboxMail, error) {
	if limit <= 0 {
		return nil, nil
	}
	now = now.UTC()
	until := now.Add(lease)
	due := `sent_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)`
	lock := ""
	if db.Engine == Postgres {
		// Rows another claimer has locked are skipped rather than waited for.
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []OutboxMail
	err := db.update(ctx, func(tx *Tx) error {
		// The outer WHERE repeats the conditions: PostgreSQL re-evaluates
		// them on a row another transaction changed meanwhile, so a row
		// claimed since the subquery read it is left alone.
		rows, err := tx.query(`UPDATE outbox SET claimed_until = ?
			WHERE id IN (SELECT id FROM outbox WHERE `+due+` ORDER BY next_attempt_at, id LIMIT `+strconv.Itoa(limit)+lock+`)
			AND `+due+` RETURNING id`, until, now, now, now, now)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		rows, err = tx.query(`SELECT `+outboxColumns+` FROM outbox WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY id`, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanOutboxMail(rows)
			if err != nil {
				return err
			}
			out = append(out, *m)
		}
		return rows.Err()
	})
	return out, err
}

// MarkMailSent records that the mail was handed to the SMTP server.
func (db *DB) MarkMailSent(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE outbox SET sent_at = ?, attempts = attempts + 1, claimed_until = NULL
			WHERE id = ? AND sent_at IS NULL`, tx.now, id)
		return err
	})
}

// MarkMailFailed records a failed try and when to try again, and releases
// the claim. The MailMaxAttempts-th failure leaves the mail failed.
func (db *DB) MarkMailFailed(ctx context.Context, id int64, errMsg string, next time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_until = NULL, next_attempt_at = ?
			WHERE id = ? AND sent_at IS NULL`, clipError(errMsg), next.UTC(), id); err != nil {
			return err
		}
		_, err := tx.exec(`UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND sent_at IS NULL AND attempts >= ?`,
			mailNever, id, MailMaxAttempts)
		return err
	})
}

// GiveUpMail records a failed try that no retry would mend (the server
// refused the recipient, say): the mail stays failed until retried by hand.
func (db *DB) GiveUpMail(ctx context.Context, id int64, errMsg string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_until = NULL, next_attempt_at = ?
			WHERE id = ? AND sent_at IS NULL`, clipError(errMsg), mailNever, id)
		return err
	})
}

// ReleaseMail gives up a claim without counting a try, e.g. when a sender
// stops before it got to the mail; it is due again at once.
func (db *DB) ReleaseMail(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE outbox SET claimed_until = NULL WHERE id = ? AND sent_at IS NULL`, id)
		return err
	})
}

// RetryMail makes an unsent mail due now with a fresh round of attempts,
// e.g. after fixing the SMTP settings. It is audited.
func (db *DB) RetryMail(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		m, err := scanOutboxMail(tx.queryRow(`SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Mail", id)
		}
		if err != nil {
			return err
		}
		if m.Status == MailSent {
			return vouch.Errorf(vouch.ECONFLICT, "This mail was already sent.")
		}
		if _, err := tx.exec(`UPDATE outbox SET attempts = 0, next_attempt_at = ?, claimed_until = NULL WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		return tx.audit("retry", "outbox", id, []vouch.Change{
			{Field: "status", Before: m.Status, After: MailPending},
			{Field: "attempts", Before: strconv.Itoa(m.Attempts), After: "0"},
		})
	})
}

// OutboxFilter selects mails of the outbox.
type OutboxFilter struct {
	Status string // MailPending, MailSent, MailFailed, or "" for all
	Limit  int    // 50 when 0; at most 500
	Offset int
}

// ListOutbox returns the mails matching f, newest first, and how many match in all.
func (db *DB) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxMail, int, error) {
	var cond string
	var args []any
	switch f.Status {
	case "":
	case MailSent:
		cond = ` WHERE sent_at IS NOT NULL`
	case MailFailed:
		cond, args = ` WHERE sent_at IS NULL AND next_attempt_at >= ?`, []any{mailNever}
	case MailPending:
		cond, args = ` WHERE sent_at IS NULL AND next_attempt_at < ?`, []any{mailNever}
	default:
		return nil, 0, &vouch.Error{Code: vouch.EINVALID, Message: "Unknown mail status.",
			Fields: map[string]string{"status": "must be pending, sent or failed"}}
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM outbox`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	offset := max(f.Offset, 0)
	rows, err := db.query(ctx, `SELECT `+outboxColumns+` FROM outbox`+cond+
		` ORDER BY id DESC LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []OutboxMail
	for rows.Next() {
		m, err := scanOutboxMail(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *m)
	}
	return out, total, rows.Err()
}

// OutboxMail returns one mail of the outbox.
func (db *DB) OutboxMail(ctx context.Context, id int64) (*OutboxMail, error) {
	m, err := scanOutboxMail(db.queryRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Mail", id)
	}
	return m, err
}

func clipError(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxMailError {
		return s
	}
	cut := maxMailError
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
