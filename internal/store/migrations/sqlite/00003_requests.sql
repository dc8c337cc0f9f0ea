-- +goose Up
-- Deals from the CRM that references are requested for.
CREATE TABLE opportunities (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    prospect      TEXT NOT NULL DEFAULT '', -- the prospect's company name
    amount        INTEGER NOT NULL DEFAULT 0, -- whole units of currency
    currency      TEXT NOT NULL DEFAULT 'USD',
    stage         TEXT NOT NULL DEFAULT '',
    close_date    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open',
    owner_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    industry_id   INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    region_id     INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    product_id    INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    competitor_id INTEGER REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    crm_id        TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX opportunities_crm_id ON opportunities(crm_id) WHERE crm_id IS NOT NULL;

-- How requests for each activity type are fulfilled, and what it earns.
CREATE TABLE activity_type_rules (
    type_id  INTEGER PRIMARY KEY REFERENCES taxonomy_values(id) ON DELETE CASCADE,
    workflow TEXT NOT NULL DEFAULT 'program_managed', -- or self_serve
    approval BOOLEAN NOT NULL DEFAULT 0,              -- the account owner approves each ask
    points   INTEGER NOT NULL DEFAULT 10
);

CREATE TABLE requests (
    id                INTEGER PRIMARY KEY,
    requester_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
    opportunity_id    INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE RESTRICT,
    activity_type_id  INTEGER NOT NULL REFERENCES taxonomy_values(id) ON DELETE RESTRICT,
    references_needed INTEGER NOT NULL DEFAULT 1,
    criteria          TEXT NOT NULL DEFAULT '{}', -- JSON: taxonomy value ids, language, seniority
    due_date          TEXT NOT NULL,
    context           TEXT NOT NULL DEFAULT '',
    workflow          TEXT NOT NULL,
    state             TEXT NOT NULL,
    state_reason      TEXT NOT NULL DEFAULT '',
    assignee_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    closed_at         TIMESTAMP
);
CREATE INDEX requests_state ON requests(state);
CREATE INDEX requests_requester ON requests(requester_id);
CREATE INDEX requests_opportunity ON requests(opportunity_id);

-- A request's timeline: state changes, asks, answers, messages.
CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL DEFAULT '',
    ref_id     INTEGER REFERENCES refs(id) ON DELETE SET NULL,
    body       TEXT NOT NULL DEFAULT '',
    actor      TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id, id);

-- One reference asked for one request.
CREATE TABLE asks (
    id               INTEGER PRIMARY KEY,
    request_id       INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    ref_id           INTEGER NOT NULL REFERENCES refs(id) ON DELETE CASCADE,
    state            TEXT NOT NULL,
    score            INTEGER NOT NULL DEFAULT 0,
    reasons          TEXT NOT NULL DEFAULT '[]', -- the match's reasons when it was picked
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP,
    answered_at      TIMESTAMP,
    reminded_at      TIMESTAMP,
    reminders        INTEGER NOT NULL DEFAULT 0,
    answer_note      TEXT NOT NULL DEFAULT '',
    proposed_times   TEXT NOT NULL DEFAULT '',
    scheduled_at     TIMESTAMP,
    duration_minutes INTEGER NOT NULL DEFAULT 30,
    meeting_url      TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '',
    activity_id      INTEGER REFERENCES activities(id) ON DELETE SET NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (request_id, ref_id)
);
CREATE INDEX asks_ref ON asks(ref_id);
CREATE INDEX asks_state ON asks(state);

-- Activities can be booked by an accepted ask before they happen; booked
-- ones count against capacity like done ones.
ALTER TABLE activities ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE activities ADD COLUMN request_id INTEGER REFERENCES requests(id) ON DELETE SET NULL;
ALTER TABLE activities ADD COLUMN opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL;
ALTER TABLE activities ADD COLUMN points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN thank_you TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN thank_you_sent_on TEXT NOT NULL DEFAULT '';
CREATE INDEX activities_request ON activities(request_id);

CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY,
    ask_id      INTEGER NOT NULL REFERENCES asks(id) ON DELETE CASCADE,
    source      TEXT NOT NULL, -- seller or advocate
    rating      INTEGER NOT NULL,
    influenced  BOOLEAN,
    impact      TEXT NOT NULL DEFAULT '', -- accelerated, no_change, delayed
    thank_you   TEXT NOT NULL DEFAULT '', -- the advocate's preferred thank-you
    comment     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (ask_id, source)
);

-- Signed links for people without an account: the advocate's answer and
-- feedback forms. Only a hash of the link's secret part is kept.
CREATE TABLE links (
    id         INTEGER PRIMARY KEY,
    purpose    TEXT NOT NULL,
    ask_id     INTEGER NOT NULL REFERENCES asks(id) ON DELETE CASCADE,
    nonce_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX links_ask ON links(ask_id);

-- Mail waiting to be sent, and sent mail, so nothing is lost on a restart
-- and nothing is sent twice.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT NOT NULL UNIQUE,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    ics             TEXT NOT NULL DEFAULT '',
    request_id      INTEGER REFERENCES requests(id) ON DELETE SET NULL,
    created_at      TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    claimed_until   TIMESTAMP,
    sent_at         TIMESTAMP
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications(user_id, id);

-- +goose Down
DROP TABLE notifications;
DROP TABLE outbox;
DROP TABLE links;
DROP TABLE feedback;
DROP INDEX activities_request;
ALTER TABLE activities DROP COLUMN thank_you_sent_on;
ALTER TABLE activities DROP COLUMN thank_you;
ALTER TABLE activities DROP COLUMN points;
ALTER TABLE activities DROP COLUMN opportunity_id;
ALTER TABLE activities DROP COLUMN request_id;
ALTER TABLE activities DROP COLUMN state;
DROP TABLE asks;
DROP TABLE request_events;
DROP TABLE requests;
DROP TABLE activity_type_rules;
DROP TABLE opportunities;
