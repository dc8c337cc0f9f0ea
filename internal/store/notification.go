package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Notifications returns the user's newest notifications, at most limit
// (50 when 0; at most 500), and how many of all the user's are unread.
func (db *DB) Notifications(ctx context.Context, userID int64, limit int) ([]vouch.Notification, int, error) {
	unread, err := db.UnreadNotifications(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := db.query(ctx, `SELECT id, user_id, body, link, created_at, read_at FROM notifications
		WHERE user_id = ? ORDER BY id DESC LIMIT `+strconv.Itoa(limit), userID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []vouch.Notification
	for rows.Next() {
		var n vouch.Notification
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.UserID, &n.Body, &n.Link, &n.CreatedAt, &read); err != nil {
			return nil, 0, err
		}
		n.CreatedAt, n.ReadAt = n.CreatedAt.UTC(), nullTime(read)
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// UnreadNotifications counts the user's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks the user's notifications with the given ids
// read; ids of other users' notifications are ignored. Reading is not audited:
// it changes nothing but the reader's own list.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{nil, userID}
	for _, id := range ids {
		args = append(args, id)
	}
	return db.update(ctx, func(tx *Tx) error {
		args[0] = tx.now
		_, err := tx.exec(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL
			AND id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
		return err
	})
}

// MarkAllNotificationsRead marks every notification of the user read.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, userID int64) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, tx.now, userID)
		return err
	})
}

// MarkNotificationsReadBefore marks every user's notifications made before
// t read, as a team that has used Vouch for a while has read what it was
// told weeks ago: the demo's replayed history leaves only recent news
// unread. Not audited, as reading is not.
func (db *DB) MarkNotificationsReadBefore(ctx context.Context, t time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE notifications SET read_at = ? WHERE read_at IS NULL AND created_at < ?`, tx.now, t.UTC())
		return err
	})
}
