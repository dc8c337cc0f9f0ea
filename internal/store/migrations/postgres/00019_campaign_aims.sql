-- +goose Up
-- A nomination made from a campaign's outreach names the campaign, and is
-- made in the same transaction that moves the contact to nominated.
ALTER TABLE nominations ADD COLUMN campaign_id BIGINT REFERENCES campaigns(id) ON DELETE SET NULL;
CREATE INDEX nominations_campaign ON nominations(campaign_id);

-- The outreach mail a campaign sends, with {{name}}, {{account}} and
-- {{sender}} filled in per contact; empty: the default text.
ALTER TABLE campaigns ADD COLUMN outreach_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN outreach_body TEXT NOT NULL DEFAULT '';

-- The day a contact was first reached (the ask in the account's ledger)
-- and by whom.
ALTER TABLE campaign_contacts ADD COLUMN contacted_on TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign_contacts ADD COLUMN contacted_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX campaign_contacts_account ON campaign_contacts(account_id, contacted_on);

-- +goose Down
DROP INDEX campaign_contacts_account;
ALTER TABLE campaign_contacts DROP COLUMN contacted_by;
ALTER TABLE campaign_contacts DROP COLUMN contacted_on;
ALTER TABLE campaigns DROP COLUMN outreach_body;
ALTER TABLE campaigns DROP COLUMN outreach_subject;
DROP INDEX nominations_campaign;
ALTER TABLE nominations DROP COLUMN campaign_id;
