-- +goose Up
-- The reference a requester proposed when they asked from its profile
-- ("Request this reference"): the program team starts picking from it.
-- Deleting the reference forgets the proposal, not the request.
ALTER TABLE requests ADD COLUMN proposed_ref_id BIGINT REFERENCES refs(id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE requests DROP COLUMN proposed_ref_id;
