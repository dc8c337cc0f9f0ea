-- +goose Up
-- Nominations: a customer contact proposed as a reference by an internal
-- user (nominator_id) or by the customer through the public volunteer form
-- (source 'volunteer'), qualified against the checklist, then accepted
-- (reference_id: the reference created or re-activated; decided_by: the
-- recruiter) or rejected with a reason.
CREATE TABLE nominations (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    account_name  TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    crm_id        TEXT NOT NULL DEFAULT '',
    activities    TEXT NOT NULL DEFAULT '[]', -- JSON: activity type names
    reason        TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT 'user',
    nominator_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    state         TEXT NOT NULL DEFAULT 'open',
    checklist     TEXT NOT NULL DEFAULT '[]', -- JSON: keys of the checklist items ticked
    reject_reason TEXT NOT NULL DEFAULT '',
    reference_id  INTEGER REFERENCES refs(id) ON DELETE SET NULL,
    decided_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    qualified_at  TIMESTAMP, -- when first qualified (the metric nominations_qualified)
    decided_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX nominations_state ON nominations(state, created_at);
CREATE INDEX nominations_nominator ON nominations(nominator_id);
CREATE INDEX nominations_reference ON nominations(reference_id);

-- +goose Down
DROP TABLE nominations;
