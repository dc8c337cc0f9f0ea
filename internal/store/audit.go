package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// audit records a change in the same transaction as the change itself, so
// the log can never miss a write nor record one that was rolled back.
func (tx *Tx) audit(action string, kind vouch.EntityKind, entityID int64, changes []vouch.Change) error {
	if changes == nil {
		changes = []vouch.Change{}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	a := vouch.ActorFrom(tx.ctx)
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	_, err = tx.exec(`INSERT INTO audit_log (at, actor_id, actor, action, entity_type, entity_id, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, tx.now, actorID, a.Label, action, string(kind), entityID, string(b))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	tx.touched = append(tx.touched, vouch.Touched{Kind: kind, ID: entityID})
	return nil
}

// ChangesSince returns the audit entries with an id above after, oldest first,
// at most limit of them. Every write is audited in its own transaction, so
// the audit log doubles as the feed by which a server notices writes made by
// other processes (another instance, or the command line).
func (db *DB) ChangesSince(ctx context.Context, after int64, limit int) ([]vouch.ChangeNotice, error) {
	rows, err := db.query(ctx, `SELECT id, entity_type, entity_id FROM audit_log WHERE id > ? ORDER BY id LIMIT `+fmt.Sprint(limit), after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vouch.ChangeNotice
	for rows.Next() {
		var c vouch.ChangeNotice
		if err := rows.Scan(&c.AuditID, &c.Touched.Kind, &c.Touched.ID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LastChangeID returns the newest audit entry id (0 when there is none).
func (db *DB) LastChangeID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.queryRow(ctx, `SELECT MAX(id) FROM audit_log`).Scan(&id)
	return id.Int64, err
}

// ListAudit returns entries matching f, newest first, and how many match in all.
func (db *DB) ListAudit(ctx context.Context, f vouch.AuditFilter) ([]*vouch.AuditEntry, int, error) {
	var where []string
	var args []any
	if f.EntityType != "" {
		where, args = append(where, "entity_type = ?"), append(args, f.EntityType)
	}
	if f.EntityID != 0 {
		where, args = append(where, "entity_id = ?"), append(args, f.EntityID)
	}
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.Since.UTC())
	}
	if !f.Until.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.Until.UTC())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM audit_log"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.BeforeID > 0 {
		if cond == "" {
			cond = " WHERE id < ?"
		} else {
			cond += " AND id < ?"
		}
		args = append(args, f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := db.query(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, action, entity_type, entity_id, changes
		FROM audit_log`+cond+` ORDER BY id DESC LIMIT `+fmt.Sprint(limit), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*vouch.AuditEntry
	for rows.Next() {
		e := &vouch.AuditEntry{}
		var changes string
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.EntityType, &e.EntityID, &changes); err != nil {
			return nil, 0, err
		}
		e.At = e.At.UTC()
		if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
			return nil, 0, fmt.Errorf("audit entry %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// AuditEntityTypes lists the entity types present in the log, for the filter menu.
func (db *DB) AuditEntityTypes(ctx context.Context) ([]string, error) {
	return db.distinctAudit(ctx, `SELECT DISTINCT entity_type FROM audit_log ORDER BY entity_type`)
}

// AuditActions lists the actions present in the log (create, update, login, …),
// for the audit page's filter menu.
func (db *DB) AuditActions(ctx context.Context) ([]string, error) {
	return db.distinctAudit(ctx, `SELECT DISTINCT action FROM audit_log ORDER BY action`)
}

// distinctAudit reads the one text column of query's rows.
func (db *DB) distinctAudit(ctx context.Context, query string) ([]string, error) {
	rows, err := db.query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
