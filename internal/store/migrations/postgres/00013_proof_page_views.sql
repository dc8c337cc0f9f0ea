-- +goose Up
-- How often a proof page was opened and when last: the seller's "has the
-- buyer looked?". Item uses count per item; a page view is counted here so
-- a view that shows no item (all withdrawn since) still counts once.
ALTER TABLE proof_pages ADD COLUMN views INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proof_pages ADD COLUMN last_viewed_at TIMESTAMPTZ;
CREATE INDEX proof_pages_created_by ON proof_pages(created_by);
CREATE INDEX content_uses_proof_page ON content_uses(proof_page_id);

-- +goose Down
DROP INDEX content_uses_proof_page;
DROP INDEX proof_pages_created_by;
ALTER TABLE proof_pages DROP COLUMN last_viewed_at;
ALTER TABLE proof_pages DROP COLUMN views;
