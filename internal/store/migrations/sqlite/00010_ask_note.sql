-- +goose Up
-- An ask carries the personal note of the team member who asked, shown in
-- the mail and on the advocate's answer page, and who asked: the mails of
-- the ask (also the one sent once an account owner approves) are signed by
-- them.
ALTER TABLE asks ADD COLUMN note TEXT NOT NULL DEFAULT '';
-- No foreign key here: SQLite cannot drop a column that has one, and users
-- are disabled, not deleted (a missing one signs as the program).
ALTER TABLE asks ADD COLUMN asked_by INTEGER;

-- +goose Down
ALTER TABLE asks DROP COLUMN asked_by;
ALTER TABLE asks DROP COLUMN note;
