-- +goose Up
-- An ask carries the personal note of the team member who asked, shown in
-- the mail and on the advocate's answer page, and who asked: the mails of
-- the ask (also the one sent once an account owner approves) are signed by
-- them.
ALTER TABLE asks ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE asks ADD COLUMN asked_by BIGINT REFERENCES users(id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE asks DROP COLUMN asked_by;
ALTER TABLE asks DROP COLUMN note;
