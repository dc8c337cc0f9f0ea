-- +goose Up
-- A campaign is open until the program team closes it, on a day, with an
-- optional note of its outcome; a closed campaign takes no more outreach
-- or invitations, and may be reopened. The version guards renaming,
-- closing and reopening against a save made meanwhile.
ALTER TABLE campaigns ADD COLUMN state TEXT NOT NULL DEFAULT 'open'; -- open or closed
ALTER TABLE campaigns ADD COLUMN closed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN closed_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE campaigns ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX campaigns_goal ON campaigns(goal_id);

-- +goose Down
DROP INDEX campaigns_goal;
ALTER TABLE campaigns DROP COLUMN version;
ALTER TABLE campaigns DROP COLUMN outcome;
ALTER TABLE campaigns DROP COLUMN closed_by;
ALTER TABLE campaigns DROP COLUMN closed_on;
ALTER TABLE campaigns DROP COLUMN state;
