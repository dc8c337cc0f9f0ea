package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Proof pages: approved-for-external items a seller shares with a buyer
// behind a signed link. Only the hash of the link's nonce is stored. Every
// buyer's view and download is a content use of each item involved, against
// the page's opportunity, audited as content_use with the item's id so the
// content index reloads the item's stats.

const proofPageColumns = `p.id, p.title, p.prospect, p.message, COALESCE(p.opportunity_id, 0), COALESCE(p.created_by, 0),
	COALESCE(u.name, ''), p.expires_at, p.revoked_at, p.views, p.last_viewed_at, p.created_at`

const proofPageFrom = ` FROM proof_pages p LEFT JOIN users u ON u.id = p.created_by`

func scanProofPage(row interface{ Scan(...any) error }) (*vouch.ProofPage, error) {
	p := &vouch.ProofPage{}
	var revoked, viewed sql.NullTime
	if err := row.Scan(&p.ID, &p.Title, &p.Prospect, &p.Message, &p.OpportunityID, &p.CreatedBy, &p.CreatedByName,
		&p.ExpiresAt, &revoked, &p.Views, &viewed, &p.CreatedAt); err != nil {
		return nil, err
	}
	p.ExpiresAt, p.CreatedAt = p.ExpiresAt.UTC(), p.CreatedAt.UTC()
	p.RevokedAt, p.LastViewedAt = nullTime(revoked), nullTime(viewed)
	p.ContentIDs = []int64{}
	return p, nil
}

// CreateProofPage stores p with its items in the order given, under the
// hash of its link's nonce, and records a proof_page use of each item.
// Inside the transaction every item must still be approved for external use
// as of today (an approval withdrawn meanwhile is refused, naming the item)
// and the opportunity must exist.
func (db *DB) CreateProofPage(ctx context.Context, p *vouch.ProofPage, nonceHash string) error {
	return db.update(ctx, func(tx *Tx) error {
		var v vouch.Validation
		today := tx.today()
		for _, id := range p.ContentIDs {
			item, err := tx.contentItem(id)
			if vouch.ErrorCode(err) == vouch.ENOTFOUND {
				v.Add("content_ids", fmt.Sprintf("%d is not a content item", id))
				continue
			} else if err != nil {
				return err
			}
			if st := item.EffectiveState(today); !vouch.ContentShareable(st) {
				v.Add("content_ids", vouch.NotShareable(item.Title, st))
			}
		}
		if p.OpportunityID != 0 {
			if _, err := tx.opportunity(p.OpportunityID); vouch.ErrorCode(err) == vouch.ENOTFOUND {
				v.Add("opportunity", "is not a known opportunity")
			} else if err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		p.CreatedBy = vouch.ActorFrom(tx.ctx).UserID
		id, err := tx.insert(`INSERT INTO proof_pages (nonce_hash, title, prospect, message, opportunity_id, created_by,
			expires_at, views, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
			nonceHash, p.Title, p.Prospect, p.Message, nullID(p.OpportunityID), nullID(p.CreatedBy), p.ExpiresAt, tx.now)
		if err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.Views, p.RevokedAt, p.LastViewedAt = id, tx.now, 0, nil, nil
		for i, cid := range p.ContentIDs {
			if _, err := tx.exec(`INSERT INTO proof_page_items (page_id, content_id, position) VALUES (?, ?, ?)`, id, cid, i); err != nil {
				return err
			}
			if err := tx.addProofUse(p, cid, vouch.UseProofPage, p.CreatedBy); err != nil {
				return err
			}
		}
		return tx.audit("create", vouch.EntityProofPage, id, []vouch.Change{
			{Field: "title", After: p.Title}, {Field: "prospect", After: p.Prospect},
			{Field: "opportunity_id", After: p.OpportunityID}, {Field: "content_ids", After: p.ContentIDs},
			{Field: "expires_at", After: p.ExpiresAt}})
	})
}

// addProofUse records one use of item contentID through page p, audited as
// a use of the item.
func (tx *Tx) addProofUse(p *vouch.ProofPage, contentID int64, kind string, userID int64) error {
	at, err := tx.oppNow(p.OpportunityID)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO content_uses (content_id, kind, user_id, opportunity_id, proof_page_id, opp_stage, opp_amount, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, contentID, kind, nullID(userID), nullID(p.OpportunityID), p.ID, at.stage, at.amount, tx.now); err != nil {
		return err
	}
	return tx.audit("use", vouch.EntityContentUse, contentID, []vouch.Change{
		{Field: "kind", After: kind}, {Field: "proof_page_id", After: p.ID}, {Field: "opportunity_id", After: p.OpportunityID}})
}

// ProofPage reads one proof page with its items.
func (db *DB) ProofPage(ctx context.Context, id int64) (*vouch.ProofPage, error) {
	p, err := scanProofPage(db.queryRow(ctx, `SELECT `+proofPageColumns+proofPageFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Proof page", id)
	} else if err != nil {
		return nil, err
	}
	return p, db.addProofItems(ctx, []*vouch.ProofPage{p})
}

// ProofPageByNonce reads the proof page whose link's nonce has hash, with
// its items; ENOTFOUND when no page has it.
func (db *DB) ProofPageByNonce(ctx context.Context, hash string) (*vouch.ProofPage, error) {
	p, err := scanProofPage(db.queryRow(ctx, `SELECT `+proofPageColumns+proofPageFrom+` WHERE p.nonce_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Proof page not found.")
	} else if err != nil {
		return nil, err
	}
	return p, db.addProofItems(ctx, []*vouch.ProofPage{p})
}

// ListProofPages returns the pages f selects, newest first, and how many it selects.
func (db *DB) ListProofPages(ctx context.Context, f vouch.ProofPageFilter) ([]*vouch.ProofPage, int, error) {
	var where []string
	var args []any
	if f.CreatedBy != 0 {
		where = append(where, "p.created_by = ?")
		args = append(args, f.CreatedBy)
	}
	if f.OpportunityID != 0 {
		where = append(where, "p.opportunity_id = ?")
		args = append(args, f.OpportunityID)
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM proof_pages p`+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := db.query(ctx, `SELECT `+proofPageColumns+proofPageFrom+w+` ORDER BY p.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	var out []*vouch.ProofPage
	for rows.Next() {
		p, err := scanProofPage(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, db.addProofItems(ctx, out)
}

// addProofItems fills the pages' item ids, in their order.
func (db *DB) addProofItems(ctx context.Context, pages []*vouch.ProofPage) error {
	if len(pages) == 0 {
		return nil
	}
	byID := map[int64]*vouch.ProofPage{}
	args := make([]any, len(pages))
	for i, p := range pages {
		byID[p.ID], args[i] = p, p.ID
	}
	rows, err := db.query(ctx, `SELECT page_id, content_id FROM proof_page_items WHERE page_id IN (`+placeholders(len(pages))+`)
		ORDER BY page_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pid, cid int64
		if err := rows.Scan(&pid, &cid); err != nil {
			return err
		}
		byID[pid].ContentIDs = append(byID[pid].ContentIDs, cid)
	}
	return rows.Err()
}

// RevokeProofPage ends page id's link now; revoking twice changes nothing.
func (db *DB) RevokeProofPage(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var revoked sql.NullTime
		err := tx.queryRow(`SELECT revoked_at FROM proof_pages WHERE id = ?`, id).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Proof page", id)
		} else if err != nil || revoked.Valid {
			return err
		}
		if _, err := tx.exec(`UPDATE proof_pages SET revoked_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return err
		}
		return tx.audit("revoke", vouch.EntityProofPage, id, []vouch.Change{{Field: "revoked_at", After: tx.now}})
	})
}

// RecordProofView counts a buyer's view of page p and records a proof_view
// use of each item shown, against the page's opportunity.
func (db *DB) RecordProofView(ctx context.Context, p *vouch.ProofPage, shown []int64) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE proof_pages SET views = views + 1, last_viewed_at = ? WHERE id = ?`, tx.now, p.ID); err != nil {
			return err
		}
		for _, cid := range shown {
			if err := tx.addProofUse(p, cid, vouch.UseProofView, 0); err != nil {
				return err
			}
		}
		return tx.audit("view", vouch.EntityProofPage, p.ID, []vouch.Change{{Field: "views", Before: p.Views, After: p.Views + 1}})
	})
}

// RecordProofDownload records a buyer's download of item contentID from page p.
func (db *DB) RecordProofDownload(ctx context.Context, p *vouch.ProofPage, contentID int64) error {
	return db.update(ctx, func(tx *Tx) error { return tx.addProofUse(p, contentID, vouch.UseProofDownload, 0) })
}

// ProofPageStats is, per item of page id, what buyers did with it through the page.
func (db *DB) ProofPageStats(ctx context.Context, id int64) (map[int64]*vouch.ProofPageItemStats, error) {
	rows, err := db.query(ctx, `SELECT content_id, kind, COUNT(*) FROM content_uses
		WHERE proof_page_id = ? AND kind IN (?, ?) GROUP BY content_id, kind`, id, vouch.UseProofView, vouch.UseProofDownload)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*vouch.ProofPageItemStats{}
	for rows.Next() {
		var cid int64
		var kind string
		var n int
		if err := rows.Scan(&cid, &kind, &n); err != nil {
			return nil, err
		}
		s := out[cid]
		if s == nil {
			s = &vouch.ProofPageItemStats{ContentID: cid}
			out[cid] = s
		}
		if kind == vouch.UseProofView {
			s.Views = n
		} else {
			s.Downloads = n
		}
	}
	return out, rows.Err()
}
