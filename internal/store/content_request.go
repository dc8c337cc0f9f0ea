package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Content requests: a seller's ask for content that does not exist yet,
// which the program team tracks to done (linking the item that answers it)
// or declines with a note.

const contentRequestColumns = `r.id, r.description, COALESCE(r.type_id, 0), COALESCE(r.opportunity_id, 0),
	COALESCE(r.requested_by, 0), COALESCE(u.name, ''), r.state, r.note, COALESCE(r.fulfilled_by, 0), r.version,
	r.created_at, r.updated_at`

const contentRequestFrom = ` FROM content_requests r LEFT JOIN users u ON u.id = r.requested_by`

func scanContentRequest(row interface{ Scan(...any) error }) (*vouch.ContentRequest, error) {
	r := &vouch.ContentRequest{}
	if err := row.Scan(&r.ID, &r.Description, &r.TypeID, &r.OpportunityID, &r.RequestedBy, &r.RequesterName, &r.State,
		&r.Note, &r.FulfilledBy, &r.Version, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.Normalize()
	return r, nil
}

// CreateContentRequest stores a new, open content request of the actor.
// Its type and tags must be values of their picklists, its opportunity must exist.
func (db *DB) CreateContentRequest(ctx context.Context, r *vouch.ContentRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		var v vouch.Validation
		if err := tx.checkValue(&v, "type", vouch.TaxContentType, r.TypeID); err != nil {
			return err
		}
		for _, k := range vouch.ContentRequestTagKinds {
			for _, id := range r.TagIDs(k) {
				if err := tx.checkValue(&v, string(k), k, id); err != nil {
					return err
				}
			}
		}
		if r.OpportunityID != 0 {
			if _, err := tx.opportunity(r.OpportunityID); vouch.ErrorCode(err) == vouch.ENOTFOUND {
				v.Add("opportunity", "is not a known opportunity")
			} else if err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		r.RequestedBy, r.State, r.Note, r.FulfilledBy = vouch.ActorFrom(tx.ctx).UserID, vouch.ContentRequestOpen, "", 0
		id, err := tx.insert(`INSERT INTO content_requests (description, type_id, opportunity_id, requested_by, state, note,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', 1, ?, ?)`,
			r.Description, nullID(r.TypeID), nullID(r.OpportunityID), nullID(r.RequestedBy), r.State, tx.now, tx.now)
		if err != nil {
			return err
		}
		r.ID, r.Version, r.CreatedAt, r.UpdatedAt = id, 1, tx.now, tx.now
		changes := []vouch.Change{{Field: "description", After: r.Description}, {Field: "state", After: r.State}}
		if r.TypeID != 0 {
			changes = append(changes, vouch.Change{Field: "type_id", After: r.TypeID})
		}
		if r.OpportunityID != 0 {
			changes = append(changes, vouch.Change{Field: "opportunity_id", After: r.OpportunityID})
		}
		for _, k := range vouch.ContentRequestTagKinds {
			for _, vid := range r.TagIDs(k) {
				if _, err := tx.exec(`INSERT INTO content_request_values (request_id, kind, value_id) VALUES (?, ?, ?)`, id, string(k), vid); err != nil {
					return err
				}
			}
			if ids := r.TagIDs(k); len(ids) > 0 {
				changes = append(changes, vouch.Change{Field: string(k), After: ids})
			}
		}
		return tx.audit("create", vouch.EntityContentRequest, id, changes)
	})
}

// ContentRequest reads one content request with its tags.
func (db *DB) ContentRequest(ctx context.Context, id int64) (*vouch.ContentRequest, error) {
	r, err := scanContentRequest(db.queryRow(ctx, `SELECT `+contentRequestColumns+contentRequestFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Content request", id)
	} else if err != nil {
		return nil, err
	}
	return r, db.addContentRequestValues(ctx, []*vouch.ContentRequest{r})
}

// ListContentRequests returns the requests f selects, newest first, and how many it selects.
func (db *DB) ListContentRequests(ctx context.Context, f vouch.ContentRequestFilter) ([]*vouch.ContentRequest, int, error) {
	var where []string
	var args []any
	if f.RequestedBy != 0 {
		where = append(where, "r.requested_by = ?")
		args = append(args, f.RequestedBy)
	}
	if f.State != "" {
		where = append(where, "r.state = ?")
		args = append(args, f.State)
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM content_requests r`+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := db.query(ctx, `SELECT `+contentRequestColumns+contentRequestFrom+w+` ORDER BY r.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	var out []*vouch.ContentRequest
	for rows.Next() {
		r, err := scanContentRequest(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, db.addContentRequestValues(ctx, out)
}

func (db *DB) addContentRequestValues(ctx context.Context, list []*vouch.ContentRequest) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*vouch.ContentRequest{}
	args := make([]any, len(list))
	for i, r := range list {
		byID[r.ID], args[i] = r, r.ID
	}
	rows, err := db.query(ctx, `SELECT request_id, kind, value_id FROM content_request_values
		WHERE request_id IN (`+placeholders(len(list))+`) ORDER BY request_id, kind, value_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid, vid int64
		var kind string
		if err := rows.Scan(&rid, &kind, &vid); err != nil {
			return err
		}
		r := byID[rid]
		k := vouch.TaxonomyKind(kind)
		r.SetTagIDs(k, append(r.TagIDs(k), vid))
	}
	return rows.Err()
}

// MoveContentRequest moves request id, read at m.Version, to m.State
// (vouch.CheckContentRequestMove), saving the note and the item that
// fulfils it, and sends out (the requester's notification) in the same
// transaction. compose makes out from the request as saved, so its text
// tells what was really written.
func (db *DB) MoveContentRequest(ctx context.Context, id int64, m vouch.ContentRequestMove,
	compose func(r *vouch.ContentRequest) (vouch.Outgoing, error)) (*vouch.ContentRequest, error) {
	var saved *vouch.ContentRequest
	err := db.update(ctx, func(tx *Tx) error {
		cur, err := scanContentRequest(tx.queryRow(`SELECT `+contentRequestColumns+contentRequestFrom+` WHERE r.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Content request", id)
		} else if err != nil {
			return err
		}
		if m.Version != cur.Version {
			return staleVersion("content request", cur.Version)
		}
		next := *cur
		if m.Note != nil {
			next.Note = strings.TrimSpace(*m.Note)
		}
		if m.FulfilledBy != nil {
			next.FulfilledBy = *m.FulfilledBy
		}
		if m.State != "" {
			next.State = m.State
		}
		if next.State != vouch.ContentRequestDone && m.FulfilledBy == nil && next.State != cur.State {
			next.FulfilledBy = 0 // reopened or declined: no longer fulfilled by anything
		}
		if err := vouch.CheckContentRequestMove(cur.State, next.State, next.FulfilledBy, next.Note); err != nil {
			return err
		}
		if err := next.Validate(); err != nil {
			return err
		}
		if next.FulfilledBy != 0 {
			if _, err := tx.contentItem(next.FulfilledBy); vouch.ErrorCode(err) == vouch.ENOTFOUND {
				return &vouch.Error{Code: vouch.EINVALID, Message: "Please correct the highlighted field.",
					Fields: map[string]string{"fulfilled_by": fmt.Sprintf("%d is not a content item", next.FulfilledBy)}}
			} else if err != nil {
				return err
			}
		}
		var changes []vouch.Change
		changes = vouch.Diff(changes, "state", cur.State, next.State)
		changes = vouch.Diff(changes, "note", cur.Note, next.Note)
		changes = vouch.Diff(changes, "fulfilled_by", cur.FulfilledBy, next.FulfilledBy)
		if len(changes) == 0 {
			saved = cur
			return nil
		}
		res, err := tx.exec(`UPDATE content_requests SET state = ?, note = ?, fulfilled_by = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, next.State, next.Note, nullID(next.FulfilledBy), tx.now, id, cur.Version)
		if err != nil {
			return err
		}
		if err := savedAt(res, "content request", cur.Version); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = cur.Version+1, tx.now
		if err := tx.audit("update", vouch.EntityContentRequest, id, changes); err != nil {
			return err
		}
		saved = &next
		if next.State == cur.State || compose == nil {
			return nil
		}
		out, err := compose(&next)
		if err != nil {
			return err
		}
		return tx.send(out)
	})
	if err != nil {
		return nil, err
	}
	return db.ContentRequest(ctx, saved.ID)
}

// AnalyticsContentRequest is a content request as the metrics engine reads
// it: its content type, state and tags.
type AnalyticsContentRequest struct {
	ID, TypeID int64
	State      string
	Tags       map[vouch.TaxonomyKind][]int64
}

// EachAnalyticsContentRequest streams the content requests with the given
// ids (nil: all), each with its tags, by id.
func (db *DB) EachAnalyticsContentRequest(ctx context.Context, ids []int64, fn func(*AnalyticsContentRequest) error) error {
	var list []*AnalyticsContentRequest
	byID := map[int64]*AnalyticsContentRequest{}
	if err := db.eachChunk(ctx, `SELECT id, COALESCE(type_id, 0), state FROM content_requests`, "id", ids, func(rows *sql.Rows) error {
		r := &AnalyticsContentRequest{Tags: map[vouch.TaxonomyKind][]int64{}}
		if err := rows.Scan(&r.ID, &r.TypeID, &r.State); err != nil {
			return err
		}
		list = append(list, r)
		byID[r.ID] = r
		return nil
	}); err != nil {
		return err
	}
	if len(list) == 0 {
		return nil
	}
	if err := db.eachChunk(ctx, `SELECT request_id, kind, value_id FROM content_request_values`, "request_id", ids, func(rows *sql.Rows) error {
		var rid, vid int64
		var kind string
		if err := rows.Scan(&rid, &kind, &vid); err != nil {
			return err
		}
		if r := byID[rid]; r != nil {
			r.Tags[vouch.TaxonomyKind(kind)] = append(r.Tags[vouch.TaxonomyKind(kind)], vid)
		}
		return nil
	}); err != nil {
		return err
	}
	slices.SortFunc(list, func(a, b *AnalyticsContentRequest) int { return cmp.Compare(a.ID, b.ID) })
	for _, r := range list {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
