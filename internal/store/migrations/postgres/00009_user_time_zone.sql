-- +goose Up
-- Each user reads times in their own zone; empty is the program's zone
-- (and follows it when the program's changes).
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN time_zone;
