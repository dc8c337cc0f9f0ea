-- +goose Up
-- Recruiting campaigns aimed at a gap in coverage (a value of a dimension
-- and an activity type), and the outreach to each candidate contact.
CREATE TABLE campaigns (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    dimension        TEXT NOT NULL, -- industry, region, product, segment or size
    value_id         INTEGER NOT NULL REFERENCES taxonomy_values(id),
    activity_type_id INTEGER NOT NULL REFERENCES taxonomy_values(id),
    created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL
);

CREATE TABLE campaign_contacts (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'to_contact', -- to_contact, contacted, interested, nominated, declined
    notes         TEXT NOT NULL DEFAULT '',
    nomination_id INTEGER REFERENCES nominations(id) ON DELETE SET NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX campaign_contacts_campaign ON campaign_contacts(campaign_id);

-- +goose Down
DROP TABLE campaign_contacts;
DROP TABLE campaigns;
