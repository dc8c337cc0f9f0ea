-- +goose Up
-- The program cadence: recurring program tasks (daily to quarterly) and
-- each time one comes due; and program health: dated self-assessments of
-- the eleven elements of a reference program.

-- kind names the tasks Vouch seeds for a new program ('' for the team's
-- own); each is seeded once, so the kinds other than '' are unique.
CREATE TABLE cadence_tasks (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    recurrence  TEXT NOT NULL, -- daily, weekly, monthly or quarterly
    day         INTEGER NOT NULL DEFAULT 0, -- weekday 1–7, or day of the month 1–31
    month       INTEGER NOT NULL DEFAULT 0, -- month of the quarter 1–3
    assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    archived    BOOLEAN NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cadence_tasks_kind ON cadence_tasks(kind) WHERE kind <> '';

-- One row each time a task comes due, made when its period draws near;
-- one per task and period, so instances making them at once make one.
CREATE TABLE cadence_occurrences (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES cadence_tasks(id) ON DELETE CASCADE,
    period_first TEXT NOT NULL,
    period_last  TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    assignee_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status       TEXT NOT NULL DEFAULT 'open', -- open, done or skipped
    note         TEXT NOT NULL DEFAULT '',
    closed_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    closed_at    TIMESTAMP,
    reminded_on  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (task_id, period_first)
);
CREATE INDEX cadence_occurrences_due ON cadence_occurrences(due_on);

CREATE TABLE health_assessments (
    id          INTEGER PRIMARY KEY,
    assessed_on TEXT NOT NULL,
    assessed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note        TEXT NOT NULL DEFAULT '',
    ratings     TEXT NOT NULL DEFAULT '[]', -- JSON: []vouch.ElementRating
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX health_assessments_day ON health_assessments(assessed_on);

-- +goose Down
DROP TABLE health_assessments;
DROP TABLE cadence_occurrences;
DROP TABLE cadence_tasks;
