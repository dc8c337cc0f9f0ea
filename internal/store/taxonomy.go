package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

const taxonomyColumns = `id, kind, name, position, retired, created_at, updated_at`

func scanTaxonomy(row interface{ Scan(...any) error }) (*vouch.TaxonomyValue, error) {
	t := &vouch.TaxonomyValue{}
	var kind string
	if err := row.Scan(&t.ID, &kind, &t.Name, &t.Position, &t.Retired, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, err
	}
	t.Kind = vouch.TaxonomyKind(kind)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return t, nil
}

// seedTaxonomies adds the default picklists once, on a new database. It is
// remembered in settings so values an admin deleted do not come back.
func (db *DB) seedTaxonomies(ctx context.Context) error {
	return db.update(ctx, func(tx *Tx) error {
		// Each seeding is remembered by its own key: the picklists of a new
		// installation, and the content types added to older ones when the
		// content library arrived.
		for _, seed := range []struct {
			key   string
			kinds []vouch.TaxonomyKind
		}{
			{"taxonomies_seeded", vouch.TaxonomyKinds},
			{"content_types_seeded", []vouch.TaxonomyKind{vouch.TaxContentType}},
		} {
			var done int
			if err := tx.queryRow(`SELECT COUNT(*) FROM settings WHERE key = ?`, seed.key).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				continue
			}
			for _, kind := range seed.kinds {
				for i, name := range vouch.DefaultTaxonomies[kind] {
					if _, err := tx.exec(`INSERT INTO taxonomy_values (kind, name, name_key, position, retired, created_at, updated_at)
						VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, name_key) DO NOTHING`,
						string(kind), name, strings.ToLower(name), (i+1)*10, false, tx.now, tx.now); err != nil {
						return err
					}
				}
			}
			if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, 'yes')`, seed.key); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListTaxonomy returns the values of kind (every kind when empty), in display order, retired ones included.
func (db *DB) ListTaxonomy(ctx context.Context, kind vouch.TaxonomyKind) ([]*vouch.TaxonomyValue, error) {
	q := `SELECT ` + taxonomyColumns + ` FROM taxonomy_values`
	var args []any
	if kind != "" {
		q += ` WHERE kind = ?`
		args = append(args, string(kind))
	}
	rows, err := db.query(ctx, q+` ORDER BY kind, position, name_key`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vouch.TaxonomyValue
	for rows.Next() {
		t, err := scanTaxonomy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TaxonomyValue returns one value by id.
func (db *DB) TaxonomyValue(ctx context.Context, id int64) (*vouch.TaxonomyValue, error) {
	t, err := scanTaxonomy(db.queryRow(ctx, `SELECT `+taxonomyColumns+` FROM taxonomy_values WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Value", id)
	}
	return t, err
}

func duplicateValue(t *vouch.TaxonomyValue) error {
	return &vouch.Error{Code: vouch.ECONFLICT,
		Message: fmt.Sprintf("%s already has a value named %q.", t.Kind.Label(), t.Name),
		Fields:  map[string]string{"name": "already exists"}}
}

// CreateTaxonomyValue adds a value at the end of its picklist.
func (db *DB) CreateTaxonomyValue(ctx context.Context, t *vouch.TaxonomyValue) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.createTaxonomyValue(t) })
}

// createTaxonomyValue inserts a validated value (at the end of its picklist
// when it has no position) and audits it.
func (tx *Tx) createTaxonomyValue(t *vouch.TaxonomyValue) error {
	if t.Position == 0 {
		if err := tx.queryRow(`SELECT COALESCE(MAX(position), 0) + 10 FROM taxonomy_values WHERE kind = ?`, string(t.Kind)).Scan(&t.Position); err != nil {
			return err
		}
	}
	id, err := tx.insert(`INSERT INTO taxonomy_values (kind, name, name_key, position, retired, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, string(t.Kind), t.Name, strings.ToLower(t.Name), t.Position, t.Retired, tx.now, tx.now)
	if isUnique(err) {
		return duplicateValue(t)
	} else if err != nil {
		return err
	}
	t.ID, t.CreatedAt, t.UpdatedAt = id, tx.now, tx.now
	return tx.audit("create", "taxonomy_value", id, []vouch.Change{
		{Field: "kind", After: t.Kind}, {Field: "name", After: t.Name}, {Field: "position", After: t.Position}})
}

// UpdateTaxonomyValue renames, moves, retires or restores a value. Records
// refer to values by id, so a rename shows everywhere at once.
func (db *DB) UpdateTaxonomyValue(ctx context.Context, id int64, upd vouch.TaxonomyUpdate) (*vouch.TaxonomyValue, error) {
	var out *vouch.TaxonomyValue
	err := db.update(ctx, func(tx *Tx) error {
		t, err := scanTaxonomy(tx.queryRow(`SELECT `+taxonomyColumns+` FROM taxonomy_values WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Value", id)
		} else if err != nil {
			return err
		}
		before := *t
		if upd.Name != nil {
			t.Name = *upd.Name
		}
		if upd.Position != nil {
			t.Position = *upd.Position
		}
		if upd.Retired != nil {
			t.Retired = *upd.Retired
		}
		if err := t.Validate(); err != nil {
			return err
		}
		var changes []vouch.Change
		changes = vouch.Diff(changes, "name", before.Name, t.Name)
		changes = vouch.Diff(changes, "position", before.Position, t.Position)
		changes = vouch.Diff(changes, "retired", before.Retired, t.Retired)
		out = t
		if len(changes) == 0 {
			return nil
		}
		t.UpdatedAt = tx.now
		_, err = tx.exec(`UPDATE taxonomy_values SET name = ?, name_key = ?, position = ?, retired = ?, updated_at = ? WHERE id = ?`,
			t.Name, strings.ToLower(t.Name), t.Position, t.Retired, tx.now, id)
		if isUnique(err) {
			return duplicateValue(t)
		} else if err != nil {
			return err
		}
		return tx.audit("update", "taxonomy_value", id, changes)
	})
	return out, err
}

// DeleteTaxonomyValue removes a value no record uses. Tables that use values
// reference them with ON DELETE RESTRICT, so the database itself refuses to
// delete one in use, whichever table uses it; the user is told to retire it.
func (db *DB) DeleteTaxonomyValue(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		t, err := scanTaxonomy(tx.queryRow(`SELECT `+taxonomyColumns+` FROM taxonomy_values WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Value", id)
		} else if err != nil {
			return err
		}
		_, err = tx.exec(`DELETE FROM taxonomy_values WHERE id = ?`, id)
		if isForeignKey(err) {
			return vouch.Errorf(vouch.ECONFLICT, "%q is in use, so it cannot be deleted; retire it instead to hide it from new records.", t.Name)
		} else if err != nil {
			return err
		}
		return tx.audit("delete", "taxonomy_value", id, []vouch.Change{
			{Field: "kind", Before: t.Kind}, {Field: "name", Before: t.Name}})
	})
}
