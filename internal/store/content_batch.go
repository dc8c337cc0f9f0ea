package store

import "github.com/vouchhq/vouch/internal/vouch"

// What the content import (internal/contentsheet) needs of a batch beside
// Batch.CreateContent: the items as the batch sees them, and the same
// update and state change a single save makes, audited alike.

// ContentItems reads every content item inside the batch, in id order, so
// an import matches rows against exactly what its transaction will change.
func (b *Batch) ContentItems() ([]*vouch.ContentItem, error) {
	return readContent(b.tx.query, nil, true)
}

// UpdateContent saves an item's fields inside the batch, as DB.UpdateContent does.
func (b *Batch) UpdateContent(c *vouch.ContentItem) error { return b.tx.updateContent(c) }

// ChangeContentState moves an item along its lifecycle inside the batch, as
// DB.ChangeContentState does.
func (b *Batch) ChangeContentState(id int64, version int, c vouch.ContentStateChange, consentMonths int) (*vouch.ContentItem, error) {
	return b.tx.changeContentState(id, version, c, consentMonths)
}
