-- +goose Up
-- Measuring the program: deals from the CRM tied to accounts and segments,
-- customer accounts' ARR and renewal, the stage and amount of a deal when a
-- reference or content was put to work on it, program goals, and the
-- scorecard's share links and scheduled delivery.

-- Amounts were whole units; from now on they are hundredths (cents), so
-- CRM amounts like 1,234.56 are kept exactly.
UPDATE opportunities SET amount = amount * 100;
ALTER TABLE opportunities ADD COLUMN account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL;
ALTER TABLE opportunities ADD COLUMN segment_id INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT;
ALTER TABLE opportunities ADD COLUMN country_id INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT;
ALTER TABLE opportunities ADD COLUMN size_id INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT;
-- The day the deal was created in the CRM ('' unknown): days to close.
ALTER TABLE opportunities ADD COLUMN created_on TEXT NOT NULL DEFAULT '';
CREATE INDEX opportunities_account ON opportunities(account_id);

-- A customer account's annual recurring revenue (hundredths) and renewal.
ALTER TABLE accounts ADD COLUMN arr INTEGER;
ALTER TABLE accounts ADD COLUMN arr_currency TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN renewal_date TEXT NOT NULL DEFAULT '';

-- Stage at request: the deal's stage and amount when it was tied to a
-- request, an activity or a content use, to compare like with like.
ALTER TABLE requests ADD COLUMN opp_stage TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN opp_amount INTEGER;
ALTER TABLE activities ADD COLUMN opp_stage TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN opp_amount INTEGER;
CREATE INDEX activities_opportunity ON activities(opportunity_id);
ALTER TABLE content_uses ADD COLUMN opp_stage TEXT NOT NULL DEFAULT '';
ALTER TABLE content_uses ADD COLUMN opp_amount INTEGER;

-- Program goals (kind 'program') and team member goals (kind 'member',
-- owner_id the member): a metric of the engine with filters, a target
-- over a run of days, and the company objective it serves.
CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL DEFAULT 'program',
    name        TEXT NOT NULL,
    objective   TEXT NOT NULL DEFAULT '',
    metric      TEXT NOT NULL,
    filters     TEXT NOT NULL DEFAULT '{}', -- JSON: vouch.MetricFilter
    target      REAL NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    owner_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    archived    BOOLEAN NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX goals_owner ON goals(owner_id);

-- Read-only scorecard links for executives. Only a hash of the link's
-- secret part is kept.
CREATE TABLE scorecard_shares (
    id         INTEGER PRIMARY KEY,
    nonce_hash TEXT NOT NULL UNIQUE,
    query      TEXT NOT NULL DEFAULT '{}', -- JSON: period and filters shown
    note       TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

-- Scorecards mailed on a schedule. last_period is the last period sent
-- ('2026-11', '2026-Q3'), so each period goes out once across instances.
CREATE TABLE scorecard_schedules (
    id          INTEGER PRIMARY KEY,
    cadence     TEXT NOT NULL, -- monthly or quarterly
    recipients  TEXT NOT NULL, -- addresses, one per line
    filters     TEXT NOT NULL DEFAULT '{}',
    last_period TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- Mail with an HTML part and attachments (the scorecard's inline PNG and
-- its PDF). content_id set: shown inline, referenced as cid:<content_id>.
ALTER TABLE outbox ADD COLUMN html TEXT NOT NULL DEFAULT '';
CREATE TABLE outbox_attachments (
    id         INTEGER PRIMARY KEY,
    outbox_id  INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    content_id TEXT NOT NULL DEFAULT '',
    data       BLOB NOT NULL
);
CREATE INDEX outbox_attachments_outbox ON outbox_attachments(outbox_id);

-- +goose Down
DROP TABLE outbox_attachments;
ALTER TABLE outbox DROP COLUMN html;
DROP TABLE scorecard_schedules;
DROP TABLE scorecard_shares;
DROP TABLE goals;
ALTER TABLE content_uses DROP COLUMN opp_amount;
ALTER TABLE content_uses DROP COLUMN opp_stage;
DROP INDEX activities_opportunity;
ALTER TABLE activities DROP COLUMN opp_amount;
ALTER TABLE activities DROP COLUMN opp_stage;
ALTER TABLE requests DROP COLUMN opp_amount;
ALTER TABLE requests DROP COLUMN opp_stage;
ALTER TABLE accounts DROP COLUMN renewal_date;
ALTER TABLE accounts DROP COLUMN arr_currency;
ALTER TABLE accounts DROP COLUMN arr;
DROP INDEX opportunities_account;
ALTER TABLE opportunities DROP COLUMN created_on;
ALTER TABLE opportunities DROP COLUMN size_id;
ALTER TABLE opportunities DROP COLUMN country_id;
ALTER TABLE opportunities DROP COLUMN segment_id;
ALTER TABLE opportunities DROP COLUMN account_id;
UPDATE opportunities SET amount = amount / 100;
