-- +goose Up
-- A link is looked up by the hash of its secret on every click; the hash is
-- random, so it is unique too.
CREATE UNIQUE INDEX links_nonce_hash ON links(nonce_hash);

-- +goose Down
DROP INDEX links_nonce_hash;
