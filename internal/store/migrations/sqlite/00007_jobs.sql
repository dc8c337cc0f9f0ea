-- +goose Up
-- Background jobs (imports today): progress while they run, the result or
-- the failure once done, kept until their owner dismisses them or they
-- expire. heartbeat_at is renewed while a server runs the job, so a job
-- whose server died is found and marked failed, never left running.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    phase        TEXT NOT NULL DEFAULT '',
    done         INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL DEFAULT 0,
    result       BLOB,
    error        TEXT NOT NULL DEFAULT '',
    started_at   TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP
);
CREATE INDEX jobs_owner ON jobs(owner_id, kind, subject);
CREATE INDEX jobs_state ON jobs(state, heartbeat_at);

-- +goose Down
DROP TABLE jobs;
