-- +goose Up
-- A campaign is aimed at a gap in coverage (a value of a dimension and an
-- activity type, as before), at a program goal (its candidates come from
-- the goal's filter), or is a review-site or content drive: a target
-- count of items by a due day, asked of existing references (advocates).
-- Only a gap has a value, so value_id and activity_type_id may be empty:
-- the table is rebuilt (SQLite cannot drop NOT NULL), its contacts with it,
-- children first so that no cascade fires.
CREATE TABLE campaigns_new (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    aim              TEXT NOT NULL DEFAULT 'gap', -- gap, goal or drive
    dimension        TEXT NOT NULL DEFAULT '',    -- a gap's: industry, region, product, segment or size
    value_id         INTEGER REFERENCES taxonomy_values(id),
    activity_type_id INTEGER REFERENCES taxonomy_values(id),
    goal_id          INTEGER REFERENCES goals(id) ON DELETE SET NULL,
    drive_what       TEXT NOT NULL DEFAULT '',    -- a drive's item, e.g. "Review on G2"
    drive_target     INTEGER NOT NULL DEFAULT 0,
    due_on           TEXT NOT NULL DEFAULT '',
    -- The outreach mail, with {{name}}, {{account}} and {{sender}} filled
    -- in per contact; empty: the default text.
    outreach_subject TEXT NOT NULL DEFAULT '',
    outreach_body    TEXT NOT NULL DEFAULT '',
    created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL
);
INSERT INTO campaigns_new (id, name, aim, dimension, value_id, activity_type_id, created_by, created_at)
    SELECT id, name, 'gap', dimension, value_id, activity_type_id, created_by, created_at FROM campaigns;

-- The day a contact was first reached (the ask in the account's ledger)
-- and by whom.
CREATE TABLE campaign_contacts_new (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns_new(id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'to_contact',
    notes         TEXT NOT NULL DEFAULT '',
    nomination_id INTEGER REFERENCES nominations(id) ON DELETE SET NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TIMESTAMP NOT NULL,
    contacted_on  TEXT NOT NULL DEFAULT '',
    contacted_by  INTEGER REFERENCES users(id) ON DELETE SET NULL
);
INSERT INTO campaign_contacts_new (id, campaign_id, account_id, name, email, state, notes, nomination_id, version, updated_at)
    SELECT id, campaign_id, account_id, name, email, state, notes, nomination_id, version, updated_at FROM campaign_contacts;
DROP TABLE campaign_contacts;
DROP TABLE campaigns;
ALTER TABLE campaigns_new RENAME TO campaigns;
ALTER TABLE campaign_contacts_new RENAME TO campaign_contacts;
CREATE INDEX campaign_contacts_campaign ON campaign_contacts(campaign_id);
CREATE INDEX campaign_contacts_account ON campaign_contacts(account_id, contacted_on);

-- A drive's advocates: existing references asked for one item each,
-- invited → agreed → done or declined, with the evidence (the review's
-- address). The invitation is an ask of the reference in its ledger.
CREATE TABLE drive_advocates (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    ref_id      INTEGER NOT NULL REFERENCES refs(id) ON DELETE CASCADE,
    state       TEXT NOT NULL DEFAULT 'invited', -- invited, agreed, done, declined
    evidence    TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    invited_on  TEXT NOT NULL,
    invited_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    done_on     TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, ref_id)
);
CREATE INDEX drive_advocates_ref ON drive_advocates(ref_id, invited_on);

-- A nomination made from a campaign's outreach names the campaign, and is
-- made in the same transaction that moves the contact to nominated.
ALTER TABLE nominations ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL;
CREATE INDEX nominations_campaign ON nominations(campaign_id);

-- +goose Down
DROP INDEX nominations_campaign;
ALTER TABLE nominations DROP COLUMN campaign_id;
DROP TABLE drive_advocates;
DELETE FROM campaign_contacts WHERE campaign_id IN (SELECT id FROM campaigns WHERE aim <> 'gap');
DELETE FROM campaigns WHERE aim <> 'gap';
CREATE TABLE campaigns_old (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    dimension        TEXT NOT NULL,
    value_id         INTEGER NOT NULL REFERENCES taxonomy_values(id),
    activity_type_id INTEGER NOT NULL REFERENCES taxonomy_values(id),
    created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL
);
INSERT INTO campaigns_old (id, name, dimension, value_id, activity_type_id, created_by, created_at)
    SELECT id, name, dimension, value_id, activity_type_id, created_by, created_at FROM campaigns;
CREATE TABLE campaign_contacts_old (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns_old(id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'to_contact',
    notes         TEXT NOT NULL DEFAULT '',
    nomination_id INTEGER REFERENCES nominations(id) ON DELETE SET NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TIMESTAMP NOT NULL
);
INSERT INTO campaign_contacts_old (id, campaign_id, account_id, name, email, state, notes, nomination_id, version, updated_at)
    SELECT id, campaign_id, account_id, name, email, state, notes, nomination_id, version, updated_at FROM campaign_contacts;
DROP TABLE campaign_contacts;
DROP TABLE campaigns;
ALTER TABLE campaigns_old RENAME TO campaigns;
ALTER TABLE campaign_contacts_old RENAME TO campaign_contacts;
CREATE INDEX campaign_contacts_campaign ON campaign_contacts(campaign_id);
