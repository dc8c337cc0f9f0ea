package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

const cadenceTaskColumns = `id, kind, title, description, recurrence, day, month, COALESCE(assignee_id, 0), archived, version, created_at, updated_at`

func scanCadenceTask(row interface{ Scan(...any) error }) (*vouch.CadenceTask, error) {
	t := &vouch.CadenceTask{}
	var kind, rec string
	if err := row.Scan(&t.ID, &kind, &t.Title, &t.Description, &rec, &t.Day, &t.Month, &t.AssigneeID, &t.Archived,
		&t.Version, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, err
	}
	t.Kind, t.Recurrence = vouch.CadenceKind(kind), vouch.Recurrence(rec)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return t, nil
}

// CadenceTask reads one cadence task.
func (db *DB) CadenceTask(ctx context.Context, id int64) (*vouch.CadenceTask, error) {
	t, err := scanCadenceTask(db.queryRow(ctx, `SELECT `+cadenceTaskColumns+` FROM cadence_tasks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Cadence task", id)
	}
	return t, err
}

// CadenceTasks lists the tasks, most frequent first, then by title; the
// archived ones only when archived is set.
func (db *DB) CadenceTasks(ctx context.Context, archived bool) ([]*vouch.CadenceTask, error) {
	where, args := "", []any{}
	if !archived {
		where, args = " WHERE archived = ?", append(args, false)
	}
	rows, err := db.query(ctx, `SELECT `+cadenceTaskColumns+` FROM cadence_tasks`+where+`
		ORDER BY CASE recurrence WHEN 'daily' THEN 1 WHEN 'weekly' THEN 2 WHEN 'monthly' THEN 3 ELSE 4 END, title, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.CadenceTask{}
	for rows.Next() {
		t, err := scanCadenceTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func cadenceTaskChanges(b, a *vouch.CadenceTask) []vouch.Change {
	var c []vouch.Change
	c = vouch.Diff(c, "kind", string(b.Kind), string(a.Kind))
	c = vouch.Diff(c, "title", b.Title, a.Title)
	c = vouch.Diff(c, "description", b.Description, a.Description)
	c = vouch.Diff(c, "recurrence", string(b.Recurrence), string(a.Recurrence))
	c = vouch.Diff(c, "day", b.Day, a.Day)
	c = vouch.Diff(c, "month", b.Month, a.Month)
	c = vouch.Diff(c, "assignee_id", b.AssigneeID, a.AssigneeID)
	c = vouch.Diff(c, "archived", b.Archived, a.Archived)
	return c
}

// SeedCadence stores tasks, validated by the caller, when the program has
// no cadence task at all: a new program's defaults. It reports whether it
// stored them; of two instances seeding at once one does (the kinds are
// unique), and the other reports false.
func (db *DB) SeedCadence(ctx context.Context, tasks []*vouch.CadenceTask) (bool, error) {
	seeded := false
	err := db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM cadence_tasks`).Scan(&n); err != nil || n > 0 {
			return err
		}
		for _, t := range tasks {
			if err := tx.createCadenceTask(t); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	if vouch.ErrorCode(err) == vouch.ECONFLICT {
		return false, nil
	}
	return seeded, err
}

// CreateCadenceTask stores a task validated by the caller (the cadence service).
func (db *DB) CreateCadenceTask(ctx context.Context, t *vouch.CadenceTask) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createCadenceTask(t) })
}

func (tx *Tx) createCadenceTask(t *vouch.CadenceTask) error {
	id, err := tx.insert(`INSERT INTO cadence_tasks (kind, title, description, recurrence, day, month, assignee_id, archived,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		string(t.Kind), t.Title, t.Description, string(t.Recurrence), t.Day, t.Month, nullID(t.AssigneeID), t.Archived, tx.now, tx.now)
	if err != nil {
		return err
	}
	t.ID, t.Version, t.CreatedAt, t.UpdatedAt = id, 1, tx.now, tx.now
	return tx.audit("create", vouch.EntityCadenceTask, id, cadenceTaskChanges(&vouch.CadenceTask{}, t))
}

// UpdateCadenceTask saves t, validated by the caller; t carries the version
// it was read at. A new assignee takes over the task's open occurrences too.
func (db *DB) UpdateCadenceTask(ctx context.Context, t *vouch.CadenceTask) error {
	return db.update(ctx, func(tx *Tx) error {
		before, err := scanCadenceTask(tx.queryRow(`SELECT `+cadenceTaskColumns+` FROM cadence_tasks WHERE id = ?`, t.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Cadence task", t.ID)
		} else if err != nil {
			return err
		}
		if t.Version != before.Version {
			return staleVersion("cadence task", before.Version)
		}
		changes := cadenceTaskChanges(before, t)
		if len(changes) == 0 {
			*t = *before
			return nil
		}
		res, err := tx.exec(`UPDATE cadence_tasks SET title = ?, description = ?, recurrence = ?, day = ?, month = ?,
			assignee_id = ?, archived = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			t.Title, t.Description, string(t.Recurrence), t.Day, t.Month, nullID(t.AssigneeID), t.Archived, tx.now, t.ID, before.Version)
		if err != nil {
			return err
		}
		if err := savedAt(res, "cadence task", before.Version); err != nil {
			return err
		}
		if t.AssigneeID != before.AssigneeID {
			if _, err := tx.exec(`UPDATE cadence_occurrences SET assignee_id = ? WHERE task_id = ? AND status = ?`,
				nullID(t.AssigneeID), t.ID, string(vouch.OccurrenceOpen)); err != nil {
				return err
			}
		}
		// An occurrence not yet due that the new schedule would not make is
		// dropped; the next pass makes the right one.
		if t.Recurrence != before.Recurrence || t.Day != before.Day || t.Month != before.Month || t.Archived {
			if _, err := tx.exec(`DELETE FROM cadence_occurrences WHERE task_id = ? AND status = ? AND due_on >= ?`,
				t.ID, string(vouch.OccurrenceOpen), tx.today().String()); err != nil {
				return err
			}
		}
		t.Kind, t.Version, t.CreatedAt, t.UpdatedAt = before.Kind, before.Version+1, before.CreatedAt, tx.now
		return tx.audit("update", vouch.EntityCadenceTask, t.ID, changes)
	})
}

const occurrenceColumns = `id, task_id, period_first, period_last, due_on, COALESCE(assignee_id, 0), status, note,
	COALESCE(closed_by, 0), closed_at, reminded_on, created_at`

func scanOccurrence(row interface{ Scan(...any) error }) (*vouch.CadenceOccurrence, error) {
	o := &vouch.CadenceOccurrence{}
	var first, last, due, status, reminded string
	var closed sql.NullTime
	if err := row.Scan(&o.ID, &o.TaskID, &first, &last, &due, &o.AssigneeID, &status, &o.Note, &o.ClosedBy, &closed,
		&reminded, &o.CreatedAt); err != nil {
		return nil, err
	}
	o.Status, o.ClosedAt, o.CreatedAt = vouch.OccurrenceStatus(status), nullTime(closed), o.CreatedAt.UTC()
	for _, d := range []struct {
		s    string
		into *vouch.Date
	}{{first, &o.PeriodFirst}, {last, &o.PeriodLast}, {due, &o.DueOn}, {reminded, &o.RemindedOn}} {
		if d.s == "" {
			continue
		}
		day, err := vouch.ParseDate(d.s)
		if err != nil {
			return nil, fmt.Errorf("cadence occurrence %d: %w", o.ID, err)
		}
		*d.into = day
	}
	return o, nil
}

// EnsureOccurrences stores the occurrences given that are not stored yet
// (one per task and period), assigned to their task's assignee, without
// auditing: they are the schedule coming due, not anyone's change.
func (db *DB) EnsureOccurrences(ctx context.Context, os []vouch.CadenceOccurrence) error {
	if len(os) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *Tx) error {
		for _, o := range os {
			// The assignee is the task's as it stands in this transaction, not
			// as the caller read it: a reassignment just committed wins.
			if _, err := tx.exec(`INSERT INTO cadence_occurrences (task_id, period_first, period_last, due_on, assignee_id, status, created_at)
				SELECT id, ?, ?, ?, assignee_id, ?, ? FROM cadence_tasks WHERE id = ? AND archived = ?
				ON CONFLICT (task_id, period_first) DO NOTHING`,
				o.PeriodFirst.String(), o.PeriodLast.String(), o.DueOn.String(), string(vouch.OccurrenceOpen), tx.now,
				o.TaskID, false); err != nil {
				return err
			}
		}
		return nil
	})
}

// OccurrenceFilter selects occurrences of cadence tasks.
type OccurrenceFilter struct {
	TaskID     int64
	AssigneeID int64
	DueFrom    vouch.Date // zero: no lower bound
	DueTo      vouch.Date // zero: no upper bound
	OpenOnly   bool
	Limit      int // 0: all
}

// Occurrences lists the occurrences f selects, by due day, newest last
// (newest first when f names a task: its history).
func (db *DB) Occurrences(ctx context.Context, f OccurrenceFilter) ([]*vouch.CadenceOccurrence, error) {
	where, args := " WHERE 1 = 1", []any{}
	if f.TaskID != 0 {
		where, args = where+" AND task_id = ?", append(args, f.TaskID)
	}
	if f.AssigneeID != 0 {
		where, args = where+" AND assignee_id = ?", append(args, f.AssigneeID)
	}
	if !f.DueFrom.IsZero() {
		where, args = where+" AND due_on >= ?", append(args, f.DueFrom.String())
	}
	if !f.DueTo.IsZero() {
		where, args = where+" AND due_on <= ?", append(args, f.DueTo.String())
	}
	if f.OpenOnly {
		where, args = where+" AND status = ?", append(args, string(vouch.OccurrenceOpen))
	}
	order := " ORDER BY due_on, task_id, id"
	if f.TaskID != 0 {
		order = " ORDER BY due_on DESC, id DESC"
	}
	if f.Limit > 0 {
		order += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := db.query(ctx, `SELECT `+occurrenceColumns+` FROM cadence_occurrences`+where+order, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.CadenceOccurrence{}
	for rows.Next() {
		o, err := scanOccurrence(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Occurrence reads one occurrence.
func (db *DB) Occurrence(ctx context.Context, id int64) (*vouch.CadenceOccurrence, error) {
	o, err := scanOccurrence(db.queryRow(ctx, `SELECT `+occurrenceColumns+` FROM cadence_occurrences WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Cadence occurrence", id)
	}
	return o, err
}

// CloseOccurrence marks occurrence id done or skipped with note, by who
// is acting, when it is still open; check says whether it may close (the
// domain's rule, given the occurrence as stored).
func (db *DB) CloseOccurrence(ctx context.Context, id int64, to vouch.OccurrenceStatus, note string) (*vouch.CadenceOccurrence, error) {
	var out *vouch.CadenceOccurrence
	err := db.update(ctx, func(tx *Tx) error {
		o, err := scanOccurrence(tx.queryRow(`SELECT `+occurrenceColumns+` FROM cadence_occurrences WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Cadence occurrence", id)
		} else if err != nil {
			return err
		}
		if err := o.CheckClose(to, note); err != nil {
			return err
		}
		by := vouch.ActorFrom(tx.ctx).UserID
		res, err := tx.exec(`UPDATE cadence_occurrences SET status = ?, note = ?, closed_by = ?, closed_at = ? WHERE id = ? AND status = ?`,
			string(to), note, nullID(by), tx.now, id, string(vouch.OccurrenceOpen))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return vouch.Errorf(vouch.ECONFLICT, "Someone closed this occurrence a moment ago.")
		}
		now := tx.now
		o.Status, o.Note, o.ClosedBy, o.ClosedAt = to, note, by, &now
		out = o
		return tx.audit(string(to), vouch.EntityCadenceOccurrence, id, []vouch.Change{
			{Field: "status", Before: string(vouch.OccurrenceOpen), After: string(to)},
			{Field: "note", After: note}, {Field: "task_id", After: fmt.Sprint(o.TaskID)},
			{Field: "due_on", After: o.DueOn.String()}})
	})
	return out, err
}

// RemindOccurrence records, on day, that the assignee of occurrence id was
// reminded and stores what tells them (out), in one transaction. It reports
// false, sending nothing, when it was reminded already or is no longer
// open: one conditional UPDATE decides, so of two instances only one sends.
func (db *DB) RemindOccurrence(ctx context.Context, id int64, day vouch.Date, out vouch.Outgoing) (bool, error) {
	sent := false
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE cadence_occurrences SET reminded_on = ? WHERE id = ? AND reminded_on = '' AND status = ?`,
			day.String(), id, string(vouch.OccurrenceOpen))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := tx.send(out); err != nil {
			return err
		}
		sent = true
		return tx.audit("remind", vouch.EntityCadenceOccurrence, id, []vouch.Change{{Field: "reminded_on", After: day.String()}})
	})
	return sent, err
}

// ScorecardSentSince reports whether a scorecard went out since since: a
// share link made, or a scheduled scorecard mail sent (the audit log's
// "send" entry of its schedule).
func (db *DB) ScorecardSentSince(ctx context.Context, since time.Time) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM scorecard_shares WHERE created_at >= ?)
		+ (SELECT COUNT(*) FROM audit_log WHERE entity_type = ? AND action = ? AND at >= ?)`,
		since, string(vouch.EntityScorecardSchedule), "send", since).Scan(&n)
	return n > 0, err
}
