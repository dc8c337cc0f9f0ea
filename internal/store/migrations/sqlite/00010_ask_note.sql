-- +goose Up
-- An ask carries the personal note of the team member who asked, shown in
-- the mail and on the advocate's answer page, and who asked: the mails of
-- the ask (also the one sent once an account owner approves) are signed by
-- them.
ALTER TABLE asks ADD COLUMN note TEXT NOT NULL DEFAULT '';
-- No foreign key here: SQLite cannot drop a column that has one, and users
-- are disabled, not deleted (a missing one signs as the program).
ALTER TABLE asks ADD COLUMN asked_by INTEGER;

-- A mail says who it is from: the name shown with the server's sender
-- address ("Tess Ng at Northwind"), and where a reply goes (the team member
-- who asked, or the program's sender).
ALTER TABLE outbox ADD COLUMN from_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN reply_to;
ALTER TABLE outbox DROP COLUMN from_name;
ALTER TABLE asks DROP COLUMN asked_by;
ALTER TABLE asks DROP COLUMN note;
