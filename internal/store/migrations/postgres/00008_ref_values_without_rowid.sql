-- +goose Up
-- SQLite's migration 00008 stores ref_values without a rowid. PostgreSQL has
-- no such table kind and keeps ref_values as it is; this migration only keeps
-- both engines at the same schema version.
SELECT 1;

-- +goose Down
SELECT 1;
