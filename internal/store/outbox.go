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
		id, err := tx.insert(`INSERT INTO outbox (message_id, to_addr, subject, body, ics, request_id, created_at, next_attempt_at, from_name, reply_to, html)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newMessageID(), m.To, m.Subject, m.Body, m.ICS, rid, tx.now, tx.now, m.FromName, m.ReplyTo, m.HTML)
		if err != nil {
			return err
		}
		for _, a := range m.Attachments {
			if _, err := tx.exec(`INSERT INTO outbox_attachments (outbox_id, name, media_type, content_id, data) VALUES (?, ?, ?, ?, ?)`,
				id, a.Name, a.MediaType, a.ContentID, a.Data); err != nil {
				return err
			}
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

// mailNever is the next attempt of a mail that was given up on: claims only
// take mail due by now, so it is never sent again unless retried.
var mailNever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// maxMailError bounds the stored text of a send error.
const maxMailError = 1000

const outboxColumns = `id, message_id, to_addr, subject, body, ics, COALESCE(request_id, 0), created_at,
	attempts, last_error, sent_at, next_attempt_at, claimed_until, from_name, reply_to, html`

func scanOutboxMail(row interface{ Scan(...any) error }) (*vouch.OutboxMail, error) {
	m := &vouch.OutboxMail{}
	var sent, claimed sql.NullTime
	if err := row.Scan(&m.ID, &m.MessageID, &m.To, &m.Subject, &m.Body, &m.ICS, &m.RequestID, &m.CreatedAt,
		&m.Attempts, &m.LastError, &sent, &m.NextAttemptAt, &claimed, &m.FromName, &m.ReplyTo, &m.HTML); err != nil {
		return nil, err
	}
	m.CreatedAt, m.NextAttemptAt = m.CreatedAt.UTC(), m.NextAttemptAt.UTC()
	m.SentAt, m.ClaimedUntil = nullTime(sent), nullTime(claimed)
	switch {
	case m.SentAt != nil:
		m.Status, m.NextAttemptAt = vouch.MailSent, time.Time{}
	case !m.NextAttemptAt.Before(mailNever):
		m.Status, m.NextAttemptAt = vouch.MailFailed, time.Time{}
	default:
		m.Status = vouch.MailPending
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
func (db *DB) ClaimMail(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]vouch.OutboxMail, error) {
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
	var out []vouch.OutboxMail
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
		for rows.Next() {
			m, err := scanOutboxMail(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, *m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return addAttachments(tx.query, out)
	})
	return out, err
}

// addAttachments loads the attachments of mails, in the order they were queued.
func addAttachments(query func(string, ...any) (*sql.Rows, error), mails []vouch.OutboxMail) error {
	if len(mails) == 0 {
		return nil
	}
	ids := make([]any, len(mails))
	at := map[int64]int{}
	for i, m := range mails {
		ids[i], at[m.ID] = m.ID, i
	}
	rows, err := query(`SELECT outbox_id, name, media_type, content_id, data FROM outbox_attachments
		WHERE outbox_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a vouch.MailAttachment
		if err := rows.Scan(&id, &a.Name, &a.MediaType, &a.ContentID, &a.Data); err != nil {
			return err
		}
		m := &mails[at[id]]
		m.Attachments = append(m.Attachments, a)
	}
	return rows.Err()
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
// the claim. The vouch.MailMaxAttempts-th failure leaves the mail failed.
func (db *DB) MarkMailFailed(ctx context.Context, id int64, errMsg string, next time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_until = NULL, next_attempt_at = ?
			WHERE id = ? AND sent_at IS NULL`, clipError(errMsg), next.UTC(), id); err != nil {
			return err
		}
		_, err := tx.exec(`UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND sent_at IS NULL AND attempts >= ?`,
			mailNever, id, vouch.MailMaxAttempts)
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
		if err := vouch.CheckMailRetry(m.Status); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE outbox SET attempts = 0, next_attempt_at = ?, claimed_until = NULL WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		return tx.audit("retry", "outbox", id, []vouch.Change{
			{Field: "status", Before: m.Status, After: vouch.MailPending},
			{Field: "attempts", Before: strconv.Itoa(m.Attempts), After: "0"},
		})
	})
}

// ListOutbox returns the mails matching f, newest first, and how many match in all.
func (db *DB) ListOutbox(ctx context.Context, f vouch.OutboxFilter) ([]vouch.OutboxMail, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var cond string
	var args []any
	switch f.Status {
	case "":
	case vouch.MailSent:
		cond = ` WHERE sent_at IS NOT NULL`
	case vouch.MailFailed:
		cond, args = ` WHERE sent_at IS NULL AND next_attempt_at >= ?`, []any{mailNever}
	case vouch.MailPending:
		cond, args = ` WHERE sent_at IS NULL AND next_attempt_at < ?`, []any{mailNever}
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
	var out []vouch.OutboxMail
	for rows.Next() {
		m, err := scanOutboxMail(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *m)
	}
	return out, total, rows.Err()
}

// OutboxMail returns one mail of the outbox, with its attachments.
func (db *DB) OutboxMail(ctx context.Context, id int64) (*vouch.OutboxMail, error) {
	m, err := scanOutboxMail(db.queryRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Mail", id)
	} else if err != nil {
		return nil, err
	}
	list := []vouch.OutboxMail{*m}
	err = addAttachments(func(q string, args ...any) (*sql.Rows, error) { return db.query(ctx, q, args...) }, list)
	return &list[0], err
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

// DiscardMailBefore deletes unsent mail queued before t. The demo loader
// replays two years of requests, and their mail must never go out.
func (db *DB) DiscardMailBefore(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`DELETE FROM outbox WHERE sent_at IS NULL AND created_at < ?`, t.UTC())
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return tx.audit("discard", "outbox", 0, []vouch.Change{{Field: "unsent_mails", Before: n, After: 0}})
	})
	return int(n), err
}

// NewestOpenAskMail is the id of the newest mail that asked an advocate who
// has not answered yet (an ask pending), or 0 when there is none: its link
// still opens the answer page, where older mails' links have been used.
func (db *DB) NewestOpenAskMail(ctx context.Context) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT o.id FROM outbox o
		JOIN asks a ON a.request_id = o.request_id AND a.state = ?
		JOIN refs r ON r.id = a.ref_id AND r.email = o.to_addr
		ORDER BY o.id DESC LIMIT 1`, string(vouch.AskPending)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
