package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vouchhq/vouch/internal/vouch"
)

const healthColumns = `id, assessed_on, COALESCE(assessed_by, 0), note, ratings, created_at`

func scanHealth(row interface{ Scan(...any) error }) (*vouch.HealthAssessment, error) {
	a := &vouch.HealthAssessment{}
	var on, ratings string
	if err := row.Scan(&a.ID, &on, &a.ByID, &a.Note, &ratings, &a.CreatedAt); err != nil {
		return nil, err
	}
	var err error
	if a.AssessedOn, err = vouch.ParseDate(on); err != nil {
		return nil, fmt.Errorf("health assessment %d: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(ratings), &a.Ratings); err != nil {
		return nil, fmt.Errorf("health assessment %d ratings: %w", a.ID, err)
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}

// HealthAssessment reads one program health assessment.
func (db *DB) HealthAssessment(ctx context.Context, id int64) (*vouch.HealthAssessment, error) {
	a, err := scanHealth(db.queryRow(ctx, `SELECT `+healthColumns+` FROM health_assessments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Health assessment", id)
	}
	return a, err
}

// HealthAssessments lists every assessment, oldest first (the trend's order).
func (db *DB) HealthAssessments(ctx context.Context) ([]*vouch.HealthAssessment, error) {
	rows, err := db.query(ctx, `SELECT `+healthColumns+` FROM health_assessments ORDER BY assessed_on, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.HealthAssessment{}
	for rows.Next() {
		a, err := scanHealth(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateHealthAssessment stores an assessment validated by the caller (the
// health service), by who is acting.
func (db *DB) CreateHealthAssessment(ctx context.Context, a *vouch.HealthAssessment) error {
	b, err := json.Marshal(a.Ratings)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		a.ByID = vouch.ActorFrom(tx.ctx).UserID
		id, err := tx.insert(`INSERT INTO health_assessments (assessed_on, assessed_by, note, ratings, created_at) VALUES (?, ?, ?, ?, ?)`,
			a.AssessedOn.String(), nullID(a.ByID), a.Note, string(b), tx.now)
		if err != nil {
			return err
		}
		a.ID, a.CreatedAt = id, tx.now
		changes := []vouch.Change{{Field: "assessed_on", After: a.AssessedOn.String()}, {Field: "note", After: a.Note}}
		for _, r := range a.Ratings {
			changes = append(changes, vouch.Change{Field: string(r.Element), After: r.Stage.Key()})
		}
		return tx.audit("create", vouch.EntityHealthAssessment, id, changes)
	})
}
