package store

import (
	"context"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

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
