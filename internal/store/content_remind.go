package store

import (
	"context"

	"github.com/vouchhq/vouch/internal/vouch"
)

// RemindContentOwner records, on day, that the owner of item id was told its
// consent ends soon and stores what tells them (out), in one transaction. It
// reports false, sending nothing, when the item was reminded already for its
// current consent (an approval clears the mark) or is no longer approved: one
// conditional UPDATE decides, so of two instances reminding at once only one
// sends.
func (db *DB) RemindContentOwner(ctx context.Context, id int64, day vouch.Date, out vouch.Outgoing) (bool, error) {
	sent := false
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE content_items SET reminded_on = ? WHERE id = ? AND reminded_on = '' AND state IN (?, ?)`,
			day.String(), id, string(vouch.ContentApprovedExternal), string(vouch.ContentApprovedInternal))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := tx.send(out); err != nil {
			return err
		}
		sent = true
		return tx.audit("remind", vouch.EntityContent, id, []vouch.Change{{Field: "reminded_on", After: day.String()}})
	})
	return sent, err
}
