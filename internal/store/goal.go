package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vouchhq/vouch/internal/vouch"
)

const goalColumns = `id, kind, name, objective, metric, filters, target, period_from, period_to, COALESCE(owner_id, 0),
	archived, version, created_at, updated_at`

func scanGoal(row interface{ Scan(...any) error }) (*vouch.Goal, error) {
	g := &vouch.Goal{}
	var kind, metric, filters, from, to string
	if err := row.Scan(&g.ID, &kind, &g.Name, &g.Objective, &metric, &filters, &g.Target, &from, &to, &g.OwnerID,
		&g.Archived, &g.Version, &g.CreatedAt, &g.UpdatedAt); err != nil {
		return nil, err
	}
	g.Kind, g.Metric = vouch.GoalKind(kind), vouch.MetricID(metric)
	if err := json.Unmarshal([]byte(filters), &g.Filter); err != nil {
		return nil, fmt.Errorf("goal %d filters: %w", g.ID, err)
	}
	var err error
	if g.From, err = vouch.ParseDate(from); err != nil {
		return nil, fmt.Errorf("goal %d: %w", g.ID, err)
	}
	if g.To, err = vouch.ParseDate(to); err != nil {
		return nil, fmt.Errorf("goal %d: %w", g.ID, err)
	}
	g.CreatedAt, g.UpdatedAt = g.CreatedAt.UTC(), g.UpdatedAt.UTC()
	return g, nil
}

// Goal reads one goal.
func (db *DB) Goal(ctx context.Context, id int64) (*vouch.Goal, error) {
	g, err := scanGoal(db.queryRow(ctx, `SELECT `+goalColumns+` FROM goals WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Goal", id)
	}
	return g, err
}

func (tx *Tx) goal(id int64) (*vouch.Goal, error) {
	g, err := scanGoal(tx.queryRow(`SELECT `+goalColumns+` FROM goals WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Goal", id)
	}
	return g, err
}

// Goals lists the goals f selects, by objective, then period, then name.
func (db *DB) Goals(ctx context.Context, f vouch.GoalFilter) ([]*vouch.Goal, error) {
	where, args := " WHERE 1 = 1", []any{}
	if f.Kind != "" {
		where, args = where+" AND kind = ?", append(args, string(f.Kind))
	}
	if f.OwnerID != 0 {
		where, args = where+" AND owner_id = ?", append(args, f.OwnerID)
	}
	if !f.Archived {
		where, args = where+" AND archived = ?", append(args, false)
	}
	rows, err := db.query(ctx, `SELECT `+goalColumns+` FROM goals`+where+` ORDER BY objective, period_from, name, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.Goal{}
	for rows.Next() {
		g, err := scanGoal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func goalFilters(g *vouch.Goal) (string, error) {
	b, err := json.Marshal(g.Filter)
	return string(b), err
}

// goalChanges lists what differs between two versions of a goal, for the audit log.
func goalChanges(b, a *vouch.Goal) []vouch.Change {
	bf, _ := goalFilters(b)
	af, _ := goalFilters(a)
	var c []vouch.Change
	c = vouch.Diff(c, "kind", string(b.Kind), string(a.Kind))
	c = vouch.Diff(c, "name", b.Name, a.Name)
	c = vouch.Diff(c, "objective", b.Objective, a.Objective)
	c = vouch.Diff(c, "metric", string(b.Metric), string(a.Metric))
	if bf != af {
		c = append(c, vouch.Change{Field: "filters", Before: bf, After: af})
	}
	c = vouch.Diff(c, "target", b.Target, a.Target)
	c = vouch.Diff(c, "from", b.From.String(), a.From.String())
	c = vouch.Diff(c, "to", b.To.String(), a.To.String())
	c = vouch.Diff(c, "owner_id", b.OwnerID, a.OwnerID)
	c = vouch.Diff(c, "archived", b.Archived, a.Archived)
	return c
}

// CreateGoal stores a goal validated by the caller (the goals service).
func (db *DB) CreateGoal(ctx context.Context, g *vouch.Goal) error {
	filters, err := goalFilters(g)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO goals (kind, name, objective, metric, filters, target, period_from, period_to,
			owner_id, archived, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			string(g.Kind), g.Name, g.Objective, string(g.Metric), filters, g.Target, g.From.String(), g.To.String(),
			nullID(g.OwnerID), g.Archived, tx.now, tx.now)
		if err != nil {
			return err
		}
		g.ID, g.Version, g.CreatedAt, g.UpdatedAt = id, 1, tx.now, tx.now
		return tx.audit("create", vouch.EntityGoal, id, goalChanges(&vouch.Goal{}, g))
	})
}

// UpdateGoal saves g, validated by the caller; g carries the version it was
// read at, and a save by someone else since is a conflict.
func (db *DB) UpdateGoal(ctx context.Context, g *vouch.Goal) error {
	filters, err := goalFilters(g)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		before, err := tx.goal(g.ID)
		if err != nil {
			return err
		}
		if g.Version != before.Version {
			return staleVersion("goal", before.Version)
		}
		changes := goalChanges(before, g)
		if len(changes) == 0 {
			*g = *before
			return nil
		}
		res, err := tx.exec(`UPDATE goals SET kind = ?, name = ?, objective = ?, metric = ?, filters = ?, target = ?,
			period_from = ?, period_to = ?, owner_id = ?, archived = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`,
			string(g.Kind), g.Name, g.Objective, string(g.Metric), filters, g.Target, g.From.String(), g.To.String(),
			nullID(g.OwnerID), g.Archived, tx.now, g.ID, before.Version)
		if err != nil {
			return err
		}
		if err := savedAt(res, "goal", before.Version); err != nil {
			return err
		}
		g.Version, g.CreatedAt, g.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		return tx.audit("update", vouch.EntityGoal, g.ID, changes)
	})
}
