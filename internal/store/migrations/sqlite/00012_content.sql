-- +goose Up
-- The content library: case studies, videos, quotes, decks … with their
-- approval and consent, the files uploaded to them, their uses and ratings,
-- proof pages shared with buyers, and requests for content that is missing.

-- Uploaded files. stored_in says where the bytes are: 'dir' (the data
-- directory, SQLite's default) or 'db' (file_chunks, so every PostgreSQL
-- instance reads the same files with no extra service).
CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    stored_in  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE file_chunks (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (file_id, seq)
);

CREATE TABLE content_items (
    id              INTEGER PRIMARY KEY,
    type_id         INTEGER NOT NULL REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    file_id         INTEGER REFERENCES files(id) ON DELETE SET NULL,
    text_status     TEXT NOT NULL DEFAULT '',
    text_reason     TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    published_on    TEXT NOT NULL DEFAULT '',
    owner_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    state           TEXT NOT NULL,
    approved_on     TEXT NOT NULL DEFAULT '',
    approved_by     TEXT NOT NULL DEFAULT '',
    approval_method TEXT NOT NULL DEFAULT '',
    expires_on      TEXT NOT NULL DEFAULT '',
    reminded_on     TEXT NOT NULL DEFAULT '', -- the day the owner was last told consent ends soon
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX content_items_expires ON content_items(expires_on);

-- The words of an item's file, extracted in the background.
CREATE TABLE content_texts (
    content_id INTEGER PRIMARY KEY REFERENCES content_items(id) ON DELETE CASCADE,
    text       TEXT NOT NULL
);

-- Picklist tags of an item (industry, region, product …).
CREATE TABLE content_values (
    content_id INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    value_id   INTEGER NOT NULL REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    PRIMARY KEY (content_id, kind, value_id)
);
CREATE INDEX content_values_value ON content_values(value_id);

-- The accounts and references an item features.
CREATE TABLE content_accounts (
    content_id INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (content_id, account_id)
);
CREATE INDEX content_accounts_account ON content_accounts(account_id);

CREATE TABLE content_refs (
    content_id INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    ref_id     INTEGER NOT NULL REFERENCES refs(id) ON DELETE CASCADE,
    PRIMARY KEY (content_id, ref_id)
);
CREATE INDEX content_refs_ref ON content_refs(ref_id);

-- The approval history: who approved, when and how.
CREATE TABLE content_state_events (
    id          INTEGER PRIMARY KEY,
    content_id  INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL,
    approved_by TEXT NOT NULL DEFAULT '',
    method      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    file_id     INTEGER REFERENCES files(id) ON DELETE SET NULL,
    expires_on  TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX content_state_events_content ON content_state_events(content_id);

-- Proof pages: approved-for-external items a seller shares with a buyer
-- behind a signed link. Only a hash of the link's secret part is kept.
CREATE TABLE proof_pages (
    id             INTEGER PRIMARY KEY,
    nonce_hash     TEXT NOT NULL,
    title          TEXT NOT NULL,
    prospect       TEXT NOT NULL DEFAULT '',
    message        TEXT NOT NULL DEFAULT '',
    opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    expires_at     TIMESTAMP NOT NULL,
    revoked_at     TIMESTAMP,
    created_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX proof_pages_nonce_hash ON proof_pages(nonce_hash);

CREATE TABLE proof_page_items (
    page_id    INTEGER NOT NULL REFERENCES proof_pages(id) ON DELETE CASCADE,
    content_id INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (page_id, content_id)
);

-- Every use of an item: by a seller ("Use this") or by a buyer on a proof page.
CREATE TABLE content_uses (
    id             INTEGER PRIMARY KEY,
    content_id     INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    user_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
    proof_page_id  INTEGER REFERENCES proof_pages(id) ON DELETE SET NULL,
    at             TIMESTAMP NOT NULL
);
CREATE INDEX content_uses_content ON content_uses(content_id, at);
CREATE INDEX content_uses_opportunity ON content_uses(opportunity_id);

-- Helpfulness: one rating per seller and item.
CREATE TABLE content_ratings (
    id             INTEGER PRIMARY KEY,
    content_id     INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rating         INTEGER NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
    at             TIMESTAMP NOT NULL,
    UNIQUE (content_id, user_id)
);

-- Requests for content that does not exist yet.
CREATE TABLE content_requests (
    id             INTEGER PRIMARY KEY,
    description    TEXT NOT NULL,
    type_id        INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
    requested_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    state          TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    fulfilled_by   INTEGER REFERENCES content_items(id) ON DELETE SET NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE content_request_values (
    request_id INTEGER NOT NULL REFERENCES content_requests(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    value_id   INTEGER NOT NULL REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    PRIMARY KEY (request_id, kind, value_id)
);

-- +goose Down
DROP TABLE content_request_values;
DROP TABLE content_requests;
DROP TABLE content_ratings;
DROP TABLE content_uses;
DROP TABLE proof_page_items;
DROP TABLE proof_pages;
DROP TABLE content_state_events;
DROP TABLE content_refs;
DROP TABLE content_accounts;
DROP TABLE content_values;
DROP TABLE content_texts;
DROP TABLE content_items;
DROP TABLE file_chunks;
DROP TABLE files;
