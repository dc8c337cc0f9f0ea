-- +goose Up
-- Dates (go-live, verified, resting until, activity day) are TEXT 'YYYY-MM-DD' in both engines:
-- they sort and compare as text and have no time zone to get wrong.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    domain         TEXT NOT NULL DEFAULT '',
    industry_id    INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    segment_id     INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    region_id      INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    country_id     INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    size_id        INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    crm_id         TEXT,
    owner_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    csm            TEXT NOT NULL DEFAULT '',
    health         TEXT NOT NULL DEFAULT '',
    nps            INTEGER,
    customer_since TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX accounts_crm_id ON accounts(crm_id) WHERE crm_id IS NOT NULL;
CREATE INDEX accounts_name_key ON accounts(name_key);

CREATE TABLE account_products (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    value_id   INTEGER NOT NULL REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    PRIMARY KEY (account_id, value_id)
);

CREATE TABLE refs (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
    name              TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    seniority         TEXT NOT NULL DEFAULT '',
    email             TEXT,
    phone             TEXT NOT NULL DEFAULT '',
    time_zone         TEXT NOT NULL DEFAULT '',
    languages         TEXT NOT NULL DEFAULT '', -- '; '-separated
    deployment        TEXT NOT NULL DEFAULT '',
    go_live           TEXT NOT NULL DEFAULT '',
    story             TEXT NOT NULL DEFAULT '',
    owner_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    last_verified     TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    status_reason     TEXT NOT NULL DEFAULT '',
    resting_until     TEXT NOT NULL DEFAULT '',
    capacity_override INTEGER,
    crm_id            TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX refs_crm_id ON refs(crm_id) WHERE crm_id IS NOT NULL;
CREATE UNIQUE INDEX refs_email ON refs(email) WHERE email IS NOT NULL;
CREATE INDEX refs_account ON refs(account_id);

-- Multi-valued taxonomy fields of a reference: products, use cases, competitors
-- replaced and agreed activity types (with the day consent was given).
CREATE TABLE ref_values (
    ref_id       INTEGER NOT NULL REFERENCES refs(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    value_id     INTEGER NOT NULL REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    consented_on TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (ref_id, kind, value_id)
);
CREATE INDEX ref_values_value ON ref_values(value_id);

CREATE TABLE ref_status_events (
    id          INTEGER PRIMARY KEY,
    ref_id      INTEGER NOT NULL REFERENCES refs(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    until       TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX ref_status_events_ref ON ref_status_events(ref_id);

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    ref_id      INTEGER NOT NULL REFERENCES refs(id) ON DELETE CASCADE,
    type_id     INTEGER NOT NULL REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    occurred_on TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX activities_ref ON activities(ref_id, occurred_on);

-- +goose Down
DROP TABLE activities;
DROP TABLE ref_status_events;
DROP TABLE ref_values;
DROP TABLE refs;
DROP TABLE account_products;
DROP TABLE accounts;
