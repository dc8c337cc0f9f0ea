package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Background jobs' rows. A job's effects (the references an import writes)
// are audited as they are made; its row is only its progress and outcome,
// so changes to it are not audited.

const jobColumns = `id, owner_id, kind, subject, title, state, phase, done, total, result, error, started_at, finished_at`

// CreateJob records j as running, started now, and sets its id and start.
func (db *DB) CreateJob(ctx context.Context, j *vouch.Job) error {
	return db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO jobs (owner_id, kind, subject, title, state, phase, done, total, started_at, heartbeat_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			j.OwnerID, string(j.Kind), j.Subject, j.Title, string(vouch.JobRunning), j.Phase, j.Done, j.Total, tx.now, tx.now)
		if err != nil {
			return err
		}
		j.ID, j.State, j.StartedAt, j.FinishedAt = id, vouch.JobRunning, tx.now, nil
		return nil
	})
}

// Job returns the job with id.
func (db *DB) Job(ctx context.Context, id int64) (*vouch.Job, error) {
	j, err := scanJob(db.queryRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Job", id)
	}
	return j, err
}

// LatestJob returns the owner's newest job of kind about subject.
func (db *DB) LatestJob(ctx context.Context, ownerID int64, kind vouch.JobKind, subject string) (*vouch.Job, error) {
	j, err := scanJob(db.queryRow(ctx, `SELECT `+jobColumns+` FROM jobs
		WHERE owner_id = ? AND kind = ? AND subject = ? ORDER BY id DESC LIMIT 1`, ownerID, string(kind), subject))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "No job for %s.", subject)
	}
	return j, err
}

// ListJobs returns the owner's newest jobs of kind (every kind when kind is
// ""), at most limit, one per subject: the latest run of each.
func (db *DB) ListJobs(ctx context.Context, ownerID int64, kind vouch.JobKind, limit int) ([]*vouch.Job, error) {
	rows, err := db.query(ctx, `SELECT `+jobColumns+` FROM jobs j
		WHERE owner_id = ? AND (? = '' OR kind = ?)
		  AND id = (SELECT MAX(id) FROM jobs k WHERE k.owner_id = j.owner_id AND k.kind = j.kind AND k.subject = j.subject)
		ORDER BY id DESC LIMIT ?`, ownerID, string(kind), string(kind), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// SaveJobProgress records how far a running job is, and that its server
// still runs it.
func (db *DB) SaveJobProgress(ctx context.Context, id int64, done, total int, phase string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE jobs SET done = ?, total = ?, phase = ?, heartbeat_at = ? WHERE id = ? AND state = ?`,
			done, total, phase, tx.now, id, string(vouch.JobRunning))
		return err
	})
}

// FinishJob records a running job's outcome: its result when it succeeded,
// else the sentence its owner reads. A job finishes once: a finished job
// is left as it is.
func (db *DB) FinishJob(ctx context.Context, id int64, done, total int, result []byte, failure string) error {
	state := vouch.JobSucceeded
	if failure != "" {
		state, result = vouch.JobFailed, nil
	}
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE jobs SET state = ?, done = ?, total = ?, result = ?, error = ?, finished_at = ?, heartbeat_at = ?
			WHERE id = ? AND state = ?`,
			string(state), done, total, result, failure, tx.now, tx.now, id, string(vouch.JobRunning))
		return err
	})
}

// FailInterruptedJobs marks failed every running job whose server has not
// said it runs it since staleBefore, except those in skip (the caller's own),
// with the sentence of its kind, and returns them.
func (db *DB) FailInterruptedJobs(ctx context.Context, staleBefore time.Time, skip []int64) ([]*vouch.Job, error) {
	var failed []*vouch.Job
	err := db.update(ctx, func(tx *Tx) error {
		failed = nil
		rows, err := tx.query(`SELECT `+jobColumns+` FROM jobs WHERE state = ? AND heartbeat_at < ?`, string(vouch.JobRunning), staleBefore)
		if err != nil {
			return err
		}
		var stale []*vouch.Job
		for rows.Next() {
			j, err := scanJob(rows)
			if err != nil {
				rows.Close()
				return err
			}
			if !slices.Contains(skip, j.ID) {
				stale = append(stale, j)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, j := range stale {
			msg := j.Kind.InterruptedMessage()
			if _, err := tx.exec(`UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?`,
				string(vouch.JobFailed), msg, tx.now, j.ID); err != nil {
				return err
			}
			now := tx.now
			j.State, j.Error, j.FinishedAt = vouch.JobFailed, msg, &now
			failed = append(failed, j)
		}
		return nil
	})
	return failed, err
}

// DismissJob deletes the owner's finished job: they have read its outcome.
func (db *DB) DismissJob(ctx context.Context, ownerID, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var state string
		err := tx.queryRow(`SELECT state FROM jobs WHERE id = ? AND owner_id = ?`, id, ownerID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Job", id)
		} else if err != nil {
			return err
		}
		if vouch.JobState(state) == vouch.JobRunning {
			return vouch.Errorf(vouch.ECONFLICT, "The job is still running; dismiss it once it is done.")
		}
		_, err = tx.exec(`DELETE FROM jobs WHERE id = ?`, id)
		return err
	})
}

// DeleteFinishedJobs deletes the jobs that finished before t and returns
// how many: their outcome has been kept long enough.
func (db *DB) DeleteFinishedJobs(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`DELETE FROM jobs WHERE state <> ? AND finished_at < ?`, string(vouch.JobRunning), t)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

func scanJob(row interface{ Scan(...any) error }) (*vouch.Job, error) {
	j := &vouch.Job{}
	var kind, state string
	var finished sql.NullTime
	if err := row.Scan(&j.ID, &j.OwnerID, &kind, &j.Subject, &j.Title, &state, &j.Phase, &j.Done, &j.Total,
		&j.Result, &j.Error, &j.StartedAt, &finished); err != nil {
		return nil, err
	}
	j.Kind, j.State = vouch.JobKind(kind), vouch.JobState(state)
	j.StartedAt = j.StartedAt.UTC()
	j.FinishedAt = nullTime(finished)
	return j, nil
}
