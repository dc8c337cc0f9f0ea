-- +goose Up
-- One ask ledger across teams: asks other teams made of a reference
-- (PR asked for a press quote), logged by the program team. Asks made for
-- requests stay in asks; the ledger reads both, so nothing is copied.
CREATE TABLE team_asks (
    id         INTEGER PRIMARY KEY,
    ref_id     INTEGER NOT NULL REFERENCES refs(id) ON DELETE CASCADE,
    team       TEXT NOT NULL, -- marketing, pr, analyst_relations, sales, review_campaign, other
    asked_on   TEXT NOT NULL, -- the day the customer was asked
    what       TEXT NOT NULL,
    outcome    TEXT NOT NULL DEFAULT '',
    logged_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX team_asks_ref ON team_asks(ref_id, asked_on);

-- An account is flagged while an escalation or a renewal is open: none of
-- its references is asked until the day after flag_until.
ALTER TABLE accounts ADD COLUMN flag_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN flag_until TEXT NOT NULL DEFAULT '';

CREATE INDEX asks_ref_created ON asks(ref_id, created_at);

-- +goose Down
DROP INDEX asks_ref_created;
ALTER TABLE accounts DROP COLUMN flag_until;
ALTER TABLE accounts DROP COLUMN flag_reason;
DROP TABLE team_asks;
